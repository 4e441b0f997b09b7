//! `RevenueEvent`.
use super::{load_client, Client};
use crate::domain;
use crate::graphql::enums::{RevenueCategory, RevenueKind};
use crate::graphql::scalars::{Date, Money};
use async_graphql::{Context, Object, Result, ID};

/// One signed movement of a client's ARR: the ledger that ARR is computed from.
pub struct RevenueEvent(pub domain::RevenueEvent);

/// One signed movement of a client's ARR: the ledger that ARR is computed from.
#[Object]
impl RevenueEvent {
    /// Internal id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Date it took effect.
    async fn occurred_on(&self) -> Date {
        self.0.occurred_on.into()
    }
    /// Kind of movement.
    async fn kind(&self) -> RevenueKind {
        self.0.kind.into()
    }
    /// Cause.
    async fn category(&self) -> RevenueCategory {
        self.0.category.into()
    }
    /// Signed ARR change.
    async fn arr_delta(&self) -> Money {
        self.0.arr_delta.into()
    }
    /// Contract it belongs to.
    async fn contract_id(&self) -> Option<ID> {
        self.0.contract_id.clone().map(ID)
    }
    /// Opportunity that caused it.
    async fn opportunity_id(&self) -> Option<ID> {
        self.0.opportunity_id.clone().map(ID)
    }
    /// Renewal that caused it.
    async fn renewal_id(&self) -> Option<ID> {
        self.0.renewal_id.clone().map(ID)
    }
    /// The client.
    async fn client(&self, ctx: &Context<'_>) -> Result<Client> {
        load_client(ctx, &self.0.client_id).await
    }
}
