//! 120 — track revenue expansion: NRR, GRR, logo retention and expansion rate per calendar period
//! (DESIGN §5), with where the expansion came from, the open pipeline and the success factors.
//!
//! The flow: [`periods`] cuts the calendar; for each [`Period`] the database aggregates the ledger
//! into one [`ClientEdge`] per client (ARR on `s − 1` and on `e`) and the gross positive movements
//! per client and category ([`ClientCategoryArr`]); [`period_movements`] is the single definition
//! of the figures; [`revenue_expansion`] assembles the report. [`ledger`] holds the reference path
//! from raw events, for tests.
//!
//! Rounding: money stays in integer cents, so `startingArr − churnedArr − contractionArr +
//! expansionArr = cohortEndingArr` holds exactly. Each rate is computed from cents as an exact
//! integer ratio and rounded half away from zero to 4 places on its own, so every published rate is
//! its definition correctly rounded; the price is that NRR and GRR + expansionRate (equal in exact
//! arithmetic) may differ by one unit in the last place: |NRR − (GRR + expansionRate)| ≤ 0.0001.
mod accounts;
mod cohort;
mod factors;
pub mod ledger;
pub(crate) mod math;
mod periods;
mod pipeline;
#[cfg(test)]
mod proptests;
pub(crate) mod ser;
#[cfg(test)]
pub(crate) mod tests;

pub use accounts::{CategoryArr, ExpansionAccount, TOP_ACCOUNTS};
pub use cohort::{
    movements_of, period_movements, ClientCategoryArr, ClientEdge, PeriodInput, PeriodMovements, StartFacts,
};
pub use factors::{pearson, FactorCorrelation, SuccessFactors};
pub use periods::{edge_dates, periods, Period, TimePeriod, MAX_PERIODS};
pub use pipeline::{pipeline, BandTotal, OpenOpportunity, Pipeline, HIGH_BAND, MEDIUM_BAND};

use chrono::NaiveDate;
use serde::Serialize;

/// The revenue expansion report: one entry per period, oldest first, and the open pipeline.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RevenueExpansion {
    /// The period length asked for.
    pub time_period: TimePeriod,
    /// The date the report is as of.
    pub as_of: NaiveDate,
    /// The movements of each period, oldest first (a trend to chart).
    pub periods: Vec<PeriodMovements>,
    /// The open pipeline, when asked for.
    pub pipeline: Option<Pipeline>,
}

/// Assembles the report from each period's inputs (any order; sorted oldest first) and, when the
/// pipeline is wanted, the open opportunities.
pub fn revenue_expansion(
    time_period: TimePeriod,
    as_of: NaiveDate,
    inputs: &[PeriodInput],
    open_opportunities: Option<&[OpenOpportunity]>,
) -> RevenueExpansion {
    let mut periods: Vec<PeriodMovements> = inputs.iter().map(movements_of).collect();
    periods.sort_by_key(|p| (p.period.start, p.period.end));
    RevenueExpansion {
        time_period,
        as_of,
        periods,
        pipeline: open_opportunities.map(pipeline),
    }
}
