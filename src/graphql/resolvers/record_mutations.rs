//! Mutations that record usage, health and ledger history.
use crate::domain::health::{HealthComponents, HealthWeights};
use crate::domain::inputs::*;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::{RevenueCategory, RevenueKind};
use crate::graphql::guards::{Role, RoleGuard};
use crate::graphql::scalars::{Date, Money};
use crate::graphql::types::{HealthSnapshot, RevenueEvent, UsageSnapshot};
use crate::services::records;
use async_graphql::{Context, InputObject, Object, Result, ID};

#[derive(Default)]
pub struct RecordMutations;

/// One month of usage.
#[derive(InputObject)]
pub struct RecordUsageInput {
    /// Client id.
    client_id: ID,
    /// Any day of the month (stored as its first day).
    period_start: Date,
    /// Seats licensed, ≥ 0.
    seats_licensed: i32,
    /// Active users, ≥ 0.
    active_users: i32,
    /// Consumption ÷ plan limit, 0–100.
    usage_rate: f64,
    /// Share of features used, 0–1.
    feature_adoption: f64,
    /// API calls, ≥ 0.
    #[graphql(default = 0)]
    api_calls: i64,
    /// Logins, ≥ 0.
    #[graphql(default = 0)]
    logins: i64,
    /// Reports exported, ≥ 0.
    #[graphql(default = 0)]
    reports_exported: i64,
}

/// A health score from its components, each 0–100.
#[derive(InputObject)]
pub struct RecordHealthScoreInput {
    /// Client id.
    client_id: ID,
    /// Date of the score.
    as_of: Date,
    /// Usage component.
    usage_score: i32,
    /// Engagement component.
    engagement_score: i32,
    /// Support component.
    support_score: i32,
    /// Satisfaction component.
    satisfaction_score: i32,
    /// Payment component.
    payment_score: i32,
}

/// A ledger event imported from history.
#[derive(InputObject)]
pub struct RecordRevenueEventInput {
    /// Client id.
    client_id: ID,
    /// Date it took effect.
    occurred_on: Date,
    /// Kind; its sign rule: NEW, EXPANSION, REACTIVATION > 0; CONTRACTION, CHURN < 0.
    kind: RevenueKind,
    /// Cause.
    category: RevenueCategory,
    /// Signed ARR change.
    arr_delta: Money,
    /// The client's contract it belongs to.
    contract_id: Option<ID>,
}

#[Object]
impl RecordMutations {
    /// Records a month of usage (one per client and month).
    #[graphql(guard = "RoleGuard::new(Role::Csm)")]
    async fn record_usage(&self, ctx: &Context<'_>, input: RecordUsageInput) -> Result<UsageSnapshot> {
        let input = UsageForCreate {
            client_id: input.client_id.0,
            period_start: input.period_start.0,
            seats_licensed: input.seats_licensed,
            active_users: input.active_users,
            usage_rate: input.usage_rate,
            feature_adoption: input.feature_adoption,
            api_calls: input.api_calls,
            logins: input.logins,
            reports_exported: input.reports_exported,
        };
        Ok(UsageSnapshot(
            records::record_usage(ctx.db(), ctx.request(), input).await?,
        ))
    }

    /// Records a health score: overall = Σ component × configured weight; trend versus the
    /// previous snapshot (±3 points).
    #[graphql(guard = "RoleGuard::new(Role::Csm)")]
    async fn record_health_score(&self, ctx: &Context<'_>, input: RecordHealthScoreInput) -> Result<HealthSnapshot> {
        let input = HealthForCreate {
            client_id: input.client_id.0,
            as_of: input.as_of.0,
            components: HealthComponents {
                usage: input.usage_score,
                engagement: input.engagement_score,
                support: input.support_score,
                satisfaction: input.satisfaction_score,
                payment: input.payment_score,
            },
        };
        let weights = ctx.data_unchecked::<HealthWeights>();
        Ok(HealthSnapshot(
            records::record_health(ctx.db(), ctx.request(), weights, input).await?,
        ))
    }

    /// Imports a ledger event (history); refused if it takes ARR below zero.
    #[graphql(guard = "RoleGuard::new(Role::Admin)")]
    async fn record_revenue_event(&self, ctx: &Context<'_>, input: RecordRevenueEventInput) -> Result<RevenueEvent> {
        let input = RevenueEventForCreate {
            client_id: input.client_id.0,
            occurred_on: input.occurred_on.0,
            kind: input.kind.into(),
            category: input.category.into(),
            arr_delta: input.arr_delta.0,
            contract_id: input.contract_id.map(|id| id.0),
        };
        Ok(RevenueEvent(
            records::record_revenue_event(ctx.db(), ctx.request(), input).await?,
        ))
    }
}
