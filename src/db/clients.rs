//! Clients: lookups by id, the filtered page, inserts and versioned updates.
use super::{convert, portable};
use crate::domain::queries::{ClientFilter, ClientOrder, Page, PageRequest};
use crate::domain::{Client, ClientStatus, LifecycleStage, Tier};
use crate::error::Result;
use chrono::{DateTime, Utc};
use entity::client::{self, Column, Entity};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Select, StreamTrait,
};

/// The clients with these ids (missing ids are simply absent).
pub async fn by_ids(db: &impl ConnectionTrait, ids: &[String]) -> Result<Vec<Client>> {
    let models = Entity::find()
        .filter(Column::Id.is_in(ids.iter().cloned()))
        .all(db)
        .await?;
    convert::all(models, convert::client)
}

/// One client.
pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<Option<Client>> {
    Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .map(convert::client)
        .transpose()
}

/// Every active client id, ordered (for portfolio processes).
pub async fn all(db: &(impl ConnectionTrait + StreamTrait)) -> Result<Vec<Client>> {
    let select = Entity::find().order_by_asc(Column::Id);
    super::read_select(db, select, convert::client).await
}

/// Every client's id and start date, by id: all the forecast reads of a client (its tenure), in
/// two columns instead of the whole row.
pub async fn customer_since_all(db: &(impl ConnectionTrait + StreamTrait)) -> Result<Vec<(String, chrono::NaiveDate)>> {
    let statement = sea_orm::Statement::from_string(
        ConnectionTrait::get_database_backend(db),
        "SELECT id, customer_since FROM client ORDER BY id",
    );
    super::read_by_position(db, statement, |row| {
        Ok((row.try_get_by_index(0)?, row.try_get_by_index(1)?))
    })
    .await
}

/// A page of clients matching `filter`, in `order`, and the total that match.
pub async fn page(
    db: &impl ConnectionTrait,
    filter: &ClientFilter,
    order: ClientOrder,
    page: PageRequest,
) -> Result<Page<Client>> {
    let query = filtered(db.get_database_backend(), filter);
    let query = match order {
        ClientOrder::NameAsc => query.order_by_asc(Column::Name),
        ClientOrder::NameDesc => query.order_by_desc(Column::Name),
        ClientOrder::CustomerSinceAsc => query.order_by_asc(Column::CustomerSince),
        ClientOrder::CustomerSinceDesc => query.order_by_desc(Column::CustomerSince),
        ClientOrder::IdAsc => query,
    };
    let ordered = query.order_by_asc(Column::Id);
    super::paging::fetch(db, ordered, page).await?.try_map(convert::client)
}

/// The WHERE clause of a client filter. Health and renewal filters are correlated subqueries so the
/// page stays one statement.
fn filtered(backend: DbBackend, filter: &ClientFilter) -> Select<Entity> {
    let mut query = Entity::find();
    if let Some(tier) = filter.tier {
        query = query.filter(Column::Tier.eq(tier.as_str()));
    }
    if let Some(stage) = filter.lifecycle_stage {
        query = query.filter(Column::LifecycleStage.eq(stage.as_str()));
    }
    if let Some(status) = filter.status {
        query = query.filter(Column::Status.eq(status.as_str()));
    }
    if let Some(owner) = &filter.csm_owner {
        query = query.filter(Column::CsmOwner.eq(owner.as_str()));
    }
    if filter.health_min.is_some() || filter.health_max.is_some() {
        let as_of = filter.health_as_of.unwrap_or(chrono::NaiveDate::MAX);
        query = query.filter(portable::expr(
            backend,
            "client.id IN (SELECT h.client_id FROM health_snapshot h WHERE h.overall_score >= $1 AND h.overall_score <= $2 \
             AND h.as_of = (SELECT MAX(h2.as_of) FROM health_snapshot h2 WHERE h2.client_id = h.client_id AND h2.as_of <= $3))",
            vec![filter.health_min.unwrap_or(0.0).into(), filter.health_max.unwrap_or(100.0).into(), as_of.into()],
        ));
    }
    if let Some(before) = filter.renewal_before {
        query = query.filter(portable::expr(
            backend,
            "client.id IN (SELECT r.client_id FROM renewal r WHERE r.status = 'open' AND r.renewal_date < $1)",
            vec![before.into()],
        ));
    }
    if let Some(search) = filter.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        // `%` and `_` are escaped so they match themselves. Ids are matched whole: every generated
        // id contains `_`, and a part of an id is no way to find a client.
        let escaped = search
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pattern = format!("%{escaped}%");
        query = query.filter(portable::expr(
            backend,
            "(client.id = $2 OR LOWER(client.name) LIKE $1 ESCAPE '\\' OR LOWER(client.company_name) LIKE $1 ESCAPE '\\')",
            vec![pattern.into(), search.to_owned().into()],
        ));
    }
    query
}

/// All columns of `c` as set values.
pub(super) fn active(c: &Client) -> client::ActiveModel {
    client::ActiveModel {
        id: Set(c.id.clone()),
        name: Set(c.name.clone()),
        company_name: Set(c.company_name.clone()),
        industry: Set(c.industry.clone()),
        tier: Set(c.tier.as_str().to_owned()),
        lifecycle_stage: Set(c.lifecycle_stage.as_str().to_owned()),
        status: Set(c.status.as_str().to_owned()),
        csm_owner: Set(c.csm_owner.clone()),
        customer_since: Set(c.customer_since),
        acquisition_cost_cents: Set(c.acquisition_cost.map(|m| m.cents())),
        created_at: Set(c.created_at),
        updated_at: Set(c.updated_at),
        version: Set(c.version),
    }
}

/// Inserts a new client.
pub async fn insert(db: &impl ConnectionTrait, c: &Client) -> Result<()> {
    Entity::insert(active(c)).exec_without_returning(db).await?;
    Ok(())
}

/// Writes `updated` only if the stored version is still `expected_version`, bumping the version.
/// Returns false when the row changed meanwhile (the caller answers `CONFLICT`).
pub async fn update_if_version(
    db: &impl ConnectionTrait,
    updated: &Client,
    expected_version: i32,
    now: DateTime<Utc>,
) -> Result<bool> {
    let mut model = active(updated);
    model.id = NotSet;
    model.created_at = NotSet;
    model.updated_at = Set(now);
    model.version = Set(expected_version + 1);
    let result = Entity::update_many()
        .set(model)
        .filter(Column::Id.eq(updated.id.as_str()))
        .filter(Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Sets a client's tier (a won upsell), bumping its version.
pub async fn set_tier(db: &impl ConnectionTrait, id: &str, tier: Tier, now: DateTime<Utc>) -> Result<()> {
    Entity::update_many()
        .col_expr(Column::Tier, Expr::value(tier.as_str()))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Marks a client churned (status and lifecycle stage), bumping its version.
pub async fn mark_churned(db: &impl ConnectionTrait, id: &str, now: DateTime<Utc>) -> Result<()> {
    Entity::update_many()
        .col_expr(Column::Status, Expr::value(ClientStatus::Churned.as_str()))
        .col_expr(Column::LifecycleStage, Expr::value(LifecycleStage::Churned.as_str()))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// How many clients exist.
pub async fn count(db: &impl ConnectionTrait) -> Result<u64> {
    Ok(Entity::find().count(db).await?)
}
