//! Risk analysis of the forecast (DESIGN §5, 118): which risk factors the renewing accounts show,
//! how much ARR each touches, and mitigation steps written from those numbers.
use super::features::Features;
use super::{ForecastCategory, RenewalPrediction};
use crate::domain::{serde_text, Money};
use serde::Serialize;
use std::collections::BTreeSet;

/// A risk factor of one renewal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskFactorKind {
    /// Health score below 60.
    LowHealth,
    /// Usage rate below 0.5.
    LowUsage,
    /// Payment status overdue or at risk.
    PaymentIssues,
    /// Seat utilization below 0.5.
    LowEngagement,
    /// The latest health snapshot's trend is declining.
    DecliningHealth,
    /// The contract does not auto-renew.
    ManualRenewal,
}

impl RiskFactorKind {
    /// Every factor, in report order.
    pub const ALL: [RiskFactorKind; 6] = [
        RiskFactorKind::LowHealth,
        RiskFactorKind::LowUsage,
        RiskFactorKind::PaymentIssues,
        RiskFactorKind::LowEngagement,
        RiskFactorKind::DecliningHealth,
        RiskFactorKind::ManualRenewal,
    ];

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            RiskFactorKind::LowHealth => "low_health",
            RiskFactorKind::LowUsage => "low_usage",
            RiskFactorKind::PaymentIssues => "payment_issues",
            RiskFactorKind::LowEngagement => "low_engagement",
            RiskFactorKind::DecliningHealth => "declining_health",
            RiskFactorKind::ManualRenewal => "manual_renewal",
        }
    }

    /// Whether the features show this factor. Missing snapshot data shows none.
    pub fn applies(self, f: &Features) -> bool {
        match self {
            RiskFactorKind::LowHealth => f.health_score.is_some_and(|h| h < 60.0),
            RiskFactorKind::LowUsage => f.usage_rate.is_some_and(|u| u < 0.5),
            RiskFactorKind::PaymentIssues => f.payment_issue,
            RiskFactorKind::LowEngagement => f.seat_utilization.is_some_and(|s| s < 0.5),
            RiskFactorKind::DecliningHealth => f.declining_health,
            RiskFactorKind::ManualRenewal => !f.auto_renew,
        }
    }
}

/// The factors one renewal shows, in report order.
pub fn risk_flags(features: &Features) -> Vec<RiskFactorKind> {
    RiskFactorKind::ALL
        .into_iter()
        .filter(|k| k.applies(features))
        .collect()
}

/// One factor across the forecast's renewals.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RiskFactor {
    pub factor: RiskFactorKind,
    /// Distinct clients with a renewal showing the factor.
    pub accounts_affected: usize,
    /// Σ ARR of the renewals showing it.
    #[serde(with = "serde_text::money")]
    pub arr: Money,
}

/// Every factor (in report order, zeros included) and the steps for the non-zero ones, largest
/// ARR first.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RiskAnalysis {
    pub factors: Vec<RiskFactor>,
    pub mitigation_steps: Vec<String>,
}

/// The risk analysis of the forecast's renewals.
pub fn risk_analysis(renewals: &[RenewalPrediction]) -> RiskAnalysis {
    let factors: Vec<RiskFactor> = RiskFactorKind::ALL
        .into_iter()
        .map(|kind| {
            let hit: Vec<&RenewalPrediction> = renewals.iter().filter(|r| kind.applies(&r.features)).collect();
            let accounts: BTreeSet<&str> = hit.iter().map(|r| r.client_id.as_str()).collect();
            RiskFactor {
                factor: kind,
                accounts_affected: accounts.len(),
                arr: hit.iter().map(|r| r.arr).sum(),
            }
        })
        .collect();
    let mut ranked: Vec<&RiskFactor> = factors.iter().filter(|f| f.accounts_affected > 0).collect();
    ranked.sort_by(|a, b| b.arr.cmp(&a.arr).then(a.factor.cmp(&b.factor)));
    let mut mitigation_steps = Vec::new();
    let at_risk: Vec<&RenewalPrediction> = renewals
        .iter()
        .filter(|r| r.category == ForecastCategory::AtRisk)
        .collect();
    if !at_risk.is_empty() {
        let arr: Money = at_risk.iter().map(|r| r.arr).sum();
        mitigation_steps.push(format!(
            "Prioritise the {} at-risk renewal{} (probability below 60%) carrying {} ARR: \
             review each with its CSM owner this week.",
            at_risk.len(),
            plural(at_risk.len()),
            arr.text()
        ));
    }
    mitigation_steps.extend(ranked.iter().map(|f| step(f)));
    RiskAnalysis {
        factors,
        mitigation_steps,
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A step written from the factor's numbers.
fn step(f: &RiskFactor) -> String {
    let who = format!(
        "{} account{} ({} ARR)",
        f.accounts_affected,
        plural(f.accounts_affected),
        f.arr.text()
    );
    match f.factor {
        RiskFactorKind::LowHealth => {
            format!("Low health: {who} score below 60 — run a success-plan review with each before its renewal date.")
        }
        RiskFactorKind::LowUsage => {
            format!("Low usage: {who} use under 50% of their plan — schedule adoption workshops on unused features.")
        }
        RiskFactorKind::PaymentIssues => format!(
            "Payment issues: {who} are overdue or at risk on payments — agree a payment plan with finance \
             before negotiating."
        ),
        RiskFactorKind::LowEngagement => format!(
            "Low engagement: {who} have fewer than half their seats in use — run user activation campaigns \
             before seats are cut."
        ),
        RiskFactorKind::DecliningHealth => format!(
            "Declining health: {who} lost more than 3 health points since the previous snapshot — find the \
             cause with the account team."
        ),
        RiskFactorKind::ManualRenewal => {
            format!("Manual renewal: {who} do not auto-renew — open the renewal conversation at least 90 days ahead.")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_data::date;
    use super::*;

    fn prediction(client: &str, arr: i64, p: f64, health: Option<f64>, auto_renew: bool) -> RenewalPrediction {
        RenewalPrediction {
            renewal_id: format!("RNW-{client}"),
            client_id: client.to_owned(),
            contract_id: format!("CNT-{client}"),
            renewal_date: date("2025-03-01"),
            arr: Money::from_major(arr),
            probability: p,
            category: ForecastCategory::of(p),
            factors: Vec::new(),
            features: Features {
                snapshot_cutoff: date("2025-01-01"),
                health_score: health,
                usage_rate: Some(0.8),
                seat_utilization: None,
                payment_issue: false,
                auto_renew,
                declining_health: false,
                tenure_years: 2.0,
            },
        }
    }

    #[test]
    fn factors_count_accounts_and_arr_and_steps_quote_them() {
        let renewals = [
            prediction("a", 10_000, 0.40, Some(55.0), false),
            prediction("b", 30_000, 0.90, Some(90.0), false),
            prediction("c", 5_000, 0.70, None, true),
        ];
        let analysis = risk_analysis(&renewals);

        let low_health = &analysis.factors[0];
        assert_eq!(
            (low_health.accounts_affected, low_health.arr),
            (1, Money::from_major(10_000))
        );
        let manual = &analysis.factors[5];
        assert_eq!((manual.accounts_affected, manual.arr), (2, Money::from_major(40_000)));
        assert_eq!(analysis.factors[1].accounts_affected, 0, "usage 0.8 is not low");
        assert_eq!(analysis.mitigation_steps.len(), 3);
        assert!(
            analysis.mitigation_steps[0].contains("1 at-risk renewal (")
                && analysis.mitigation_steps[0].contains("$10,000.00 ARR")
        );
        assert!(analysis.mitigation_steps[1].starts_with("Manual renewal: 2 accounts ($40,000.00 ARR)"));
        assert!(analysis.mitigation_steps[2].starts_with("Low health: 1 account ($10,000.00 ARR)"));
    }
}
