//! What the forecast knows about a renewal: the seven features of DESIGN §5 (118), read from the
//! snapshots dated on or before a cutoff so that training rows never see past their own cutoff.
use crate::domain::{Contract, HealthSnapshot, HealthTrend, PaymentStatus, Renewal, UsageSnapshot};
use chrono::NaiveDate;
use serde::Serialize;

/// Names of the model inputs, in vector order.
pub const FEATURE_NAMES: [&str; 7] = [
    "health",
    "usage_rate",
    "seat_utilization",
    "payment_issue",
    "auto_renew",
    "declining_health",
    "tenure",
];

/// Days before its renewal date at which a closed renewal's features are read (training rows).
pub const TRAINING_LEAD_DAYS: i64 = 30;

/// One renewal with the contract it renews (its terms feed the payment and auto-renew features).
#[derive(Clone, Debug, PartialEq)]
pub struct RenewalCase {
    pub renewal: Renewal,
    pub contract: Contract,
}

/// A client's history as the forecast reads it: its start and its snapshots, in any order.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientHistory {
    pub customer_since: NaiveDate,
    pub usage: Vec<UsageSnapshot>,
    pub health: Vec<HealthSnapshot>,
}

/// The features of one renewal, raw (before standardization). Missing snapshot data stays `None`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Features {
    /// The date the snapshots were read on (latest dated on or before it).
    pub snapshot_cutoff: NaiveDate,
    /// Overall health score 0–100.
    pub health_score: Option<f64>,
    /// Consumption ÷ plan limit.
    pub usage_rate: Option<f64>,
    /// Active users ÷ seats licensed (`None` without seats).
    pub seat_utilization: Option<f64>,
    /// Contract payment status overdue or at_risk.
    pub payment_issue: bool,
    pub auto_renew: bool,
    /// The latest health snapshot's trend is declining.
    pub declining_health: bool,
    /// Years from customer_since to the renewal date (not capped here).
    pub tenure_years: f64,
}

impl Features {
    /// The model inputs in [`FEATURE_NAMES`] order: health/100, min(usage_rate, 1.5),
    /// seat_utilization, flags as 0/1, min(tenure, 10)/10. A missing value takes `fill`'s entry
    /// (the training mean, so it contributes nothing).
    pub fn vector(&self, fill: &[f64; 7]) -> [f64; 7] {
        let flag = |on: bool| if on { 1.0 } else { 0.0 };
        [
            self.health_score.map_or(fill[0], |h| h / 100.0),
            self.usage_rate.map_or(fill[1], |u| u.min(1.5)),
            self.seat_utilization.map_or(fill[2], |s| s),
            flag(self.payment_issue),
            flag(self.auto_renew),
            flag(self.declining_health),
            self.tenure_years.clamp(0.0, 10.0) / 10.0,
        ]
    }

    /// Which of the three snapshot-based inputs are present, in vector order 0–2.
    pub fn present(&self) -> [bool; 3] {
        [
            self.health_score.is_some(),
            self.usage_rate.is_some(),
            self.seat_utilization.is_some(),
        ]
    }
}

/// Reads the features of `case` from the snapshots dated on or before `cutoff`.
pub fn features_at(case: &RenewalCase, history: &ClientHistory, cutoff: NaiveDate) -> Features {
    let usage = latest(&history.usage, cutoff, |u| (u.period_start, u.id));
    let health = latest(&history.health, cutoff, |h| (h.as_of, h.id));
    let tenure_days = (case.renewal.renewal_date - history.customer_since).num_days().max(0);
    Features {
        snapshot_cutoff: cutoff,
        health_score: health.map(|h| h.overall_score),
        usage_rate: usage.map(|u| u.usage_rate.max(0.0)),
        seat_utilization: usage
            .filter(|u| u.seats_licensed > 0)
            .map(|u| u.active_users.max(0) as f64 / u.seats_licensed as f64),
        payment_issue: has_payment_issue(case.contract.payment_status),
        auto_renew: case.contract.auto_renew,
        declining_health: health.is_some_and(|h| h.trend == HealthTrend::Declining),
        tenure_years: tenure_days as f64 / 365.25,
    }
}

/// Features of a closed renewal as a training row: snapshots dated ≤ renewal_date − 30 days.
pub fn training_features(case: &RenewalCase, history: &ClientHistory) -> Features {
    let cutoff = case.renewal.renewal_date - chrono::Days::new(TRAINING_LEAD_DAYS as u64);
    features_at(case, history, cutoff)
}

/// Overdue and at-risk payments are the payment issue of DESIGN §5 (a payment plan is not).
pub fn has_payment_issue(status: PaymentStatus) -> bool {
    matches!(status, PaymentStatus::Overdue | PaymentStatus::AtRisk)
}

/// The newest item dated on or before `cutoff`; equal dates are broken by the larger id.
pub fn latest<T, K: Ord>(items: &[T], cutoff: NaiveDate, key: impl Fn(&T) -> (NaiveDate, K)) -> Option<&T> {
    items
        .iter()
        .filter(|item| key(item).0 <= cutoff)
        .max_by(|a, b| key(a).cmp(&key(b)))
}

#[cfg(test)]
mod tests {
    use super::super::test_data::{case, health, history, usage};
    use super::*;
    use chrono::NaiveDate;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn training_features_ignore_snapshots_after_thirty_days_before_the_renewal() {
        let case = case("RNW-1", "c1", d("2025-06-30"), 100_000, false);
        let mut history = history(d("2020-06-30"));
        history.health.push(health(1, d("2025-05-31"), 80.0));
        history.health.push(health(2, d("2025-06-01"), 20.0));
        history.usage.push(usage(1, d("2025-05-01"), 40, 50, 0.9));
        history.usage.push(usage(2, d("2025-06-01"), 5, 50, 0.1));

        let features = training_features(&case, &history);

        assert_eq!(features.snapshot_cutoff, d("2025-05-31"));
        assert_eq!(features.health_score, Some(80.0));
        assert_eq!(features.usage_rate, Some(0.9));
        assert_eq!(features.seat_utilization, Some(0.8));
    }

    #[test]
    fn vector_caps_usage_and_tenure_and_fills_missing_values() {
        let features = Features {
            snapshot_cutoff: d("2025-01-01"),
            health_score: None,
            usage_rate: Some(2.4),
            seat_utilization: None,
            payment_issue: true,
            auto_renew: false,
            declining_health: true,
            tenure_years: 12.5,
        };
        let fill = [0.7, 0.0, 0.6, 0.0, 0.0, 0.0, 0.0];
        assert_eq!(features.vector(&fill), [0.7, 1.5, 0.6, 1.0, 0.0, 1.0, 1.0]);
    }

    #[test]
    fn tenure_counts_from_customer_since_to_the_renewal_date() {
        let case = case("RNW-1", "c1", d("2025-01-01"), 100_000, true);
        let features = features_at(&case, &history(d("2021-01-01")), d("2024-12-01"));
        assert!((features.tenure_years - 1461.0 / 365.25).abs() < 1e-12);
        assert_eq!(features.health_score, None);
    }
}
