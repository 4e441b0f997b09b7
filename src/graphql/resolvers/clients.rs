//! `client` and `clients`.
use crate::domain::queries::{ClientFilter, ClientOrder};
use crate::graphql::connection::{connection, page_request, Paged};
use crate::graphql::context::ContextExt;
use crate::graphql::enums::{ClientStatus, LifecycleStage, Tier};
use crate::graphql::scalars::Date;
use crate::graphql::types::Client;
use crate::services::queries;
use async_graphql::{Context, Enum, InputObject, Object, Result, ID};

#[derive(Default)]
pub struct ClientQueries;

/// Filters of `clients`; all given ones must match.
#[derive(InputObject, Default)]
pub struct ClientFilterInput {
    /// Plan tier.
    tier: Option<Tier>,
    /// Lifecycle stage.
    lifecycle_stage: Option<LifecycleStage>,
    /// Account status.
    status: Option<ClientStatus>,
    /// Latest health score at least this (0–100).
    health_min: Option<f64>,
    /// Latest health score at most this (0–100).
    health_max: Option<f64>,
    /// Owner CSM, exact.
    csm_owner: Option<String>,
    /// Has an open renewal dated before this.
    renewal_before: Option<Date>,
    /// Case-insensitive part of the name or company name, or the exact id; 1–100 characters,
    /// `%` and `_` match themselves.
    search: Option<String>,
}

/// Sort orders of `clients` (ties by id).
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClientOrderBy {
    /// Name A→Z.
    #[default]
    NameAsc,
    /// Name Z→A.
    NameDesc,
    /// Oldest customers first.
    CustomerSinceAsc,
    /// Newest customers first.
    CustomerSinceDesc,
    /// By id.
    IdAsc,
}

impl From<ClientOrderBy> for ClientOrder {
    fn from(o: ClientOrderBy) -> Self {
        match o {
            ClientOrderBy::NameAsc => ClientOrder::NameAsc,
            ClientOrderBy::NameDesc => ClientOrder::NameDesc,
            ClientOrderBy::CustomerSinceAsc => ClientOrder::CustomerSinceAsc,
            ClientOrderBy::CustomerSinceDesc => ClientOrder::CustomerSinceDesc,
            ClientOrderBy::IdAsc => ClientOrder::IdAsc,
        }
    }
}

#[Object]
impl ClientQueries {
    /// One client by id; `NOT_FOUND` when there is none.
    async fn client(&self, ctx: &Context<'_>, #[graphql(desc = "Client id.")] id: ID) -> Result<Client> {
        Ok(Client(queries::client(ctx.db(), &id).await?))
    }

    /// Clients, filtered and ordered, as a Relay connection.
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity")]
    async fn clients(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "endCursor of the previous page.")] after: Option<String>,
        #[graphql(desc = "Filters.")] filter: Option<ClientFilterInput>,
        #[graphql(desc = "Sort order.", default)] order_by: ClientOrderBy,
    ) -> Result<Paged<Client>> {
        let page = page_request(ctx, first, after)?;
        let f = filter.unwrap_or_default();
        let filter = ClientFilter {
            tier: f.tier.map(Into::into),
            lifecycle_stage: f.lifecycle_stage.map(Into::into),
            status: f.status.map(Into::into),
            health_min: f.health_min,
            health_max: f.health_max,
            health_as_of: Some(ctx.request().today()),
            csm_owner: f.csm_owner,
            renewal_before: f.renewal_before.map(|d| d.0),
            search: f.search,
        };
        let rows = queries::clients(ctx.db(), &filter, order_by.into(), page).await?;
        Ok(connection(page, rows, Client))
    }
}
