//! `Renewal`.
use super::{load_client, Client, Contract};
use crate::domain;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::RenewalStatus;
use crate::graphql::errors::shared;
use crate::graphql::scalars::{Date, Money};
use async_graphql::{Context, Object, Result, ID};
use chrono::{DateTime, Utc};

/// A contract coming up for renewal, open or closed with its outcome.
pub struct Renewal(pub domain::Renewal);

/// A contract coming up for renewal, open or closed with its outcome.
#[Object]
impl Renewal {
    /// `RNW-<n>`.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    /// Renewal date.
    async fn renewal_date(&self) -> Date {
        self.0.renewal_date.into()
    }
    /// ARR up for renewal.
    async fn target_arr(&self) -> Money {
        self.0.target_arr.into()
    }
    /// Status.
    async fn status(&self) -> RenewalStatus {
        self.0.status.into()
    }
    /// ARR after the renewal closed.
    async fn outcome_arr(&self) -> Option<Money> {
        self.0.outcome_arr.map(Money)
    }
    /// When it closed.
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.closed_at
    }
    /// The contract being renewed.
    async fn contract(&self, ctx: &Context<'_>) -> Result<Option<Contract>> {
        Ok(ctx
            .loaders()
            .contract
            .load_one(self.0.contract_id.clone())
            .await
            .map_err(shared)?
            .map(Contract))
    }
    /// The client.
    async fn client(&self, ctx: &Context<'_>) -> Result<Client> {
        load_client(ctx, &self.0.client_id).await
    }
}
