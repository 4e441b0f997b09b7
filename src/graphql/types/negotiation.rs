//! 119 — `Negotiation`, its offers, and the result of `closeRenewal`.
use super::negotiation_package::NegotiationPackage;
use super::{load_client, load_list, Client, Contract, Renewal, RevenueEvent};
use crate::domain::negotiation;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::{NegotiationStatus, NegotiationStrategy, RenewalStatus};
use crate::graphql::errors::shared;
use crate::graphql::scalars::Money;
use crate::services::{closing, negotiations};
use async_graphql::{Context, Error, Object, Result, ID};
use chrono::{DateTime, Utc};

/// A renewal negotiation: the package computed when it started, and the offers made since.
pub struct Negotiation(pub negotiations::Negotiation);

/// A renewal negotiation: the package computed when it started, and the offers made since.
#[Object]
impl Negotiation {
    /// `NEG-<n>`.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    /// The strategy of the package.
    async fn strategy(&self) -> NegotiationStrategy {
        self.0.strategy.into()
    }
    /// Open until its renewal is closed, or until a newer negotiation of the renewal supersedes it.
    async fn status(&self) -> NegotiationStatus {
        self.0.status.into()
    }
    /// The negotiation that superseded this one.
    async fn superseded_by(&self) -> Option<ID> {
        self.0.superseded_by.clone().map(ID)
    }
    /// When it started.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When its renewal was closed, or when it was superseded.
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.closed_at
    }
    /// The package: current contract, proposal, term options, value, risks, guardrails, talking points.
    async fn package(&self) -> NegotiationPackage {
        self.0.package.clone().into()
    }
    /// The client.
    async fn client(&self, ctx: &Context<'_>) -> Result<Client> {
        load_client(ctx, &self.0.client_id).await
    }
    /// The renewal negotiated.
    async fn renewal(&self, ctx: &Context<'_>) -> Result<Renewal> {
        let renewal = ctx
            .loaders()
            .renewal
            .load_one(self.0.renewal_id.clone())
            .await
            .map_err(shared)?;
        renewal
            .map(Renewal)
            .ok_or_else(|| Error::new(format!("renewal {} missing", self.0.renewal_id)))
    }
    /// Offers recorded, oldest first.
    async fn offers(&self, ctx: &Context<'_>) -> Result<Vec<NegotiationOffer>> {
        load_list(&ctx.loaders().offers, &self.0.id, NegotiationOffer).await
    }
}

/// An offer made in a negotiation.
pub struct NegotiationOffer(pub negotiation::NegotiationOffer);

/// An offer made in a negotiation.
#[Object]
impl NegotiationOffer {
    /// Offer id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Offered annual ARR.
    async fn arr(&self) -> Money {
        self.0.arr.into()
    }
    /// Contract length in months.
    async fn term_months(&self) -> i32 {
        self.0.term_months
    }
    /// 1 − arr ÷ the proposal's totalProposedArr, within 0–1 (0 for an offer above the proposal).
    async fn discount(&self) -> f64 {
        self.0.discount
    }
    /// Who approved it.
    async fn approved_by(&self) -> Option<&str> {
        self.0.approved_by.as_deref()
    }
    /// When it was recorded.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// What `closeRenewal` wrote, in one transaction.
pub struct RenewalClosing(pub closing::ClosedRenewal);

/// What `closeRenewal` wrote, in one transaction.
#[Object]
impl RenewalClosing {
    /// The renewal with its outcome.
    async fn renewal(&self) -> Renewal {
        Renewal(self.0.renewal.clone())
    }
    /// Renewed (final ≥ target), downgraded, or churned (final = 0).
    async fn status(&self) -> RenewalStatus {
        self.0.renewal.status.into()
    }
    /// The final ARR.
    async fn outcome_arr(&self) -> Option<Money> {
        self.0.renewal.outcome_arr.map(Money)
    }
    /// The ledger event for finalArr − target (null when equal).
    async fn revenue_event(&self) -> Option<RevenueEvent> {
        self.0.revenue_event.clone().map(RevenueEvent)
    }
    /// The contract that follows, its items scaled to the final ARR (null when churned).
    async fn next_contract(&self) -> Option<Contract> {
        self.0.next_contract.clone().map(Contract)
    }
    /// Its open renewal (null when churned).
    async fn next_renewal(&self) -> Option<Renewal> {
        self.0.next_renewal.clone().map(Renewal)
    }
    /// Open negotiations of the renewal that were closed.
    async fn negotiations_closed(&self) -> u64 {
        self.0.negotiations_closed
    }
}
