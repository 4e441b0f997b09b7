//! `Client`: an account with its relations, each through a loader.
use super::lifetime_value::CustomerLifetimeValue;
use super::negotiation::Negotiation;
use super::{load_list, load_on, Contact, Contract, HealthSnapshot, Opportunity, Renewal, RevenueEvent, UsageSnapshot};
use crate::domain;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::*;
use crate::graphql::scalars::{Date, Money};
use async_graphql::{Context, Object, Result, ID};
use chrono::{DateTime, Utc};

/// A customer account of the book of business.
pub struct Client(pub domain::Client);

/// A customer account of the book of business.
#[Object]
impl Client {
    /// Public id (`^[A-Za-z0-9_-]{1,100}$`).
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    /// Account name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Legal company name.
    async fn company_name(&self) -> &str {
        &self.0.company_name
    }
    /// Industry.
    async fn industry(&self) -> &str {
        &self.0.industry
    }
    /// Plan tier.
    async fn tier(&self) -> Tier {
        self.0.tier.into()
    }
    /// Lifecycle stage.
    async fn lifecycle_stage(&self) -> LifecycleStage {
        self.0.lifecycle_stage.into()
    }
    /// Account status.
    async fn status(&self) -> ClientStatus {
        self.0.status.into()
    }
    /// The customer-success manager who owns the account.
    async fn csm_owner(&self) -> Option<&str> {
        self.0.csm_owner.as_deref()
    }
    /// First day as a customer.
    async fn customer_since(&self) -> Date {
        self.0.customer_since.into()
    }
    /// What acquiring the client cost (CAC), when known.
    async fn acquisition_cost(&self) -> Option<Money> {
        self.0.acquisition_cost.map(Money)
    }
    /// When the record was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the record last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Optimistic-concurrency version; pass it as `expectedVersion` to `updateClient`.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// ARR on `asOf` (default today): the sum of the client's ledger events dated on or before it.
    async fn arr(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Date of the ARR; default today (UTC).")] as_of: Option<Date>,
    ) -> Result<Money> {
        let facts = load_on(&ctx.loaders().facts, &self.0.id, ctx.as_of(as_of)).await?;
        Ok(Money(facts.map_or(domain::Money::ZERO, |f| f.arr)))
    }
    /// Overall health score 0–100 of the newest snapshot on or before `asOf` (rounded).
    async fn health_score(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Default today (UTC).")] as_of: Option<Date>,
    ) -> Result<Option<i32>> {
        let facts = load_on(&ctx.loaders().facts, &self.0.id, ctx.as_of(as_of)).await?;
        Ok(facts.and_then(|f| f.health.as_ref().map(|h| h.overall_score.round() as i32)))
    }
    /// The newest health snapshot on or before `asOf`, with its components.
    async fn health(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Default today (UTC).")] as_of: Option<Date>,
    ) -> Result<Option<HealthSnapshot>> {
        let facts = load_on(&ctx.loaders().facts, &self.0.id, ctx.as_of(as_of)).await?;
        Ok(facts.and_then(|f| f.health.clone()).map(HealthSnapshot))
    }
    /// The newest monthly usage on or before `asOf`.
    async fn latest_usage(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Default today (UTC).")] as_of: Option<Date>,
    ) -> Result<Option<UsageSnapshot>> {
        let facts = load_on(&ctx.loaders().facts, &self.0.id, ctx.as_of(as_of)).await?;
        Ok(facts.and_then(|f| f.usage.clone()).map(UsageSnapshot))
    }
    /// Customer lifetime value on `asOf` with this client's ARR as ARPA and, when it has an open
    /// renewal, its renewal probability as retention (else the portfolio GRR); BALANCED strategies.
    async fn lifetime_value(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Default today (UTC).")] as_of: Option<Date>,
    ) -> Result<Option<CustomerLifetimeValue>> {
        Ok(load_on(&ctx.loaders().lifetime_value, &self.0.id, ctx.as_of(as_of))
            .await?
            .map(Into::into))
    }
    /// Contacts, primary first.
    async fn contacts(&self, ctx: &Context<'_>) -> Result<Vec<Contact>> {
        load_list(&ctx.loaders().contacts, &self.0.id, Contact).await
    }
    /// Every contract, newest first.
    async fn contracts(&self, ctx: &Context<'_>) -> Result<Vec<Contract>> {
        load_list(&ctx.loaders().contracts, &self.0.id, Contract).await
    }
    /// The contract in force, if any.
    async fn current_contract(&self, ctx: &Context<'_>) -> Result<Option<Contract>> {
        let contracts = load_list(&ctx.loaders().contracts, &self.0.id, Contract).await?;
        Ok(contracts
            .into_iter()
            .find(|c| c.0.status == domain::ContractStatus::Active))
    }
    /// Renewals, latest date first; `status` filters.
    async fn renewals(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only renewals in this status.")] status: Option<RenewalStatus>,
    ) -> Result<Vec<Renewal>> {
        let wanted = status.map(domain::RenewalStatus::from);
        let renewals = load_list(&ctx.loaders().renewals, &self.0.id, Renewal).await?;
        Ok(renewals
            .into_iter()
            .filter(|r| wanted.is_none_or(|s| r.0.status == s))
            .collect())
    }
    /// Expansion opportunities, newest first; `openOnly` hides won and lost ones.
    async fn opportunities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Hide won and lost.", default = false)] open_only: bool,
    ) -> Result<Vec<Opportunity>> {
        let opportunities = load_list(&ctx.loaders().opportunities, &self.0.id, Opportunity).await?;
        Ok(opportunities
            .into_iter()
            .filter(|o| !open_only || !o.0.stage.is_closed())
            .collect())
    }
    /// Monthly usage, oldest first.
    async fn usage_history(&self, ctx: &Context<'_>) -> Result<Vec<UsageSnapshot>> {
        load_list(&ctx.loaders().usage, &self.0.id, UsageSnapshot).await
    }
    /// Health snapshots, oldest first.
    async fn health_history(&self, ctx: &Context<'_>) -> Result<Vec<HealthSnapshot>> {
        load_list(&ctx.loaders().health, &self.0.id, HealthSnapshot).await
    }
    /// The client's ledger, oldest first.
    async fn revenue_events(&self, ctx: &Context<'_>) -> Result<Vec<RevenueEvent>> {
        load_list(&ctx.loaders().revenue_events, &self.0.id, RevenueEvent).await
    }
    /// Probability (118) that the client keeps its open renewal, scored as of `asOf` by one model
    /// trained on the whole book per request (batched across clients); null without an open renewal.
    async fn renewal_probability(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Default today (UTC).")] as_of: Option<Date>,
    ) -> Result<Option<f64>> {
        load_on(&ctx.loaders().renewal_probability, &self.0.id, ctx.as_of(as_of)).await
    }
    /// Renewal negotiations, newest first.
    async fn negotiations(&self, ctx: &Context<'_>) -> Result<Vec<Negotiation>> {
        load_list(&ctx.loaders().negotiations, &self.0.id, Negotiation).await
    }
}
