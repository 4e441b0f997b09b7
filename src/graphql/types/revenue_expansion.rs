//! 120 — `revenueExpansion`: GraphQL views of the pure report.
use super::{load_client, Client};
use crate::graphql::enums::RevenueCategory;
use crate::graphql::scalars::{Date, Money};
use crate::processes::revenue as report;
use async_graphql::{ComplexObject, Context, Enum, Result, SimpleObject};

/// Calendar period length.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimePeriod {
    /// Calendar months.
    Monthly,
    /// Calendar quarters.
    #[default]
    Quarterly,
    /// Calendar years.
    Yearly,
}

impl From<TimePeriod> for report::TimePeriod {
    fn from(p: TimePeriod) -> Self {
        match p {
            TimePeriod::Monthly => report::TimePeriod::Monthly,
            TimePeriod::Quarterly => report::TimePeriod::Quarterly,
            TimePeriod::Yearly => report::TimePeriod::Yearly,
        }
    }
}

/// Revenue retention and expansion per period, oldest first, with the open pipeline.
#[derive(SimpleObject)]
pub struct RevenueExpansion {
    /// The date the report is as of.
    pub as_of: Date,
    /// One entry per period, oldest first; the last is cut at `asOf`.
    pub periods: Vec<RevenuePeriod>,
    /// Open opportunities (when `includePipeline`).
    pub pipeline: Option<ExpansionPipeline>,
}

/// The cohort movements of one period [start, end]. Cohort = clients with ARR on start − 1 day.
/// NRR = cohort ARR on end ÷ startingArr; GRR = (startingArr − contraction − churned) ÷ startingArr;
/// expansionRate = expansionArr ÷ startingArr (NRR = GRR + expansionRate, each rounded to 4 places
/// on its own, so within 0.0001). Rates are null for an empty cohort.
#[derive(SimpleObject)]
pub struct RevenuePeriod {
    /// `2026-Q3`, `2026-08` or `2026`.
    pub label: String,
    /// First day.
    pub start: Date,
    /// Last day counted (asOf for the current period).
    pub end: Date,
    /// False for the period containing asOf, unless asOf is its last day.
    pub complete: bool,
    /// Clients with ARR > 0 the day before start.
    pub cohort_clients: usize,
    /// Cohort clients with ARR > 0 on end.
    pub retained_clients: usize,
    /// Cohort clients with ARR 0 on end.
    pub churned_clients: usize,
    /// Cohort clients whose ARR grew.
    pub expanded_clients: usize,
    /// Cohort clients whose ARR shrank (not to 0).
    pub contracted_clients: usize,
    /// Clients outside the cohort with ARR on end.
    pub new_clients: usize,
    /// Σ cohort ARR the day before start.
    pub starting_arr: Money,
    /// Σ max(Δ, 0) over retained cohort clients.
    pub expansion_arr: Money,
    /// Σ max(−Δ, 0) over retained cohort clients.
    pub contraction_arr: Money,
    /// Σ starting ARR of churned cohort clients.
    pub churned_arr: Money,
    /// Σ cohort ARR on end.
    pub cohort_ending_arr: Money,
    /// ARR on end of clients outside the cohort.
    pub new_arr: Money,
    /// Σ ARR on end of all clients.
    pub ending_arr: Money,
    /// Net revenue retention, 0…∞ (null for an empty cohort).
    pub net_revenue_retention: Option<f64>,
    /// Gross revenue retention, 0–1.
    pub gross_revenue_retention: Option<f64>,
    /// Retained ÷ cohort clients.
    pub logo_retention: Option<f64>,
    /// expansionArr ÷ startingArr.
    pub expansion_rate: Option<f64>,
    /// Σ of the cohort's positive ledger events in the period (gross, before netting).
    pub gross_expansion_arr: Money,
    /// The gross positive events by category.
    pub expansion_by_type: Vec<CategoryArr>,
    /// The five cohort clients with the largest net ARR growth.
    pub top_expansion_accounts: Vec<ExpansionAccount>,
    /// How expansion correlates with health, seat utilization and adoption at start.
    pub success_factors: SuccessFactors,
}

/// Gross positive ARR movements of one category.
#[derive(SimpleObject)]
pub struct CategoryArr {
    /// The category.
    pub category: RevenueCategory,
    /// Σ of its positive events.
    pub arr: Money,
    /// Clients with such events.
    pub clients: usize,
}

/// A cohort client whose ARR grew most.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ExpansionAccount {
    /// The client's id.
    pub client_id: String,
    /// ARR the day before start.
    pub starting_arr: Money,
    /// ARR on end.
    pub ending_arr: Money,
    /// Net growth.
    pub expansion_arr: Money,
    /// The category with the most gross positive ARR.
    pub dominant_category: Option<RevenueCategory>,
    /// That category's gross positive ARR.
    pub dominant_category_arr: Option<Money>,
}

#[ComplexObject]
impl ExpansionAccount {
    /// The client.
    async fn client(&self, ctx: &Context<'_>) -> Result<Client> {
        load_client(ctx, &self.client_id).await
    }
}

/// Pearson correlations over the cohort between "expanded" (1/0) and facts at the period start.
#[derive(SimpleObject)]
pub struct SuccessFactors {
    /// Health score at start.
    pub health: FactorCorrelation,
    /// Seat utilization at start.
    pub seat_utilization: FactorCorrelation,
    /// Feature adoption at start.
    pub adoption: FactorCorrelation,
}

/// One correlation, with the group means that explain it.
#[derive(SimpleObject)]
pub struct FactorCorrelation {
    /// Pearson r in −1…1; null when undefined (fewer than 2 points or no variance).
    pub correlation: Option<f64>,
    /// Cohort clients with this fact.
    pub sample_size: usize,
    /// Mean of the fact among expanded clients.
    pub mean_when_expanded: Option<f64>,
    /// Mean among the others.
    pub mean_otherwise: Option<f64>,
}

/// Open opportunities (stage not won or lost) by probability band.
#[derive(SimpleObject)]
pub struct ExpansionPipeline {
    /// How many.
    pub open_opportunities: usize,
    /// Σ value.
    pub total_value: Money,
    /// Σ value × probability.
    pub weighted_value: Money,
    /// Probability ≥ 0.70.
    pub high: PipelineBand,
    /// 0.40 ≤ probability < 0.70.
    pub medium: PipelineBand,
    /// Probability < 0.40.
    pub low: PipelineBand,
}

/// Opportunities of one probability band.
#[derive(SimpleObject)]
pub struct PipelineBand {
    /// How many.
    pub opportunities: usize,
    /// Σ value.
    pub value: Money,
    /// Σ value × probability.
    pub weighted_value: Money,
}

impl From<report::RevenueExpansion> for RevenueExpansion {
    fn from(r: report::RevenueExpansion) -> Self {
        RevenueExpansion {
            as_of: r.as_of.into(),
            periods: r.periods.into_iter().map(Into::into).collect(),
            pipeline: r.pipeline.map(Into::into),
        }
    }
}

impl From<report::PeriodMovements> for RevenuePeriod {
    fn from(m: report::PeriodMovements) -> Self {
        RevenuePeriod {
            label: m.period.label,
            start: m.period.start.into(),
            end: m.period.end.into(),
            complete: m.period.complete,
            cohort_clients: m.cohort_clients,
            retained_clients: m.retained_clients,
            churned_clients: m.churned_clients,
            expanded_clients: m.expanded_clients,
            contracted_clients: m.contracted_clients,
            new_clients: m.new_clients,
            starting_arr: m.starting_arr.into(),
            expansion_arr: m.expansion_arr.into(),
            contraction_arr: m.contraction_arr.into(),
            churned_arr: m.churned_arr.into(),
            cohort_ending_arr: m.cohort_ending_arr.into(),
            new_arr: m.new_arr.into(),
            ending_arr: m.ending_arr.into(),
            net_revenue_retention: m.net_revenue_retention,
            gross_revenue_retention: m.gross_revenue_retention,
            logo_retention: m.logo_retention,
            expansion_rate: m.expansion_rate,
            gross_expansion_arr: m.gross_expansion_arr.into(),
            expansion_by_type: m
                .expansion_by_type
                .into_iter()
                .map(|c| CategoryArr {
                    category: c.category.into(),
                    arr: c.arr.into(),
                    clients: c.clients,
                })
                .collect(),
            top_expansion_accounts: m
                .top_expansion_accounts
                .into_iter()
                .map(|a| ExpansionAccount {
                    client_id: a.client_id,
                    starting_arr: a.starting_arr.into(),
                    ending_arr: a.ending_arr.into(),
                    expansion_arr: a.expansion_arr.into(),
                    dominant_category: a.dominant_category.map(Into::into),
                    dominant_category_arr: a.dominant_category_arr.map(Money),
                })
                .collect(),
            success_factors: SuccessFactors {
                health: m.success_factors.health.into(),
                seat_utilization: m.success_factors.seat_utilization.into(),
                adoption: m.success_factors.adoption.into(),
            },
        }
    }
}

impl From<report::FactorCorrelation> for FactorCorrelation {
    fn from(f: report::FactorCorrelation) -> Self {
        FactorCorrelation {
            correlation: f.correlation,
            sample_size: f.sample_size,
            mean_when_expanded: f.mean_when_expanded,
            mean_otherwise: f.mean_otherwise,
        }
    }
}

impl From<report::BandTotal> for PipelineBand {
    fn from(b: report::BandTotal) -> Self {
        PipelineBand {
            opportunities: b.opportunities,
            value: b.value.into(),
            weighted_value: b.weighted_value.into(),
        }
    }
}

impl From<report::Pipeline> for ExpansionPipeline {
    fn from(p: report::Pipeline) -> Self {
        ExpansionPipeline {
            open_opportunities: p.open_opportunities,
            total_value: p.total_value.into(),
            weighted_value: p.weighted_value.into(),
            high: p.high.into(),
            medium: p.medium.into(),
            low: p.low.into(),
        }
    }
}
