//! Forecast factors in words, with their numbers (DESIGN §5, amended: "health 54, 12 below the
//! book's mean: −0.20"). The book's mean is the mean over the closed renewals the model was
//! trained on; the trailing number is the factor's signed contribution (log-odds for the logistic
//! model, probability points for the heuristic).
use super::features::Features;
use super::heuristic::PAYMENT_PENALTY;

/// `+0.05`, `−0.20` (a true minus sign, as in prose).
fn signed(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    if rounded < 0.0 {
        format!("−{:.2}", -rounded)
    } else {
        format!("+{rounded:.2}")
    }
}

/// "12 below the book's mean", "at the book's mean".
fn versus_mean(difference: f64, unit: &str, decimals: usize) -> String {
    let shown = format!("{:.*}", decimals, difference.abs());
    if shown.parse::<f64>().unwrap_or(0.0) == 0.0 {
        return "at the book's mean".to_owned();
    }
    let side = if difference < 0.0 { "below" } else { "above" };
    format!("{shown}{unit} {side} the book's mean")
}

/// A logistic-model factor: feature `name` at model input `x` (the units of
/// `Features::vector`), the training mean of that input, and the contribution `value`.
pub fn logistic_factor(name: &str, x: f64, mean: f64, value: f64) -> String {
    let share = |m: f64| format!("{:.0}%", m * 100.0);
    let words = match name {
        "health" => format!("health {:.0}, {}", x * 100.0, versus_mean((x - mean) * 100.0, "", 0)),
        "usage_rate" => format!(
            "usage {:.0}% of plan, {}",
            x * 100.0,
            versus_mean((x - mean) * 100.0, " points", 0)
        ),
        "seat_utilization" => format!(
            "seat utilization {:.0}%, {}",
            x * 100.0,
            versus_mean((x - mean) * 100.0, " points", 0)
        ),
        "payment_issue" if x > 0.5 => format!("payment overdue or at risk ({} of the book)", share(mean)),
        "payment_issue" => format!("payments current ({} of the book have an issue)", share(mean)),
        "auto_renew" if x > 0.5 => format!("auto-renews ({} of the book do)", share(mean)),
        "auto_renew" => format!("does not auto-renew ({} of the book do)", share(mean)),
        "declining_health" if x > 0.5 => format!("health declining ({} of the book)", share(mean)),
        "declining_health" => format!("health not declining ({} of the book is)", share(mean)),
        "tenure" => format!(
            "tenure {:.1} years, {}",
            x * 10.0,
            versus_mean((x - mean) * 10.0, " years", 1)
        ),
        other => other.replace('_', " "),
    };
    format!("{words}: {}", signed(value))
}

/// A heuristic factor (DESIGN §5 118 fallback): the health band against the middle band, or the
/// payment penalty.
pub fn heuristic_factor(name: &str, features: &Features, value: f64) -> String {
    let words = match (name, features.health_score) {
        ("health", Some(h)) if h >= 85.0 => format!("health {h:.0}, in the 85+ band"),
        ("health", Some(h)) if h >= 70.0 => format!("health {h:.0}, in the 70–84 band"),
        ("health", Some(h)) => format!("health {h:.0}, below 60"),
        ("health", None) => "no health score (the lowest band)".to_owned(),
        ("payment_issue", _) => format!("payment overdue or at risk (−{PAYMENT_PENALTY:.2} penalty)"),
        (other, _) => other.replace('_', " "),
    };
    format!("{words}: {}", signed(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logistic_factors_name_the_value_its_distance_from_the_mean_and_the_contribution() {
        assert_eq!(
            logistic_factor("health", 0.54, 0.66, -0.2),
            "health 54, 12 below the book's mean: −0.20"
        );
        assert_eq!(
            logistic_factor("usage_rate", 0.9, 0.7, 0.153),
            "usage 90% of plan, 20 points above the book's mean: +0.15"
        );
        assert_eq!(
            logistic_factor("auto_renew", 0.0, 0.64, -0.31),
            "does not auto-renew (64% of the book do): −0.31"
        );
        assert_eq!(
            logistic_factor("tenure", 0.32, 0.21, 0.0449),
            "tenure 3.2 years, 1.1 years above the book's mean: +0.04"
        );
        assert_eq!(
            logistic_factor("health", 0.661, 0.66, 0.001),
            "health 66, at the book's mean: +0.00"
        );
    }

    #[test]
    fn heuristic_factors_name_the_band_or_the_penalty() {
        let mut features = Features {
            snapshot_cutoff: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).expect("a date"),
            health_score: Some(54.4),
            usage_rate: None,
            seat_utilization: None,
            payment_issue: true,
            auto_renew: false,
            declining_health: false,
            tenure_years: 1.0,
        };
        assert_eq!(
            heuristic_factor("health", &features, -0.25),
            "health 54, below 60: −0.25"
        );
        assert_eq!(
            heuristic_factor("payment_issue", &features, -0.15),
            "payment overdue or at risk (−0.15 penalty): −0.15"
        );
        features.health_score = Some(90.0);
        assert_eq!(
            heuristic_factor("health", &features, 0.27),
            "health 90, in the 85+ band: +0.27"
        );
    }
}
