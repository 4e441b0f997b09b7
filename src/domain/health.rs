//! The health score: a weighted sum of five 0–100 components, and its trend.
use super::enums::HealthTrend;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// The five component scores, each 0–100.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HealthComponents {
    pub usage: i32,
    pub engagement: i32,
    pub support: i32,
    pub satisfaction: i32,
    pub payment: i32,
}

/// Weights of the components; they must sum to 1 (config `health_weights`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct HealthWeights {
    pub usage: f64,
    pub engagement: f64,
    pub support: f64,
    pub satisfaction: f64,
    pub payment: f64,
}

impl Default for HealthWeights {
    fn default() -> Self {
        HealthWeights {
            usage: 0.35,
            engagement: 0.25,
            support: 0.15,
            satisfaction: 0.15,
            payment: 0.10,
        }
    }
}

impl HealthWeights {
    /// Refuses negative weights and weights that do not sum to 1 (within 1e-9).
    pub fn validate(&self) -> Result<()> {
        let all = [
            self.usage,
            self.engagement,
            self.support,
            self.satisfaction,
            self.payment,
        ];
        let sum: f64 = all.iter().sum();
        if all.iter().any(|w| !(0.0..=1.0).contains(w)) || (sum - 1.0).abs() > 1e-9 {
            return Err(Error::bad_input(
                "health_weights",
                format!("weights sum to {sum}"),
                "five weights in 0–1 summing to 1",
            ));
        }
        Ok(())
    }
}

impl HealthComponents {
    /// Refuses any component outside 0–100.
    pub fn validate(&self) -> Result<()> {
        let named = [
            ("usageScore", self.usage),
            ("engagementScore", self.engagement),
            ("supportScore", self.support),
            ("satisfactionScore", self.satisfaction),
            ("paymentScore", self.payment),
        ];
        let mut c = super::validate::Checks::default();
        for (field, value) in named {
            if !(0..=100).contains(&value) {
                c.fail(Error::bad_input(field, format!("{value} is out of range"), "0–100"));
            }
        }
        c.finish(())
    }

    /// Σ component × weight, rounded to 2 decimals so stored scores compare exactly.
    pub fn overall(&self, weights: &HealthWeights) -> f64 {
        let score = self.usage as f64 * weights.usage
            + self.engagement as f64 * weights.engagement
            + self.support as f64 * weights.support
            + self.satisfaction as f64 * weights.satisfaction
            + self.payment as f64 * weights.payment;
        (score * 100.0).round() / 100.0
    }
}

/// Trend versus the previous snapshot: more than +3 points improving, less than −3 declining.
/// The first snapshot of a client is stable.
pub fn trend(previous: Option<f64>, current: f64) -> HealthTrend {
    match previous {
        Some(prev) if current - prev > 3.0 => HealthTrend::Improving,
        Some(prev) if current - prev < -3.0 => HealthTrend::Declining,
        _ => HealthTrend::Stable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overall_is_the_weighted_sum_of_components() {
        let components = HealthComponents {
            usage: 80,
            engagement: 60,
            support: 100,
            satisfaction: 40,
            payment: 90,
        };
        // 80×.35 + 60×.25 + 100×.15 + 40×.15 + 90×.10 = 28 + 15 + 15 + 6 + 9 = 73
        assert_eq!(components.overall(&HealthWeights::default()), 73.0);
    }

    #[test]
    fn trend_needs_more_than_three_points() {
        assert_eq!(trend(None, 50.0), HealthTrend::Stable);
        assert_eq!(trend(Some(50.0), 53.0), HealthTrend::Stable);
        assert_eq!(trend(Some(50.0), 53.5), HealthTrend::Improving);
        assert_eq!(trend(Some(50.0), 46.5), HealthTrend::Declining);
    }

    #[test]
    fn components_out_of_range_are_refused() {
        let components = HealthComponents {
            usage: 101,
            engagement: 0,
            support: 0,
            satisfaction: 0,
            payment: 0,
        };
        assert!(components.validate().is_err());
    }

    #[test]
    fn weights_must_sum_to_one() {
        assert!(HealthWeights::default().validate().is_ok());
        let skewed = HealthWeights {
            usage: 0.5,
            ..HealthWeights::default()
        };
        assert!(skewed.validate().is_err());
    }
}
