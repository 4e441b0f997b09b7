//! DataLoaders, one per (entity, key), created per request (`Loaders::new`) so a batch never
//! mixes two callers' data. Each batches every key of one resolver level into one SQL statement.
use crate::db::{self, Db};
use crate::domain::negotiation::NegotiationOffer;
use crate::domain::*;
use crate::error::Error;
use crate::processes::lifetime_value::{ClvParams, CustomerLifetimeValue};
use crate::services::{forecast, negotiations};
use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::sync::Arc;

type LoadResult<V> = Result<HashMap<String, V>, Arc<Error>>;

/// A loader of one record per id.
macro_rules! by_id_loader {
    ($(#[$meta:meta])* $name:ident, $value:ty, $fetch:path) => {
        $(#[$meta])*
        pub struct $name(Db);

        impl Loader<String> for $name {
            type Value = $value;
            type Error = Arc<Error>;

            async fn load(&self, keys: &[String]) -> LoadResult<$value> {
                let rows = $fetch(&self.0, keys).await.map_err(Arc::new)?;
                Ok(rows.into_iter().map(|row| (row.id.clone(), row)).collect())
            }
        }
    };
}

/// The records of one parent, shared: the loader's cache and every resolver that asks hold the
/// same list (a `Vec` value would be deep-cloned into the cache and again for each caller).
pub type Shared<T> = Arc<Vec<T>>;

/// Rows grouped by their parent id, each group shared.
fn group_by_parent<T>(rows: impl IntoIterator<Item = T>, parent: impl Fn(&T) -> &String) -> HashMap<String, Shared<T>> {
    let mut grouped: HashMap<String, Vec<T>> = HashMap::new();
    for row in rows {
        grouped.entry(parent(&row).clone()).or_default().push(row);
    }
    grouped.into_iter().map(|(k, v)| (k, Arc::new(v))).collect()
}

/// A loader of all records that belong to a parent id.
macro_rules! by_parent_loader {
    ($(#[$meta:meta])* $name:ident, $value:ty, $fetch:path, $parent:ident) => {
        $(#[$meta])*
        pub struct $name(Db);

        impl Loader<String> for $name {
            type Value = Shared<$value>;
            type Error = Arc<Error>;

            async fn load(&self, keys: &[String]) -> LoadResult<Shared<$value>> {
                let rows = $fetch(&self.0, keys).await.map_err(Arc::new)?;
                Ok(group_by_parent(rows, |row| &row.$parent))
            }
        }
    };
}

/// A loader of one value per (client, date); keys of one date share one statement.
macro_rules! dated_loader {
    ($(#[$meta:meta])* $name:ident, $value:ty, |$db:ident, $ids:ident, $date:ident| $fetch:expr) => {
        $(#[$meta])*
        pub struct $name(Db);

        impl Loader<(String, NaiveDate)> for $name {
            type Value = $value;
            type Error = Arc<Error>;

            async fn load(&self, keys: &[(String, NaiveDate)]) -> Result<HashMap<(String, NaiveDate), $value>, Arc<Error>> {
                let mut by_date: HashMap<NaiveDate, Vec<String>> = HashMap::new();
                for (id, date) in keys {
                    by_date.entry(*date).or_default().push(id.clone());
                }
                let mut out = HashMap::new();
                for ($date, $ids) in by_date {
                    let $db = &self.0;
                    let found: Vec<(String, $value)> = $fetch.map_err(Arc::new)?;
                    out.extend(found.into_iter().map(|(id, v)| ((id, $date), v)));
                }
                Ok(out)
            }
        }
    };
}

by_id_loader!(
    /// Clients by id.
    ClientById, Client, db::clients::by_ids
);
by_id_loader!(
    /// Products by id.
    ProductById, Product, db::products::by_ids
);
by_id_loader!(
    /// Contracts by id.
    ContractById, Contract, db::contracts::by_ids
);
by_parent_loader!(
    /// Contacts of a client.
    ContactsByClient, Contact, db::contacts::by_client_ids, client_id
);
/// Contracts of a client. Their items come in the same statement and are fed to the items loader,
/// so a page's `contracts { arr items }` costs one statement, not two.
pub struct ContractsByClient {
    db: Db,
    items: Arc<Cached<ItemsByContract>>,
}

impl Loader<String> for ContractsByClient {
    type Value = Shared<Contract>;
    type Error = Arc<Error>;

    async fn load(&self, keys: &[String]) -> LoadResult<Shared<Contract>> {
        let rows = db::contracts::with_items_by_client_ids(&self.db, keys)
            .await
            .map_err(Arc::new)?;
        let mut contracts = Vec::with_capacity(rows.len());
        let mut items = Vec::with_capacity(rows.len());
        for (contract, lines) in rows {
            items.push((contract.id.clone(), Arc::new(lines)));
            contracts.push(contract);
        }
        self.items.feed_many(items).await;
        Ok(group_by_parent(contracts, |c| &c.client_id))
    }
}
by_parent_loader!(
    /// Items of a contract.
    ItemsByContract, ContractItem, db::contracts::items_by_contract_ids, contract_id
);
by_parent_loader!(
    /// Renewals of a client.
    RenewalsByClient, Renewal, db::renewals::by_client_ids, client_id
);
by_parent_loader!(
    /// Renewals of a contract.
    RenewalsByContract, Renewal, db::renewals::by_contract_ids, contract_id
);
by_parent_loader!(
    /// Opportunities of a client.
    OpportunitiesByClient, Opportunity, db::opportunities::by_client_ids, client_id
);
by_parent_loader!(
    /// Monthly usage of a client.
    UsageByClient, UsageSnapshot, db::snapshots::usage_by_client_ids, client_id
);
by_parent_loader!(
    /// Health history of a client.
    HealthByClient, HealthSnapshot, db::snapshots::health_by_client_ids, client_id
);
by_parent_loader!(
    /// Ledger events of a client.
    RevenueEventsByClient, RevenueEvent, db::revenue::by_client_ids, client_id
);
dated_loader!(
    /// A client's ledger ARR and newest health and usage on or before a date, in one statement
    /// for the whole batch (a page's `arr`, `healthScore`, `health` and `latestUsage` share it).
    FactsOnDate, Arc<ClientFacts>, |db, ids, date| db::client_facts::on_date(db, &ids, date)
        .await
        .map(|rows| rows.into_iter().map(|f| (f.client_id.clone(), Arc::new(f))).collect())
);

/// Customer lifetime value of a client on a date: the portfolio basis is computed once per date
/// of the batch, then each client's CLV from it.
pub struct LifetimeValueOnDate {
    db: Db,
    params: ClvParams,
}

impl Loader<(String, NaiveDate)> for LifetimeValueOnDate {
    type Value = CustomerLifetimeValue;
    type Error = Arc<Error>;

    async fn load(
        &self,
        keys: &[(String, NaiveDate)],
    ) -> Result<HashMap<(String, NaiveDate), CustomerLifetimeValue>, Arc<Error>> {
        let mut by_date: HashMap<NaiveDate, Vec<String>> = HashMap::new();
        for (id, date) in keys {
            by_date.entry(*date).or_default().push(id.clone());
        }
        let mut out = HashMap::new();
        for (date, ids) in by_date {
            let values = crate::services::revenue::lifetime_values(&self.db, &self.params, &ids, date)
                .await
                .map_err(Arc::new)?;
            out.extend(values.into_iter().map(|(id, v)| ((id, date), v)));
        }
        Ok(out)
    }
}
by_id_loader!(
    /// Renewals by id.
    RenewalById, Renewal, db::renewals::by_ids
);
by_parent_loader!(
    /// Negotiations of a client.
    NegotiationsByClient, negotiations::Negotiation, negotiations::by_client_ids, client_id
);
by_parent_loader!(
    /// Offers of a negotiation.
    OffersByNegotiation, NegotiationOffer, negotiations::offers_by_negotiation_ids, negotiation_id
);
dated_loader!(
    /// The 118 probability that a client keeps its open renewal, as of a date: one model fitted on
    /// the whole book per date in the batch, then every client of the batch scored with it.
    RenewalProbability, f64, |db, ids, date| forecast::renewal_probabilities(db, &ids, date)
        .await
        .map(|m| m.into_iter().collect())
);

/// A per-request cache in front of a loader: the same key asked twice is fetched once.
pub type Cached<T> = DataLoader<T, HashMapCache>;

/// Every loader of one request.
pub struct Loaders {
    pub client: Cached<ClientById>,
    pub product: Cached<ProductById>,
    pub contract: Cached<ContractById>,
    pub contacts: Cached<ContactsByClient>,
    pub contracts: Cached<ContractsByClient>,
    pub items: Arc<Cached<ItemsByContract>>,
    pub renewals: Cached<RenewalsByClient>,
    pub contract_renewals: Cached<RenewalsByContract>,
    pub opportunities: Cached<OpportunitiesByClient>,
    pub usage: Cached<UsageByClient>,
    pub health: Cached<HealthByClient>,
    pub revenue_events: Cached<RevenueEventsByClient>,
    pub facts: Cached<FactsOnDate>,
    pub lifetime_value: Cached<LifetimeValueOnDate>,
    pub renewal: Cached<RenewalById>,
    pub negotiations: Cached<NegotiationsByClient>,
    pub offers: Cached<OffersByNegotiation>,
    pub renewal_probability: Cached<RenewalProbability>,
}

fn cached<T: Send + Sync + 'static>(loader: T) -> DataLoader<T, HashMapCache> {
    DataLoader::with_cache(loader, tokio::spawn, HashMapCache::default())
}

impl Loaders {
    /// Fresh loaders (and caches) for one request.
    pub fn new(db: &Db, clv: &ClvParams) -> Self {
        let items = Arc::new(cached(ItemsByContract(db.clone())));
        Loaders {
            client: cached(ClientById(db.clone())),
            product: cached(ProductById(db.clone())),
            contract: cached(ContractById(db.clone())),
            contacts: cached(ContactsByClient(db.clone())),
            contracts: cached(ContractsByClient {
                db: db.clone(),
                items: items.clone(),
            }),
            items,
            renewals: cached(RenewalsByClient(db.clone())),
            contract_renewals: cached(RenewalsByContract(db.clone())),
            opportunities: cached(OpportunitiesByClient(db.clone())),
            usage: cached(UsageByClient(db.clone())),
            health: cached(HealthByClient(db.clone())),
            revenue_events: cached(RevenueEventsByClient(db.clone())),
            facts: cached(FactsOnDate(db.clone())),
            lifetime_value: cached(LifetimeValueOnDate {
                db: db.clone(),
                params: *clv,
            }),
            renewal: cached(RenewalById(db.clone())),
            negotiations: cached(NegotiationsByClient(db.clone())),
            offers: cached(OffersByNegotiation(db.clone())),
            renewal_probability: cached(RenewalProbability(db.clone())),
        }
    }
}
