//! 121 — optimize customer lifetime value (DESIGN §5): CLV from the trailing twelve months' gross
//! retention and expansion, lifespan, CAC and LTV:CAC, and what three strategies would change.
//!
//! CLV(g, e) = ARPA × m × Σ_{y=0}^{H−1} ((g + e) ÷ (1 + d))^y, the series summed term by term.
//! g, e and logo retention come from one 120 period, the trailing year [as_of − 364 d, as_of], so
//! they share one definition with the revenue report. The rates enter CLV as published (4 places),
//! so a reader can recompute every amount from the echoed figures.
mod strategies;
#[cfg(test)]
mod tests;

pub use strategies::{RoadmapStep, Strategy, StrategyKind};

use super::common::round4;
use super::revenue::math::{mean_money, money_ratio4, round_to};
use super::revenue::{period_movements, ser, ClientEdge, Period};
use crate::domain::{validate, Money};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Parameters of 121, from config and echoed in every result. Deserializes with these defaults
/// for missing keys, so it can sit in `Settings` as a `[clv]` table.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all(serialize = "camelCase"))]
pub struct ClvParams {
    /// Gross margin m, 0–1 (default 0.80).
    pub gross_margin: f64,
    /// Horizon H in years, 1–50 (default 10).
    pub horizon_years: u32,
    /// Yearly discount rate d, 0–1 (default 0.10).
    pub discount_rate: f64,
    /// improve_retention adds this to g (default 0.05) …
    pub retention_uplift: f64,
    /// … up to this cap (default 0.99).
    pub retention_cap: f64,
    /// increase_expansion adds this to e (default 0.10).
    pub expansion_uplift: f64,
    /// reduce_cac multiplies CAC by this (default 0.75).
    pub cac_reduction_factor: f64,
}

impl Default for ClvParams {
    fn default() -> Self {
        ClvParams {
            gross_margin: 0.80,
            horizon_years: 10,
            discount_rate: 0.10,
            retention_uplift: 0.05,
            retention_cap: 0.99,
            expansion_uplift: 0.10,
            cac_reduction_factor: 0.75,
        }
    }
}

impl ClvParams {
    /// Refuses values outside their ranges (a configuration error, reported on its key).
    pub fn validate(&self) -> Result<()> {
        validate::float_range("clv.gross_margin", self.gross_margin, 0.0, 1.0)?;
        validate::int_range("clv.horizon_years", i64::from(self.horizon_years), 1, 50)?;
        validate::float_range("clv.discount_rate", self.discount_rate, 0.0, 1.0)?;
        validate::float_range("clv.retention_uplift", self.retention_uplift, 0.0, 1.0)?;
        validate::float_range("clv.retention_cap", self.retention_cap, 0.0, 1.0)?;
        validate::float_range("clv.expansion_uplift", self.expansion_uplift, 0.0, 1.0)?;
        validate::float_range("clv.cac_reduction_factor", self.cac_reduction_factor, 0.01, 1.0)?;
        Ok(())
    }
}

/// Which strategies to plan for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OptimizationFocus {
    /// improve_retention only.
    Retention,
    /// increase_expansion only.
    Expansion,
    /// reduce_cac only.
    Efficiency,
    /// All three.
    #[default]
    Balanced,
}

impl OptimizationFocus {
    /// Every value.
    pub const ALL: &'static [OptimizationFocus] = &[
        OptimizationFocus::Retention,
        OptimizationFocus::Expansion,
        OptimizationFocus::Efficiency,
        OptimizationFocus::Balanced,
    ];

    /// The GraphQL name.
    pub fn as_str(self) -> &'static str {
        match self {
            OptimizationFocus::Retention => "RETENTION",
            OptimizationFocus::Expansion => "EXPANSION",
            OptimizationFocus::Efficiency => "EFFICIENCY",
            OptimizationFocus::Balanced => "BALANCED",
        }
    }

    /// Parses a name in any case; an unknown one is a `BAD_USER_INPUT` listing the allowed.
    pub fn parse(field: &str, text: &str) -> Result<Self> {
        let allowed = || Self::ALL.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", ");
        Self::ALL
            .iter()
            .copied()
            .find(|f| f.as_str().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| Error::bad_input(field, format!("unknown focus `{text}`"), allowed()))
    }

    /// Whether the focus keeps a strategy.
    pub fn keeps(self, kind: StrategyKind) -> bool {
        matches!(
            (self, kind),
            (OptimizationFocus::Balanced, _)
                | (OptimizationFocus::Retention, StrategyKind::ImproveRetention)
                | (OptimizationFocus::Expansion, StrategyKind::IncreaseExpansion)
                | (OptimizationFocus::Efficiency, StrategyKind::ReduceCac)
        )
    }
}

/// Where g came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RetentionSource {
    /// The client's renewal probability (118).
    RenewalProbability,
    /// The portfolio's gross revenue retention over the trailing twelve months.
    PortfolioGrr,
}

/// Which clients' acquisition costs CAC averages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CacSource {
    /// Clients acquired (customer_since) in the trailing twelve months.
    AcquiredInWindow,
    /// All clients acquired by `as_of` with a cost, as none acquired in the window has one.
    AllClients,
    /// No acquisition cost is recorded.
    Unavailable,
}

/// When a client became a customer and what acquiring it cost, if recorded.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Acquisition {
    /// client.customer_since.
    pub customer_since: NaiveDate,
    /// client.acquisition_cost_cents.
    pub acquisition_cost: Option<Money>,
}

/// The portfolio data 121 reads, as SQL aggregates deliver it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PortfolioInput {
    /// ARR per client at the edges of `Period::trailing_year(as_of)`: on as_of − 365 d and on as_of.
    pub trailing_clients: Vec<ClientEdge>,
    /// ARR on `as_of` of every client with status `active`; those at 0 are not active and skipped.
    pub active_client_arr: Vec<Money>,
    /// Every client's acquisition (those after `as_of` are ignored).
    pub acquisitions: Vec<Acquisition>,
}

/// The one client a CLV is asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientInput {
    /// Its public id.
    pub client_id: String,
    /// Its ARR on `as_of`: its ARPA.
    pub arr: Money,
    /// Its renewal probability from the forecast (118), 0–1, when it has an open renewal.
    pub renewal_probability: Option<f64>,
}

/// Portfolio figures shared by every CLV on one date: computed once per request, so a page of
/// clients asking for `lifetimeValue` costs one cohort pass.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PortfolioBasis {
    /// The date.
    pub as_of: NaiveDate,
    /// The trailing twelve months.
    pub window: Period,
    /// Clients paying at the window's start.
    pub cohort_clients: usize,
    /// GRR₁₂, unrounded (CLV is computed from it; [`PortfolioBasis::rounded`] is what is shown).
    pub gross_revenue_retention: Option<f64>,
    /// e₁₂, unrounded.
    pub expansion_rate: Option<f64>,
    /// Logo retention₁₂, unrounded.
    pub logo_retention: Option<f64>,
    /// Mean ARR of active clients.
    #[serde(serialize_with = "ser::option_money")]
    pub arpa: Option<Money>,
    /// Active clients (status active, ARR > 0).
    pub active_clients: usize,
    /// Mean acquisition cost.
    #[serde(serialize_with = "ser::option_money")]
    pub cac: Option<Money>,
    /// Which clients CAC averages.
    pub cac_source: CacSource,
    /// How many.
    pub cac_clients: usize,
}

/// Computes the portfolio figures as of `as_of`.
pub fn portfolio_basis(input: &PortfolioInput, as_of: NaiveDate) -> PortfolioBasis {
    let window = Period::trailing_year(as_of);
    let trailing = period_movements(&window, &input.trailing_clients, &[]);
    let active: Vec<Money> = input
        .active_client_arr
        .iter()
        .copied()
        .filter(|a| *a > Money::ZERO)
        .collect();
    let costs = |in_window: bool| -> Vec<Money> {
        let acquired = |a: &&Acquisition| a.customer_since <= as_of && (!in_window || a.customer_since >= window.start);
        input
            .acquisitions
            .iter()
            .filter(acquired)
            .filter_map(|a| a.acquisition_cost)
            .collect()
    };
    let (cac_source, cac_costs) = match (costs(true), costs(false)) {
        (recent, _) if !recent.is_empty() => (CacSource::AcquiredInWindow, recent),
        (_, all) if !all.is_empty() => (CacSource::AllClients, all),
        _ => (CacSource::Unavailable, Vec::new()),
    };
    // The exact ratios of the period's sums: CLV rounds once, at output (DESIGN 121, amended).
    let of_start = |part: Money| {
        (trailing.starting_arr.cents() != 0).then(|| part.cents() as f64 / trailing.starting_arr.cents() as f64)
    };
    PortfolioBasis {
        as_of,
        cohort_clients: trailing.cohort_clients,
        gross_revenue_retention: of_start(trailing.starting_arr - trailing.contraction_arr - trailing.churned_arr),
        expansion_rate: of_start(trailing.expansion_arr),
        logo_retention: (trailing.cohort_clients > 0)
            .then(|| trailing.retained_clients as f64 / trailing.cohort_clients as f64),
        arpa: mean_money(active.iter().copied()),
        active_clients: active.len(),
        cac: mean_money(cac_costs.iter().copied()),
        cac_source,
        cac_clients: cac_costs.len(),
        window,
    }
}

/// CLV(g, e) = ARPA × m × Σ_{y=0}^{H−1} ((g + e) ÷ (1 + d))^y, summed term by term and rounded
/// to the cent once.
pub fn clv(arpa: Money, retention: f64, expansion: f64, params: &ClvParams) -> Money {
    let ratio = (retention + expansion) / (1.0 + params.discount_rate);
    let (mut term, mut series) = (1.0, 0.0);
    for _ in 0..params.horizon_years {
        series += term;
        term *= ratio;
    }
    arpa.times(params.gross_margin * series)
}

/// avgCustomerLifespanMonths = 12 × min(H, 1 ÷ (1 − logo retention)); H when every logo stays.
pub fn lifespan_months(logo_retention: f64, horizon_years: u32) -> f64 {
    let years = if logo_retention >= 1.0 {
        f64::from(horizon_years)
    } else {
        f64::from(horizon_years).min(1.0 / (1.0 - logo_retention))
    };
    round_to(12.0 * years, 2).unwrap_or(12.0 * f64::from(horizon_years))
}

/// The lifetime value of the portfolio, or of one client, with the strategies to raise it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerLifetimeValue {
    /// The date.
    pub as_of: NaiveDate,
    /// The client asked for; `None` for the portfolio.
    pub client_id: Option<String>,
    /// The focus asked for.
    pub optimization_focus: OptimizationFocus,
    /// The parameters used.
    pub params: ClvParams,
    /// The portfolio figures g, e, logo retention, ARPA and CAC come from.
    pub portfolio: PortfolioBasis,
    /// ARPA used: the portfolio's, or the client's ARR.
    #[serde(serialize_with = "ser::option_money")]
    pub arpa: Option<Money>,
    /// g used: the client's renewal probability, or the portfolio GRR₁₂.
    pub retention_rate: Option<f64>,
    /// Where g came from.
    pub retention_source: RetentionSource,
    /// e used: the portfolio's expansion rate₁₂.
    pub expansion_rate: Option<f64>,
    /// 12 × min(H, 1 ÷ (1 − logo retention₁₂)).
    pub avg_customer_lifespan_months: Option<f64>,
    /// CLV(g, e); `None` when ARPA, g or e is unknown.
    #[serde(serialize_with = "ser::option_money")]
    pub customer_lifetime_value: Option<Money>,
    /// The portfolio CAC.
    #[serde(serialize_with = "ser::option_money")]
    pub cac: Option<Money>,
    /// CLV ÷ CAC.
    pub ltv_cac_ratio: Option<f64>,
    /// The strategies the focus keeps (DESIGN order).
    pub strategies: Vec<Strategy>,
    /// CLV with the kept strategies applied together.
    #[serde(serialize_with = "ser::option_money")]
    pub target_clv: Option<Money>,
    /// Target CLV ÷ (CAC, reduced when reduce_cac is kept).
    pub target_ltv_cac_ratio: Option<f64>,
    /// Target CLV − CLV.
    #[serde(serialize_with = "ser::option_money")]
    pub improvement_potential: Option<Money>,
    /// (Target CLV − CLV) ÷ CLV.
    pub improvement_potential_ratio: Option<f64>,
    /// The kept strategies, largest impact first, as actions.
    pub roadmap: Vec<RoadmapStep>,
    /// The data behind the figures, in sentences.
    pub reasons: Vec<String>,
}

impl PortfolioBasis {
    /// The basis as shown: its rates to 4 places.
    pub fn rounded(&self) -> PortfolioBasis {
        PortfolioBasis {
            gross_revenue_retention: self.gross_revenue_retention.map(round4),
            expansion_rate: self.expansion_rate.map(round4),
            logo_retention: self.logo_retention.map(round4),
            ..self.clone()
        }
    }
}

/// The CLV of the portfolio (`client` = `None`) or of one client, with the strategies `focus` keeps.
pub fn customer_lifetime_value(
    basis: &PortfolioBasis,
    client: Option<&ClientInput>,
    params: &ClvParams,
    focus: OptimizationFocus,
) -> Result<CustomerLifetimeValue> {
    params.validate()?;
    let probability = match client.and_then(|c| c.renewal_probability) {
        Some(p) => Some(validate::float_range("renewalProbability", p, 0.0, 1.0)?),
        None => None,
    };
    let (retention, retention_source) = match probability {
        Some(p) => (Some(p), RetentionSource::RenewalProbability),
        None => (basis.gross_revenue_retention, RetentionSource::PortfolioGrr),
    };
    let arpa = client.map_or(basis.arpa, |c| Some(c.arr));
    let expansion = basis.expansion_rate;
    let levers = match (arpa, retention, expansion) {
        (Some(arpa), Some(retention), Some(expansion)) => Some(strategies::Levers {
            arpa,
            retention,
            expansion,
            cac: basis.cac,
        }),
        _ => None,
    };
    let clv_now = levers.as_ref().map(|l| clv(l.arpa, l.retention, l.expansion, params));
    let plan = levers.as_ref().map(|l| strategies::plan(l, params, focus));
    let target_clv = plan.as_ref().map(|p| p.target_clv);
    let improvement = clv_now.zip(target_clv).map(|(now, target)| target - now);
    let reasons = strategies::reasons(basis, client, params, retention, retention_source);
    Ok(CustomerLifetimeValue {
        as_of: basis.as_of,
        client_id: client.map(|c| c.client_id.clone()),
        optimization_focus: focus,
        params: *params,
        arpa,
        retention_rate: retention.map(round4),
        retention_source,
        expansion_rate: expansion.map(round4),
        avg_customer_lifespan_months: basis.logo_retention.map(|l| lifespan_months(l, params.horizon_years)),
        customer_lifetime_value: clv_now,
        cac: basis.cac,
        ltv_cac_ratio: clv_now.zip(basis.cac).and_then(|(v, cac)| money_ratio4(v, cac)),
        target_clv,
        target_ltv_cac_ratio: plan.as_ref().and_then(|p| p.target_ltv_cac_ratio),
        improvement_potential: improvement,
        improvement_potential_ratio: improvement.zip(clv_now).and_then(|(gain, now)| money_ratio4(gain, now)),
        strategies: plan.as_ref().map(|p| p.strategies.clone()).unwrap_or_default(),
        roadmap: plan.map(|p| p.roadmap).unwrap_or_default(),
        reasons,
        portfolio: basis.rounded(),
    })
}
