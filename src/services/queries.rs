//! Read use cases behind the list and lookup queries.
use crate::db::{self, Db};
use crate::domain::queries::*;
use crate::domain::*;
use crate::error::{Error, Result};

/// One client, or `NOT_FOUND`.
pub async fn client(db: &Db, id: &str) -> Result<Client> {
    db::clients::get(db, id)
        .await?
        .ok_or_else(|| Error::not_found("client", id))
}

/// One contract, or `NOT_FOUND`.
pub async fn contract(db: &Db, id: &str) -> Result<Contract> {
    let found = db::contracts::by_ids(db, &[id.to_owned()]).await?;
    found.into_iter().next().ok_or_else(|| Error::not_found("contract", id))
}

/// The longest `clients(filter: { search })` string.
pub const MAX_SEARCH_CHARS: usize = 100;

/// A page of clients; health filters must lie within 0–100 and min ≤ max.
pub async fn clients(db: &Db, filter: &ClientFilter, order: ClientOrder, page: PageRequest) -> Result<Page<Client>> {
    for (field, value) in [
        ("filter.healthMin", filter.health_min),
        ("filter.healthMax", filter.health_max),
    ] {
        if let Some(v) = value {
            validate::float_range(field, v, 0.0, 100.0)?;
        }
    }
    if let Some(search) = filter.search.as_deref().filter(|s| !s.trim().is_empty()) {
        validate::text("filter.search", search, MAX_SEARCH_CHARS)?;
    }
    if let (Some(min), Some(max)) = (filter.health_min, filter.health_max) {
        if min > max {
            return Err(Error::bad_input(
                "filter.healthMin",
                format!("{min} is above healthMax {max}"),
                "healthMin ≤ healthMax",
            ));
        }
    }
    db::clients::page(db, filter, order, page).await
}

/// The catalog.
pub async fn products(db: &Db) -> Result<Vec<Product>> {
    db::products::all(db).await
}

/// A page of opportunities.
pub async fn opportunities(db: &Db, filter: &OpportunityFilter, page: PageRequest) -> Result<Page<Opportunity>> {
    db::opportunities::page(db, filter, page).await
}

/// A page of ledger events; `from` must not be after `to`.
pub async fn revenue_events(db: &Db, filter: &RevenueEventFilter, page: PageRequest) -> Result<Page<RevenueEvent>> {
    if let (Some(from), Some(to)) = (filter.from, filter.to) {
        if from > to {
            return Err(Error::bad_input(
                "from",
                format!("{from} is after to {to}"),
                "from ≤ to",
            ));
        }
    }
    db::revenue::page(db, filter, page).await
}
