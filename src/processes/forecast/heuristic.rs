//! The fallback when there is too little history to fit a model (DESIGN §5, 118): health bands,
//! a payment penalty, clamped.
use super::features::Features;

/// The heuristic's base by health band: ≥ 85 → 0.92, ≥ 70 → 0.80, ≥ 60 → 0.65, else 0.40.
/// Without a health snapshot the client cannot be shown to be in a better band: 0.40, so a
/// CSM looks at it.
pub fn health_band(health_score: Option<f64>) -> f64 {
    match health_score {
        Some(h) if h >= 85.0 => 0.92,
        Some(h) if h >= 70.0 => 0.80,
        Some(h) if h >= 60.0 => 0.65,
        _ => 0.40,
    }
}

/// Subtracted for an overdue or at-risk payment status.
pub const PAYMENT_PENALTY: f64 = 0.15;

/// The heuristic probability, within [0.05, 0.95].
pub fn probability(features: &Features) -> f64 {
    let penalty = if features.payment_issue { PAYMENT_PENALTY } else { 0.0 };
    (health_band(features.health_score) - penalty).clamp(0.05, 0.95)
}

/// The heuristic's factors in probability points, relative to the middle band (0.65): the
/// health band's offset and the payment penalty; zero ones are left out.
pub fn factors(features: &Features) -> Vec<(&'static str, f64)> {
    let mut factors = Vec::new();
    let band = health_band(features.health_score) - 0.65;
    if band.abs() > 1e-12 {
        factors.push(("health", band));
    }
    if features.payment_issue {
        factors.push(("payment_issue", -PAYMENT_PENALTY));
    }
    factors
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn features(health_score: Option<f64>, payment_issue: bool) -> Features {
        Features {
            snapshot_cutoff: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            health_score,
            usage_rate: None,
            seat_utilization: None,
            payment_issue,
            auto_renew: false,
            declining_health: false,
            tenure_years: 1.0,
        }
    }

    #[test]
    fn bands_start_at_their_lower_edge() {
        let p = |h| probability(&features(Some(h), false));
        assert_eq!(p(85.0), 0.92);
        assert_eq!(p(84.99), 0.80);
        assert_eq!(p(70.0), 0.80);
        assert_eq!(p(60.0), 0.65);
        assert_eq!(p(59.99), 0.40);
        assert_eq!(probability(&features(None, false)), 0.40);
    }

    #[test]
    fn a_payment_issue_costs_fifteen_points() {
        assert!((probability(&features(Some(90.0), true)) - 0.77).abs() < 1e-12);
        assert!((probability(&features(Some(10.0), true)) - 0.25).abs() < 1e-12);
        assert_eq!(
            factors(&features(Some(90.0), true)),
            vec![("health", 0.92 - 0.65), ("payment_issue", -0.15)]
        );
    }

    proptest! {
        #[test]
        fn heuristic_stays_within_five_and_ninety_five_percent(h in -50.0f64..200.0, issue: bool) {
            let p = probability(&features(Some(h), issue));
            prop_assert!((0.05..=0.95).contains(&p));
        }
    }
}
