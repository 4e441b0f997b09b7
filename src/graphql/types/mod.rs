//! GraphQL object types: thin wrappers over domain records.
mod client;
mod contact;
mod contract;
pub mod cross_sell;
pub mod event;
pub mod forecast;
pub mod import_report;
pub mod lifetime_value;
pub mod negotiation;
pub mod negotiation_package;
mod opportunity;
pub mod pipeline;
mod product;
pub mod reminder;
mod renewal;
pub mod renewal_tracking;
mod revenue;
pub mod revenue_expansion;
mod snapshots;
pub mod upsell;
pub mod webhook;

pub use client::Client;
pub use contact::Contact;
pub use contract::{Contract, ContractItem};
pub use import_report::ImportReport;
pub use opportunity::Opportunity;
pub use product::Product;
pub use renewal::Renewal;
pub use revenue::RevenueEvent;
pub use snapshots::{HealthSnapshot, UsageSnapshot};

use crate::graphql::context::ContextExt;
use crate::graphql::errors::shared;
use async_graphql::{Context, Error, Result};

/// The client `id` through the loader; a dangling reference is an internal error.
async fn load_client(ctx: &Context<'_>, id: &str) -> Result<Client> {
    let client = ctx.loaders().client.load_one(id.to_owned()).await.map_err(shared)?;
    client
        .map(Client)
        .ok_or_else(|| Error::new(format!("client {id} missing")))
}

/// The records a by-parent loader holds for `key`, wrapped in their GraphQL type (none → empty).
async fn load_list<L, D, W>(
    loader: &crate::graphql::loaders::Cached<L>,
    key: &str,
    wrap: impl Fn(D) -> W,
) -> Result<Vec<W>>
where
    L: async_graphql::dataloader::Loader<
        String,
        Value = crate::graphql::loaders::Shared<D>,
        Error = std::sync::Arc<crate::error::Error>,
    >,
    D: Clone + Send + Sync + 'static,
{
    let rows = loader.load_one(key.to_owned()).await.map_err(shared)?;
    Ok(rows.map_or_else(Vec::new, |rows| rows.iter().cloned().map(wrap).collect()))
}

/// The value a dated loader holds for (`id`, `on`), if any.
async fn load_on<L, V>(
    loader: &crate::graphql::loaders::Cached<L>,
    id: &str,
    on: chrono::NaiveDate,
) -> Result<Option<V>>
where
    L: async_graphql::dataloader::Loader<
        (String, chrono::NaiveDate),
        Value = V,
        Error = std::sync::Arc<crate::error::Error>,
    >,
    V: Clone + Send + Sync + 'static,
{
    loader.load_one((id.to_owned(), on)).await.map_err(shared)
}
