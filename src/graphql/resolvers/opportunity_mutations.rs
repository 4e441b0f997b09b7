//! Mutations of the expansion pipeline: persist detections, create and move opportunities.
use super::expansion::{domain_types, settings};
use crate::domain::pipeline::{OpportunityForCreate, OpportunityForUpdate};
use crate::graphql::context::ContextExt;
use crate::graphql::enums::{OpportunityStage, OpportunityType};
use crate::graphql::guards::{Role, RoleGuard};
use crate::graphql::scalars::{Date, Money};
use crate::graphql::types::pipeline::IdentifiedOpportunities;
use crate::graphql::types::Opportunity;
use crate::services::expansion::{self, identify, lifecycle};
use async_graphql::{Context, InputObject, Object, Result, ID};

#[derive(Default)]
pub struct OpportunityMutations;

/// A manual opportunity.
#[derive(InputObject)]
pub struct CreateOpportunityInput {
    /// Client id.
    client_id: ID,
    /// Kind of expansion.
    opportunity_type: OpportunityType,
    /// The product it sells (needed to win it, except for seats and usage).
    product_id: Option<ID>,
    /// Short description (1–200 characters, one line).
    name: String,
    /// ARR it would add, ≥ 0.
    value: Money,
    /// Chance of winning, 0–1.
    probability: f64,
    /// Starting stage: IDENTIFIED (default), QUALIFIED or PROPOSED.
    #[graphql(default_with = "OpportunityStage::Identified")]
    stage: OpportunityStage,
    /// Expected close.
    expected_close_date: Option<Date>,
    /// Who works it (1–200 characters, one line).
    owner: Option<String>,
    /// Why it exists (at most 20).
    #[graphql(default)]
    reasons: Vec<String>,
}

/// Changes to an opportunity; absent fields stay.
#[derive(InputObject)]
pub struct UpdateOpportunityInput {
    /// New stage: one step forward (IDENTIFIED → QUALIFIED → PROPOSED → WON) or LOST from any open
    /// stage. WON books the value: a contract line and an EXPANSION ledger event.
    stage: Option<OpportunityStage>,
    /// Short description (1–200 characters, one line).
    name: Option<String>,
    /// ARR it would add, ≥ 0 (> 0 to win).
    value: Option<Money>,
    /// Chance of winning, 0–1 (set to 1 on WON, 0 on LOST).
    probability: Option<f64>,
    /// Expected close.
    expected_close_date: Option<Date>,
    /// Who works it (1–200 characters, one line).
    owner: Option<String>,
    /// Why it exists (replaces the list; at most 20, each 1–500 characters, one line).
    reasons: Option<Vec<String>>,
    /// Day of a move to WON or LOST (default today); the ledger event is dated on it.
    closed_on: Option<Date>,
}

#[Object]
impl OpportunityMutations {
    /// 116 — Detects expansion opportunities on `asOf` and stores them idempotently: new detections
    /// are created IDENTIFIED; stored open ones get fresh value, probability and reasons but keep
    /// their stage; won and lost ones are left alone. Running it twice creates nothing the second
    /// time.
    #[graphql(guard = "RoleGuard::new(Role::Csm)")]
    async fn identify_expansion_opportunities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "One client; absent = the whole portfolio.")] client_id: Option<ID>,
        #[graphql(desc = "Types to detect; absent = all.")] opportunity_types: Option<Vec<OpportunityType>>,
        #[graphql(desc = "Date the data is read on; default today (UTC).")] as_of: Option<Date>,
    ) -> Result<IdentifiedOpportunities> {
        let types = domain_types(opportunity_types);
        let params = expansion::expansion_params(types.as_deref(), &settings(ctx))?;
        let client_id = client_id.as_ref().map(|id| id.as_str());
        let stored = identify::identify(ctx.db(), ctx.request(), client_id, &params, ctx.as_of(as_of)).await?;
        Ok(stored.into())
    }

    /// Creates a manual opportunity (source MANUAL, no detection key).
    #[graphql(guard = "RoleGuard::new(Role::Csm)")]
    async fn create_opportunity(&self, ctx: &Context<'_>, input: CreateOpportunityInput) -> Result<Opportunity> {
        let input = OpportunityForCreate {
            client_id: input.client_id.0,
            opportunity_type: input.opportunity_type.into(),
            product_id: input.product_id.map(|p| p.0),
            name: input.name,
            value: input.value.0,
            probability: input.probability,
            stage: input.stage.into(),
            expected_close_date: input.expected_close_date.map(|d| d.0),
            owner: input.owner,
            reasons: input.reasons,
        };
        Ok(Opportunity(lifecycle::create(ctx.db(), ctx.request(), input).await?))
    }

    /// Changes an opportunity if `expectedVersion` is its current version (else `CONFLICT`).
    /// Illegal stage moves are `BAD_USER_INPUT` (field `stage`, the legal moves listed); won and
    /// lost opportunities are final (`CONFLICT`). Moving to WON, in one transaction, adds the
    /// product line to the client's active contract (seats for a user expansion), appends an
    /// EXPANSION ledger event of the opportunity's category for its value, and raises the open
    /// renewal's target — `CONFLICT` without an active contract, `BAD_USER_INPUT` for a zero value.
    #[graphql(guard = "RoleGuard::new(Role::Csm)")]
    async fn update_opportunity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Opportunity id (`EXP-n`).")] id: ID,
        #[graphql(desc = "The version you read.")] expected_version: i32,
        input: UpdateOpportunityInput,
    ) -> Result<Opportunity> {
        let input = OpportunityForUpdate {
            expected_version,
            stage: input.stage.map(Into::into),
            name: input.name,
            value: input.value.map(|m| m.0),
            probability: input.probability,
            expected_close_date: input.expected_close_date.map(|d| d.0),
            owner: input.owner,
            reasons: input.reasons,
            closed_on: input.closed_on.map(|d| d.0),
        };
        Ok(Opportunity(
            lifecycle::update(ctx.db(), ctx.request(), &id, input).await?,
        ))
    }
}
