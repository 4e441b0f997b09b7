//! 121 — `customerLifetimeValue`: GraphQL views of the pure result.
use crate::graphql::scalars::{Date, Money};
use crate::processes::lifetime_value as clv;
use async_graphql::{Enum, SimpleObject};

/// Which lever an optimization focus keeps.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum OptimizationFocus {
    /// Only improve_retention.
    Retention,
    /// Only increase_expansion.
    Expansion,
    /// Only reduce_cac.
    Efficiency,
    /// All three.
    #[default]
    Balanced,
}

impl From<OptimizationFocus> for clv::OptimizationFocus {
    fn from(f: OptimizationFocus) -> Self {
        match f {
            OptimizationFocus::Retention => clv::OptimizationFocus::Retention,
            OptimizationFocus::Expansion => clv::OptimizationFocus::Expansion,
            OptimizationFocus::Efficiency => clv::OptimizationFocus::Efficiency,
            OptimizationFocus::Balanced => clv::OptimizationFocus::Balanced,
        }
    }
}

/// A lever of customer lifetime value.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum StrategyKind {
    /// Retention g + 0.05 (capped at 0.99).
    ImproveRetention,
    /// Expansion e + 0.10.
    IncreaseExpansion,
    /// CAC × 0.75.
    ReduceCac,
}

impl From<clv::StrategyKind> for StrategyKind {
    fn from(k: clv::StrategyKind) -> Self {
        match k {
            clv::StrategyKind::ImproveRetention => StrategyKind::ImproveRetention,
            clv::StrategyKind::IncreaseExpansion => StrategyKind::IncreaseExpansion,
            clv::StrategyKind::ReduceCac => StrategyKind::ReduceCac,
        }
    }
}

/// Where the retention rate g came from.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum RetentionSource {
    /// The client's renewal probability (renewal forecast).
    RenewalProbability,
    /// The portfolio's trailing-12-month gross revenue retention.
    PortfolioGrr,
}

/// Which clients' acquisition costs CAC averages.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum CacSource {
    /// Clients acquired in the trailing 12 months.
    AcquiredInWindow,
    /// All clients with a recorded cost (none acquired in the window has one).
    AllClients,
    /// No acquisition cost recorded.
    Unavailable,
}

/// Customer lifetime value: CLV(g, e) = ARPA × m × Σ_{y=0}^{H−1} ((g + e) ÷ (1 + d))^y, with the
/// strategies that would raise it.
#[derive(SimpleObject)]
pub struct CustomerLifetimeValue {
    /// The date it is as of.
    pub as_of: Date,
    /// The client, when asked for one (its ARR is the ARPA).
    pub client_id: Option<String>,
    /// The parameters used (from config).
    pub parameters: ClvParameters,
    /// The trailing-12-month portfolio figures it rests on.
    pub portfolio: ClvPortfolio,
    /// Average revenue per account: mean current ARR of active clients (or the client's ARR).
    pub arpa: Option<Money>,
    /// g: the retention rate used.
    pub retention_rate: Option<f64>,
    /// Where g came from.
    pub retention_source: RetentionSource,
    /// e: the trailing-12-month expansion rate.
    pub expansion_rate: Option<f64>,
    /// 12 × min(H, 1 ÷ (1 − logo retention)).
    pub avg_customer_lifespan_months: Option<f64>,
    /// CLV(g, e); null when ARPA, g or e is unknown (see reasons).
    pub customer_lifetime_value: Option<Money>,
    /// Customer acquisition cost.
    pub cac: Option<Money>,
    /// CLV ÷ CAC.
    pub ltv_cac_ratio: Option<f64>,
    /// The strategies kept by the focus, each with its impact.
    pub strategies: Vec<ClvStrategy>,
    /// CLV with the kept strategies applied together.
    pub target_clv: Option<Money>,
    /// Target CLV ÷ target CAC.
    pub target_ltv_cac_ratio: Option<f64>,
    /// targetClv − CLV.
    pub improvement_potential: Option<Money>,
    /// improvementPotential ÷ CLV.
    pub improvement_potential_ratio: Option<f64>,
    /// The strategies as steps, largest impact first.
    pub roadmap: Vec<ClvRoadmapStep>,
    /// What the figures rest on, and why any is missing.
    pub reasons: Vec<String>,
}

/// The CLV parameters, echoed.
#[derive(SimpleObject)]
pub struct ClvParameters {
    /// Gross margin m.
    pub gross_margin: f64,
    /// Horizon H in years.
    pub horizon_years: u32,
    /// Yearly discount rate d.
    pub discount_rate: f64,
    /// Added to g by improve_retention.
    pub retention_uplift: f64,
    /// Cap of g after the uplift.
    pub retention_cap: f64,
    /// Added to e by increase_expansion.
    pub expansion_uplift: f64,
    /// CAC multiplier of reduce_cac.
    pub cac_reduction_factor: f64,
}

/// The trailing-12-month portfolio basis.
#[derive(SimpleObject)]
pub struct ClvPortfolio {
    /// Window start.
    pub window_start: Date,
    /// Window end (asOf).
    pub window_end: Date,
    /// Clients with ARR the day before the window.
    pub cohort_clients: usize,
    /// Trailing-12-month GRR.
    pub gross_revenue_retention: Option<f64>,
    /// Trailing-12-month expansion rate.
    pub expansion_rate: Option<f64>,
    /// Trailing-12-month logo retention.
    pub logo_retention: Option<f64>,
    /// Mean current ARR of active clients.
    pub arpa: Option<Money>,
    /// Active clients with ARR.
    pub active_clients: usize,
    /// Mean acquisition cost.
    pub cac: Option<Money>,
    /// Which clients CAC averages.
    pub cac_source: CacSource,
    /// How many costs it averages.
    pub cac_clients: usize,
}

/// One strategy and its impact.
#[derive(SimpleObject)]
pub struct ClvStrategy {
    /// The lever.
    pub strategy: StrategyKind,
    /// Its rate now (g or e).
    pub current_rate: Option<f64>,
    /// Its rate after.
    pub target_rate: Option<f64>,
    /// CAC now.
    pub current_cac: Option<Money>,
    /// CAC after.
    pub target_cac: Option<Money>,
    /// CLV after.
    pub target_clv: Money,
    /// CLV(target) − CLV(current).
    pub clv_impact: Money,
    /// LTV:CAC after.
    pub target_ltv_cac_ratio: Option<f64>,
    /// Change of LTV:CAC.
    pub ltv_cac_impact: Option<f64>,
}

/// A step of the roadmap.
#[derive(SimpleObject)]
pub struct ClvRoadmapStep {
    /// 1-based order.
    pub step: usize,
    /// The lever.
    pub strategy: StrategyKind,
    /// What to do, with the numbers.
    pub action: String,
    /// CLV impact.
    pub clv_impact: Money,
    /// LTV:CAC impact.
    pub ltv_cac_impact: Option<f64>,
}

impl From<clv::CustomerLifetimeValue> for CustomerLifetimeValue {
    fn from(v: clv::CustomerLifetimeValue) -> Self {
        let p = v.params;
        let b = v.portfolio;
        CustomerLifetimeValue {
            as_of: v.as_of.into(),
            client_id: v.client_id,
            parameters: ClvParameters {
                gross_margin: p.gross_margin,
                horizon_years: p.horizon_years,
                discount_rate: p.discount_rate,
                retention_uplift: p.retention_uplift,
                retention_cap: p.retention_cap,
                expansion_uplift: p.expansion_uplift,
                cac_reduction_factor: p.cac_reduction_factor,
            },
            portfolio: ClvPortfolio {
                window_start: b.window.start.into(),
                window_end: b.window.end.into(),
                cohort_clients: b.cohort_clients,
                gross_revenue_retention: b.gross_revenue_retention,
                expansion_rate: b.expansion_rate,
                logo_retention: b.logo_retention,
                arpa: b.arpa.map(Money),
                active_clients: b.active_clients,
                cac: b.cac.map(Money),
                cac_source: match b.cac_source {
                    clv::CacSource::AcquiredInWindow => CacSource::AcquiredInWindow,
                    clv::CacSource::AllClients => CacSource::AllClients,
                    clv::CacSource::Unavailable => CacSource::Unavailable,
                },
                cac_clients: b.cac_clients,
            },
            arpa: v.arpa.map(Money),
            retention_rate: v.retention_rate,
            retention_source: match v.retention_source {
                clv::RetentionSource::RenewalProbability => RetentionSource::RenewalProbability,
                clv::RetentionSource::PortfolioGrr => RetentionSource::PortfolioGrr,
            },
            expansion_rate: v.expansion_rate,
            avg_customer_lifespan_months: v.avg_customer_lifespan_months,
            customer_lifetime_value: v.customer_lifetime_value.map(Money),
            cac: v.cac.map(Money),
            ltv_cac_ratio: v.ltv_cac_ratio,
            strategies: v
                .strategies
                .into_iter()
                .map(|s| ClvStrategy {
                    strategy: s.strategy.into(),
                    current_rate: s.current_rate,
                    target_rate: s.target_rate,
                    current_cac: s.current_cac.map(Money),
                    target_cac: s.target_cac.map(Money),
                    target_clv: s.target_clv.into(),
                    clv_impact: s.clv_impact.into(),
                    target_ltv_cac_ratio: s.target_ltv_cac_ratio,
                    ltv_cac_impact: s.ltv_cac_impact,
                })
                .collect(),
            target_clv: v.target_clv.map(Money),
            target_ltv_cac_ratio: v.target_ltv_cac_ratio,
            improvement_potential: v.improvement_potential.map(Money),
            improvement_potential_ratio: v.improvement_potential_ratio,
            roadmap: v
                .roadmap
                .into_iter()
                .map(|r| ClvRoadmapStep {
                    step: r.step,
                    strategy: r.strategy.into(),
                    action: r.action,
                    clv_impact: r.clv_impact.into(),
                    ltv_cac_impact: r.ltv_cac_impact,
                })
                .collect(),
            reasons: v.reasons,
        }
    }
}
