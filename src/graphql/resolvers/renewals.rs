//! 117 `renewals` and `dueReminders`, 118 `renewalForecast` and `renewalForecastBacktest`, and
//! reading a 119 `negotiation` back.
use crate::graphql::connection::{connection, page_request, Paged};
use crate::graphql::context::ContextExt;
use crate::graphql::item_page::ItemWindow;
use crate::graphql::scalars::Date;
use crate::graphql::types::forecast::{RenewalForecast, RenewalForecastBacktest};
use crate::graphql::types::negotiation::Negotiation;
use crate::graphql::types::reminder::RenewalReminder;
use crate::graphql::types::renewal_tracking::RenewalTracking;
use crate::services::reminders::ReminderOffsets;
use crate::services::{forecast, negotiations, reminders, renewals};
use async_graphql::{Context, Object, Result, ID};

#[derive(Default)]
pub struct RenewalQueries;

#[Object]
impl RenewalQueries {
    /// 117 — Open renewals due in [asOf, asOf + daysUntilRenewal] with their reminders, renewal
    /// probability (118), stakeholders and open opportunities; the overdue ones; and a summary.
    #[allow(clippy::too_many_arguments)] // one per GraphQL argument
    async fn renewals(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "One client; absent = portfolio.")] client_id: Option<ID>,
        #[graphql(desc = "Window length in days, 1–730 (default 90).", default = 90)] days_until_renewal: i64,
        #[graphql(desc = "Report date; default today (UTC).")] as_of: Option<Date>,
        #[graphql(desc = "Items per page, 1–1000 (default 100); the summary covers all items.")] first: Option<i32>,
        #[graphql(desc = "endCursor of the previous page.")] after: Option<String>,
        #[graphql(desc = "Overdue renewals per page, 1–1000 (default 100); the summary covers all of them.")]
        overdue_first: Option<i32>,
        #[graphql(desc = "overduePage.endCursor of the previous page.")] overdue_after: Option<String>,
    ) -> Result<RenewalTracking> {
        let offsets = ctx.data_unchecked::<ReminderOffsets>();
        let client_id = client_id.as_ref().map(|id| id.as_str());
        let window = ItemWindow::new(first, after)?;
        let overdue_window = ItemWindow::new(overdue_first, overdue_after)?;
        let tracking = renewals::track(ctx.db(), &offsets.0, client_id, days_until_renewal, ctx.as_of(as_of)).await?;
        Ok(RenewalTracking::page(&tracking, window, overdue_window))
    }

    /// 117 — A CSM's task list: unfinished reminders of open renewals due on or before `asOf`,
    /// earliest first.
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity")]
    async fn due_reminders(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Due on or before this date; default today (UTC).")] as_of: Option<Date>,
        #[graphql(desc = "Only clients this CSM owns (client.csmOwner, exact).")] owner: Option<String>,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "endCursor of the previous page.")] after: Option<String>,
    ) -> Result<Paged<RenewalReminder>> {
        let page = page_request(ctx, first, after)?;
        let as_of = ctx.as_of(as_of);
        let rows = reminders::due(ctx.db(), as_of, owner.as_deref(), page).await?;
        Ok(connection(page, rows, |row| RenewalReminder { row, as_of }))
    }

    /// 118 — Open renewals due in [asOf, asOf + forecastPeriodDays], each with the probability of a
    /// model trained on the closed renewals, the expected retained and churned ARR, and the risks.
    async fn renewal_forecast(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Period length in days, 1–730 (default 180).", default = 180)] forecast_period_days: i64,
        #[graphql(desc = "Add risk factors and mitigation steps (default true).", default = true)]
        include_risk_analysis: bool,
        #[graphql(desc = "Forecast date; default today (UTC).")] as_of: Option<Date>,
        #[graphql(desc = "Items per page, 1–1000 (default 100); the summary covers all items.")] first: Option<i32>,
        #[graphql(desc = "endCursor of the previous page.")] after: Option<String>,
    ) -> Result<RenewalForecast> {
        let as_of = ctx.as_of(as_of);
        let window = ItemWindow::new(first, after)?;
        let report = forecast::renewal_forecast(ctx.db(), forecast_period_days, include_risk_analysis, as_of).await?;
        Ok(RenewalForecast::page(&report, window))
    }

    /// 118 — How the forecast would have done: trained on renewals closed before `from`, scored on
    /// the renewals due in [from, to] (Brier score, log loss, calibration, the heuristic's Brier).
    async fn renewal_forecast_backtest(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Training cut-off and first renewal date evaluated.")] from: Date,
        #[graphql(desc = "Last renewal date evaluated (at most ten years after from).")] to: Date,
    ) -> Result<RenewalForecastBacktest> {
        Ok(forecast::backtest(ctx.db(), from.0, to.0).await?.into())
    }

    /// 119 — One negotiation by id; `NOT_FOUND` when there is none.
    async fn negotiation(&self, ctx: &Context<'_>, #[graphql(desc = "`NEG-<n>`.")] id: ID) -> Result<Negotiation> {
        Ok(Negotiation(negotiations::get(ctx.db(), &id).await?))
    }
}
