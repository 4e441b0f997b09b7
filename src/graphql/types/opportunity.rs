//! `Opportunity`.
use super::{load_client, Client, Product};
use crate::domain;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::*;
use crate::graphql::errors::shared;
use crate::graphql::scalars::{Date, Money};
use async_graphql::{Context, Object, Result, ID};
use chrono::{DateTime, Utc};

/// An expansion opportunity.
pub struct Opportunity(pub domain::Opportunity);

/// An expansion opportunity.
#[Object]
impl Opportunity {
    /// `EXP-<n>`.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    /// Kind of expansion.
    async fn opportunity_type(&self) -> OpportunityType {
        self.0.opportunity_type.into()
    }
    /// Short description.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// ARR it would add.
    async fn value(&self) -> Money {
        self.0.value.into()
    }
    /// Chance of winning, 0–1.
    async fn probability(&self) -> f64 {
        self.0.probability
    }
    /// Sales stage.
    async fn stage(&self) -> OpportunityStage {
        self.0.stage.into()
    }
    /// Detected by a process or entered by hand.
    async fn source(&self) -> OpportunitySource {
        self.0.source.into()
    }
    /// Stable key of a detection (`<type>:<client>:<what>`); null for manual opportunities.
    async fn detection_key(&self) -> Option<&str> {
        self.0.detection_key.as_deref()
    }
    /// The data behind it.
    async fn reasons(&self) -> &[String] {
        &self.0.reasons
    }
    /// Expected close.
    async fn expected_close_date(&self) -> Option<Date> {
        self.0.expected_close_date.map(Date)
    }
    /// When it was won or lost.
    async fn closed_on(&self) -> Option<Date> {
        self.0.closed_on.map(Date)
    }
    /// Who works it.
    async fn owner(&self) -> Option<&str> {
        self.0.owner.as_deref()
    }
    /// Optimistic-concurrency version.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When it was recorded.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The product it sells, if any.
    async fn product(&self, ctx: &Context<'_>) -> Result<Option<Product>> {
        let Some(id) = self.0.product_id.clone() else {
            return Ok(None);
        };
        Ok(ctx.loaders().product.load_one(id).await.map_err(shared)?.map(Product))
    }
    /// The client.
    async fn client(&self, ctx: &Context<'_>) -> Result<Client> {
        load_client(ctx, &self.0.client_id).await
    }
}
