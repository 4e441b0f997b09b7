//! The three strategies of 121, their impacts, the combined target and the roadmap in sentences.
use super::{clv, ClientInput, ClvParams, OptimizationFocus, PortfolioBasis, RetentionSource};
use crate::domain::Money;
use crate::processes::common::round4;
use crate::processes::revenue::math::{money_ratio4, round_to};
use crate::processes::revenue::ser;
use serde::Serialize;

/// A lever to pull.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StrategyKind {
    /// g + uplift (default 0.05), capped (0.99).
    ImproveRetention,
    /// e + uplift (default 0.10).
    IncreaseExpansion,
    /// CAC × factor (default 0.75).
    ReduceCac,
}

impl StrategyKind {
    const ALL: [StrategyKind; 3] = [
        StrategyKind::ImproveRetention,
        StrategyKind::IncreaseExpansion,
        StrategyKind::ReduceCac,
    ];
}

/// One strategy: the lever now and after, and what it does to CLV and LTV:CAC.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Strategy {
    /// Which lever.
    pub strategy: StrategyKind,
    /// g (ImproveRetention) or e (IncreaseExpansion) now; `None` for ReduceCac.
    pub current_rate: Option<f64>,
    /// g or e after; never below the current value.
    pub target_rate: Option<f64>,
    /// CAC now (ReduceCac only; `None` when no cost is recorded).
    #[serde(serialize_with = "ser::option_money")]
    pub current_cac: Option<Money>,
    /// CAC after (ReduceCac only).
    #[serde(serialize_with = "ser::option_money")]
    pub target_cac: Option<Money>,
    /// CLV with this lever pulled alone.
    #[serde(serialize_with = "ser::money")]
    pub target_clv: Money,
    /// CLV(target) − CLV(current).
    #[serde(serialize_with = "ser::money")]
    pub clv_impact: Money,
    /// LTV:CAC with this lever pulled alone.
    pub target_ltv_cac_ratio: Option<f64>,
    /// Its change; `None` without a CAC.
    pub ltv_cac_impact: Option<f64>,
}

/// One step of the roadmap.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoadmapStep {
    /// 1 for the largest impact.
    pub step: usize,
    /// The strategy.
    pub strategy: StrategyKind,
    /// What to do and what it is worth, from the numbers.
    pub action: String,
    /// As the strategy's.
    #[serde(serialize_with = "ser::money")]
    pub clv_impact: Money,
    /// As the strategy's.
    pub ltv_cac_impact: Option<f64>,
}

/// The known inputs of CLV.
pub(super) struct Levers {
    pub arpa: Money,
    pub retention: f64,
    pub expansion: f64,
    pub cac: Option<Money>,
}

/// The kept strategies, the combined target and the roadmap.
pub(super) struct Plan {
    pub strategies: Vec<Strategy>,
    pub target_clv: Money,
    pub target_ltv_cac_ratio: Option<f64>,
    pub roadmap: Vec<RoadmapStep>,
}

/// One lever's value now and after.
struct Move {
    retention: f64,
    expansion: f64,
    cac: Option<Money>,
}

impl Levers {
    /// The lever `kind` pulled; a retention already at or above the cap stays where it is.
    fn pulled(&self, kind: StrategyKind, params: &ClvParams) -> Move {
        let mut pulled = Move {
            retention: self.retention,
            expansion: self.expansion,
            cac: self.cac,
        };
        match kind {
            StrategyKind::ImproveRetention => {
                let raised = (self.retention + params.retention_uplift).min(params.retention_cap);
                pulled.retention = raised.max(self.retention);
            }
            StrategyKind::IncreaseExpansion => pulled.expansion = self.expansion + params.expansion_uplift,
            StrategyKind::ReduceCac => pulled.cac = self.cac.map(|c| c.times(params.cac_reduction_factor)),
        }
        pulled
    }
}

/// LTV:CAC to 4 places, `None` without a (non-zero) CAC.
fn ltv_cac(value: Money, cac: Option<Money>) -> Option<f64> {
    cac.and_then(|c| money_ratio4(value, c))
}

/// LTV:CAC unrounded, for differences that are rounded once.
fn exact_ltv_cac(value: Money, cac: Option<Money>) -> Option<f64> {
    cac.filter(|c| c.cents() != 0)
        .map(|c| value.cents() as f64 / c.cents() as f64)
}

/// Plans the strategies `focus` keeps.
pub(super) fn plan(levers: &Levers, params: &ClvParams, focus: OptimizationFocus) -> Plan {
    let now = clv(levers.arpa, levers.retention, levers.expansion, params);
    let ratio_now = ltv_cac(now, levers.cac);
    let exact_ratio_now = exact_ltv_cac(now, levers.cac);
    let kept: Vec<StrategyKind> = StrategyKind::ALL.into_iter().filter(|k| focus.keeps(*k)).collect();
    let strategies: Vec<Strategy> = kept
        .iter()
        .map(|&kind| {
            let after = levers.pulled(kind, params);
            let target_clv = clv(levers.arpa, after.retention, after.expansion, params);
            let target_ratio = ltv_cac(target_clv, after.cac);
            let exact_target_ratio = exact_ltv_cac(target_clv, after.cac);
            let (current_rate, target_rate) = match kind {
                StrategyKind::ImproveRetention => (Some(round4(levers.retention)), Some(round4(after.retention))),
                StrategyKind::IncreaseExpansion => (Some(round4(levers.expansion)), Some(round4(after.expansion))),
                StrategyKind::ReduceCac => (None, None),
            };
            let is_cac = kind == StrategyKind::ReduceCac;
            Strategy {
                strategy: kind,
                current_rate,
                target_rate,
                current_cac: levers.cac.filter(|_| is_cac),
                target_cac: after.cac.filter(|_| is_cac),
                target_clv,
                clv_impact: target_clv - now,
                target_ltv_cac_ratio: target_ratio,
                ltv_cac_impact: exact_ratio_now
                    .zip(exact_target_ratio)
                    .and_then(|(a, b)| round_to(b - a, 4)),
            }
        })
        .collect();
    let mut combined = Move {
        retention: levers.retention,
        expansion: levers.expansion,
        cac: levers.cac,
    };
    for &kind in &kept {
        let after = levers.pulled(kind, params);
        match kind {
            StrategyKind::ImproveRetention => combined.retention = after.retention,
            StrategyKind::IncreaseExpansion => combined.expansion = after.expansion,
            StrategyKind::ReduceCac => combined.cac = after.cac,
        }
    }
    let target_clv = clv(levers.arpa, combined.retention, combined.expansion, params);
    Plan {
        roadmap: roadmap(&strategies, now, ratio_now),
        target_ltv_cac_ratio: ltv_cac(target_clv, combined.cac),
        target_clv,
        strategies,
    }
}

/// The strategies as steps, largest CLV impact first, then largest LTV:CAC impact (reduce_cac
/// moves only the ratio, so it follows any strategy that grows CLV); ties keep DESIGN order.
fn roadmap(strategies: &[Strategy], now: Money, ratio_now: Option<f64>) -> Vec<RoadmapStep> {
    let mut ordered: Vec<&Strategy> = strategies.iter().collect();
    let ratio = |s: &Strategy| s.ltv_cac_impact.unwrap_or(f64::NEG_INFINITY);
    ordered.sort_by(|a, b| {
        b.clv_impact
            .cmp(&a.clv_impact)
            .then(ratio(b).total_cmp(&ratio(a)))
            .then(a.strategy.cmp(&b.strategy))
    });
    ordered
        .into_iter()
        .enumerate()
        .map(|(i, s)| RoadmapStep {
            step: i + 1,
            strategy: s.strategy,
            action: sentence(s, now, ratio_now),
            clv_impact: s.clv_impact,
            ltv_cac_impact: s.ltv_cac_impact,
        })
        .collect()
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "unknown".to_owned(), |r| format!("{:.2}%", r * 100.0))
}

fn signed(amount: Money) -> String {
    if amount.is_negative() {
        amount.text().to_string()
    } else {
        format!("+{}", amount.text())
    }
}

/// What a strategy means, in one sentence from its numbers.
fn sentence(s: &Strategy, now: Money, ratio_now: Option<f64>) -> String {
    let ltv = match (ratio_now, s.target_ltv_cac_ratio) {
        (Some(a), Some(b)) => format!("LTV:CAC {a:.2} → {b:.2}"),
        _ => "LTV:CAC unknown (no acquisition cost recorded)".to_owned(),
    };
    let clv_move = format!(
        "CLV {} → {} ({} per account)",
        now.text(),
        s.target_clv.text(),
        signed(s.clv_impact)
    );
    match s.strategy {
        StrategyKind::ImproveRetention if s.target_rate == s.current_rate => format!(
            "Keep yearly revenue retention at {}: it is already at or above the cap, so retention adds no CLV.",
            percent(s.current_rate)
        ),
        StrategyKind::ImproveRetention => format!(
            "Lift yearly revenue retention from {} to {} (save at-risk renewals, prevent downgrades): {clv_move}; {ltv}.",
            percent(s.current_rate),
            percent(s.target_rate)
        ),
        StrategyKind::IncreaseExpansion => format!(
            "Grow yearly net expansion from {} to {} of starting ARR (upsell, cross-sell, seat growth): {clv_move}; {ltv}.",
            percent(s.current_rate),
            percent(s.target_rate)
        ),
        StrategyKind::ReduceCac => match (s.current_cac, s.target_cac) {
            (Some(from), Some(to)) => {
                format!(
                    "Cut acquisition cost from {} to {} per new client: CLV unchanged at {}; {ltv}.",
                    from.text(),
                    to.text(),
                    now.text()
                )
            }
            _ => "Record acquisition costs on clients: none is recorded, so LTV:CAC and the gain from cheaper \
                  acquisition cannot be measured."
                .to_owned(),
        },
    }
}

/// The data behind a CLV, in sentences.
pub(super) fn reasons(
    basis: &PortfolioBasis,
    client: Option<&ClientInput>,
    params: &ClvParams,
    retention: Option<f64>,
    source: RetentionSource,
) -> Vec<String> {
    let window = format!("{} to {}", basis.window.start, basis.window.end);
    let mut out = Vec::new();
    out.push(match (client, basis.arpa) {
        (Some(c), _) => format!("ARPA {}: the client's current ARR", c.arr.text()),
        (None, Some(arpa)) => format!(
            "ARPA {}: mean current ARR of {} active clients",
            arpa.text(),
            basis.active_clients
        ),
        (None, None) => "No active client has ARR, so ARPA and CLV are unknown".to_owned(),
    });
    out.push(match (source, retention) {
        (RetentionSource::RenewalProbability, Some(g)) => format!("g = {g:.4}: the client's renewal probability"),
        (_, Some(g)) => format!(
            "g = {g:.4}: gross revenue retention of the {} clients paying at the start of {window}",
            basis.cohort_clients
        ),
        (_, None) => format!("No client paid at the start of {window}, so retention and CLV are unknown"),
    });
    if let Some(e) = basis.expansion_rate {
        out.push(format!("e = {e:.4}: expansion rate of the same cohort over {window}"));
    }
    if let Some(l) = basis.logo_retention {
        out.push(format!(
            "Logo retention {l:.4} over {window}: lifespan 12 × min({}, 1 ÷ (1 − {l:.4})) months",
            params.horizon_years
        ));
    }
    out.push(format!(
        "CLV = ARPA × {} × Σ_(y=0..{}) ((g + e) ÷ {})^y",
        params.gross_margin,
        params.horizon_years.saturating_sub(1),
        1.0 + params.discount_rate
    ));
    out.push(match (basis.cac_source, basis.cac) {
        (super::CacSource::AcquiredInWindow, Some(cac)) => {
            format!(
                "CAC {}: mean acquisition cost of {} clients acquired in {window}",
                cac.text(),
                basis.cac_clients
            )
        }
        (super::CacSource::AllClients, Some(cac)) => format!(
            "CAC {}: mean acquisition cost of all {} clients with one (none acquired in {window} has one)",
            cac.text(),
            basis.cac_clients
        ),
        _ => "No acquisition cost is recorded, so LTV:CAC is unknown".to_owned(),
    });
    out
}
