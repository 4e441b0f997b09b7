//! 120 `revenueExpansion` and 121 `customerLifetimeValue`.
use crate::graphql::context::ContextExt;
use crate::graphql::scalars::Date;
use crate::graphql::types::lifetime_value::{CustomerLifetimeValue, OptimizationFocus};
use crate::graphql::types::revenue_expansion::{RevenueExpansion, TimePeriod};
use crate::processes::lifetime_value::ClvParams;
use crate::services::revenue;
use async_graphql::{Context, Object, Result, ID};

#[derive(Default)]
pub struct RevenueQueries;

#[Object]
impl RevenueQueries {
    /// 120 — Net and gross revenue retention, logo retention and expansion per calendar period, from
    /// the ARR ledger, oldest period first (the last cut at `asOf`), with the open pipeline.
    async fn revenue_expansion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Period length (default QUARTERLY).", default)] time_period: TimePeriod,
        #[graphql(desc = "Include open opportunities by band (default true).", default = true)] include_pipeline: bool,
        #[graphql(
            desc = "How many periods, 1–24 (default 1): earlier full ones are added.",
            default = 1
        )]
        periods: i32,
        #[graphql(desc = "Report date; default today (UTC).")] as_of: Option<Date>,
    ) -> Result<RevenueExpansion> {
        let as_of = ctx.as_of(as_of);
        let selection = revenue::RevenueSelection {
            pipeline: include_pipeline,
            success_factors: ctx.look_ahead().field("periods").field("successFactors").exists(),
        };
        let report = revenue::revenue_expansion(ctx.db(), time_period.into(), selection, periods.into(), as_of).await?;
        Ok(report.into())
    }

    /// 121 — Customer lifetime value of the portfolio or one client, with LTV:CAC and the
    /// strategies (retention, expansion, CAC) that would raise it.
    async fn customer_lifetime_value(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "One client (its ARR and renewal outlook); absent = portfolio.")] client_id: Option<ID>,
        #[graphql(desc = "Which strategies to keep (default BALANCED).", default)]
        optimization_focus: OptimizationFocus,
        #[graphql(desc = "Report date; default today (UTC).")] as_of: Option<Date>,
    ) -> Result<CustomerLifetimeValue> {
        let as_of = ctx.as_of(as_of);
        let params = ctx.data_unchecked::<ClvParams>();
        let value = revenue::lifetime_value(
            ctx.db(),
            params,
            client_id.as_ref().map(|id| id.as_str()),
            optimization_focus.into(),
            as_of,
        )
        .await?;
        Ok(value.into())
    }
}
