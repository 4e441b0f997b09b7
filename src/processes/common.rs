//! Small rules shared by the processes: rounding, probability bands (DESIGN §5 "Shared"), the
//! timeline that goes with a band, ratios that refuse to divide by zero, and the wording of numbers
//! inside explanations.
use crate::domain::Money;
use crate::error::{Error, Result};
use serde::Serialize;
use std::fmt::Display;

use super::facts::ClientFacts;

/// Rates and probabilities are shown with 4 decimals (DESIGN §5).
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// clamp(0.05, 0.95, x), rounded to 4 places: the bounds of every heuristic probability, so no
/// detected opportunity is ever presented as certain or hopeless.
pub fn clamp_probability(x: f64) -> f64 {
    round4(x.clamp(0.05, 0.95))
}

/// `numerator ÷ denominator` rounded to 4 places; `None` when the denominator is not positive, so a
/// client without ARR gets no rate rather than infinity.
pub fn ratio(numerator: Money, denominator: Money) -> Option<f64> {
    (denominator.cents() > 0).then(|| round4(numerator.cents() as f64 / denominator.cents() as f64))
}

/// `total ÷ n` in whole cents, half away from zero; `None` when `n` is 0.
pub fn mean(total: Money, n: usize) -> Option<Money> {
    if n == 0 {
        return None;
    }
    let (t, n) = (total.cents() as i128, n as i128);
    let half_up = (2 * t.abs() + n) / (2 * n);
    Some(Money::from_cents((t.signum() * half_up) as i64))
}

/// Probability bands of DESIGN §5: high ≥ 0.70, medium ≥ 0.40, low below.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbabilityBand {
    High,
    Medium,
    Low,
}

impl ProbabilityBand {
    /// The band of a (rounded) probability.
    pub fn of(probability: f64) -> ProbabilityBand {
        if probability >= 0.70 {
            ProbabilityBand::High
        } else if probability >= 0.40 {
            ProbabilityBand::Medium
        } else {
            ProbabilityBand::Low
        }
    }

    /// `high`, `medium` or `low`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProbabilityBand::High => "high",
            ProbabilityBand::Medium => "medium",
            ProbabilityBand::Low => "low",
        }
    }

    /// When to aim to close: high within 30 days, medium 30–60, low 60–90. Returns the text shown
    /// as `timeline` and the day offset from `as_of` used for the expected close date.
    pub fn timeline(self) -> (&'static str, i64) {
        match self {
            ProbabilityBand::High => ("within 30 days", 30),
            ProbabilityBand::Medium => ("30–60 days", 60),
            ProbabilityBand::Low => ("60–90 days", 90),
        }
    }
}

impl Display for ProbabilityBand {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How many items fall in each probability band.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BandCounts {
    pub high: usize,
    pub medium: usize,
    pub low: usize,
}

impl BandCounts {
    /// Counts one more item of `band`.
    pub fn add(&mut self, band: ProbabilityBand) {
        match band {
            ProbabilityBand::High => self.high += 1,
            ProbabilityBand::Medium => self.medium += 1,
            ProbabilityBand::Low => self.low += 1,
        }
    }

    /// high + medium + low.
    pub fn total(&self) -> usize {
        self.high + self.medium + self.low
    }
}

/// `0.92` → `"92%"`: explanations speak in whole percents.
pub fn percent(rate: f64) -> String {
    format!("{}%", (rate * 100.0).round() as i64)
}

/// `0.18` → `"+18%"`, `-0.1` → `"-10%"`.
pub fn signed_percent(rate: f64) -> String {
    let whole = (rate * 100.0).round() as i64;
    if whole >= 0 {
        format!("+{whole}%")
    } else {
        format!("{whole}%")
    }
}

/// The clients a run reports on, ordered by id: all of them, or the one named by `client_id`
/// (`NOT_FOUND` when the book does not hold it).
pub fn in_scope<'a>(clients: &'a [ClientFacts], client_id: Option<&str>) -> Result<Vec<&'a ClientFacts>> {
    let mut chosen: Vec<&ClientFacts> = match client_id {
        None => clients.iter().collect(),
        Some(id) => {
            let found: Vec<&ClientFacts> = clients.iter().filter(|c| c.client.id == id).collect();
            if found.is_empty() {
                return Err(Error::not_found("client", id));
            }
            found
        }
    };
    chosen.sort_by(|a, b| a.client.id.cmp(&b.client.id));
    Ok(chosen)
}

/// serde helpers for domain types that have `Display` but no `Serialize` (Money as its decimal string
/// `"72000.00"`, the text enums as their stored text), so results serialize the way GraphQL shows them
/// without adding trait impls to the domain.
pub mod ser {
    use serde::Serializer;
    use std::fmt::Display;

    /// Serializes any `Display` value as a string.
    pub fn display<T: Display, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    /// Serializes an optional `Display` value as a string or null.
    pub fn opt_display<T: Display, S: Serializer>(value: &Option<T>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => serializer.collect_str(v),
            None => serializer.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_follow_the_design_thresholds() {
        assert_eq!(ProbabilityBand::of(0.70), ProbabilityBand::High);
        assert_eq!(ProbabilityBand::of(0.6999), ProbabilityBand::Medium);
        assert_eq!(ProbabilityBand::of(0.40), ProbabilityBand::Medium);
        assert_eq!(ProbabilityBand::of(0.3999), ProbabilityBand::Low);
    }

    #[test]
    fn probabilities_are_clamped_and_rounded() {
        assert_eq!(clamp_probability(0.0), 0.05);
        assert_eq!(clamp_probability(1.2), 0.95);
        assert_eq!(clamp_probability(0.123456), 0.1235);
    }

    #[test]
    fn mean_rounds_half_away_from_zero_and_refuses_empty_sets() {
        // 10.01 ÷ 2 = 5.005 → 5.01; 10.00 ÷ 3 = 3.333… → 3.33
        assert_eq!(mean(Money::from_cents(1001), 2), Some(Money::from_cents(501)));
        assert_eq!(mean(Money::from_cents(1000), 3), Some(Money::from_cents(333)));
        assert_eq!(mean(Money::from_cents(-1001), 2), Some(Money::from_cents(-501)));
        assert_eq!(mean(Money::ZERO, 0), None);
    }

    #[test]
    fn ratio_of_nothing_is_none() {
        assert_eq!(ratio(Money::from_major(5), Money::ZERO), None);
        assert_eq!(ratio(Money::from_major(1), Money::from_major(3)), Some(0.3333));
    }

    #[test]
    fn percents_are_whole_and_signed_when_asked() {
        assert_eq!(percent(0.924), "92%");
        assert_eq!(signed_percent(0.18), "+18%");
        assert_eq!(signed_percent(-0.1), "-10%");
    }
}
