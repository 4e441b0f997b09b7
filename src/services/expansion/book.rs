//! The book as the expansion processes see it on `as_of`: the catalog and one [`ClientFacts`] per
//! client, read in a fixed number of whole-book statements (run concurrently on the pool) and
//! assembled here.
use crate::db::parallel::read;
use crate::db::{self, Db};
use crate::domain::{Client, Contract, ContractItem, HealthSnapshot, Money, Product, UsageSnapshot};
use crate::error::Result;
use crate::processes::facts::{Catalog, ClientFacts};
use chrono::NaiveDate;
use std::collections::{BTreeSet, HashMap};

/// The catalog and every client's facts, ordered by client id.
#[derive(Clone, Debug)]
pub struct Book {
    pub catalog: Catalog,
    pub clients: Vec<ClientFacts>,
}

/// The rows a [`Book`] is assembled from.
pub struct BookRows {
    pub clients: Vec<Client>,
    pub arr: HashMap<String, Money>,
    pub latest_usage: Vec<UsageSnapshot>,
    pub usage_6_months_ago: Vec<UsageSnapshot>,
    pub latest_health: Vec<HealthSnapshot>,
    /// Contracts in force, latest start first per client.
    pub contracts: Vec<Contract>,
    pub items: Vec<ContractItem>,
    pub products: Vec<Product>,
}

/// Loads the whole book on `as_of`: eight statements whatever its size, decoded at once
/// ([`db::parallel`]).
pub async fn load(db: &Db, as_of: NaiveDate) -> Result<Book> {
    let (clients, arr, latest_usage, usage_6_months_ago, latest_health, contracts, items, products) = tokio::try_join!(
        read(db, |db| async move { db::clients::all(&db).await }),
        read(db, move |db| async move { db::revenue::arr_on_all(&db, as_of).await }),
        read(db, move |db| async move {
            db::snapshots::latest_usage_all(&db, as_of).await
        }),
        read(db, move |db| async move {
            db::book::usage_growth_base_all(&db, as_of).await
        }),
        read(db, move |db| async move {
            db::snapshots::latest_health_all(&db, as_of).await
        }),
        read(
            db,
            move |db| async move { db::book::contracts_in_force(&db, as_of).await }
        ),
        read(db, move |db| async move { db::book::items_in_force(&db, as_of).await }),
        read(db, |db| async move { db::products::all(&db).await }),
    )?;
    Ok(assemble(BookRows {
        clients,
        arr,
        latest_usage,
        usage_6_months_ago,
        latest_health,
        contracts,
        items,
        products,
    }))
}

/// Joins the rows by client: a client's contract is its latest-starting one in force, and it
/// owns the products on that contract's items.
pub fn assemble(rows: BookRows) -> Book {
    let mut latest_usage = by_client(rows.latest_usage, |u| &u.client_id);
    let mut base_usage = by_client(rows.usage_6_months_ago, |u| &u.client_id);
    let mut health = by_client(rows.latest_health, |h| &h.client_id);
    let mut contracts: HashMap<String, Contract> = HashMap::new();
    for contract in rows.contracts {
        // Ordered latest start first: the first one seen per client wins.
        contracts.entry(contract.client_id.clone()).or_insert(contract);
    }
    let chosen: HashMap<&str, &str> = contracts
        .values()
        .map(|c| (c.id.as_str(), c.client_id.as_str()))
        .collect();
    let mut owned: HashMap<String, BTreeSet<String>> = HashMap::new();
    for item in &rows.items {
        if let Some(client_id) = chosen.get(item.contract_id.as_str()) {
            owned
                .entry((*client_id).to_owned())
                .or_default()
                .insert(item.product_id.clone());
        }
    }
    let mut clients: Vec<ClientFacts> = rows
        .clients
        .into_iter()
        .map(|client| ClientFacts {
            arr: rows.arr.get(&client.id).copied().unwrap_or_default(),
            contract: contracts.remove(&client.id),
            owned_product_ids: owned.remove(&client.id).unwrap_or_default(),
            latest_usage: latest_usage.remove(&client.id),
            usage_6_months_ago: base_usage.remove(&client.id),
            latest_health: health.remove(&client.id),
            client,
        })
        .collect();
    clients.sort_by(|a, b| a.client.id.cmp(&b.client.id));
    Book {
        catalog: Catalog::new(rows.products),
        clients,
    }
}

fn by_client<T>(rows: Vec<T>, key: impl Fn(&T) -> &String) -> HashMap<String, T> {
    rows.into_iter().map(|row| (key(&row).clone(), row)).collect()
}

#[cfg(test)]
mod tests;
