//! The open expansion pipeline of 120: total, by probability band, and probability-weighted.
use super::ser;
use crate::domain::Money;
use serde::Serialize;

/// Lowest probability of the high band (DESIGN §5: high ≥ 0.70).
pub const HIGH_BAND: f64 = 0.70;
/// Lowest probability of the medium band (medium ≥ 0.40; below is low).
pub const MEDIUM_BAND: f64 = 0.40;

/// An open opportunity (stage neither won nor lost): all the pipeline reads of it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OpenOpportunity {
    /// Added ARR if won.
    pub value: Money,
    /// Probability of winning, 0–1.
    pub probability: f64,
}

/// Opportunities of one probability band.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BandTotal {
    /// How many.
    pub opportunities: usize,
    /// Σ value.
    #[serde(serialize_with = "ser::money")]
    pub value: Money,
    /// Σ value × probability, each term rounded to the cent.
    #[serde(serialize_with = "ser::money")]
    pub weighted_value: Money,
}

/// The open pipeline.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pipeline {
    /// How many open opportunities.
    pub open_opportunities: usize,
    /// Σ value.
    #[serde(serialize_with = "ser::money")]
    pub total_value: Money,
    /// Σ value × probability, each term rounded to the cent (so the sum does not depend on order).
    #[serde(serialize_with = "ser::money")]
    pub weighted_value: Money,
    /// Probability ≥ 0.70.
    pub high: BandTotal,
    /// 0.40 ≤ probability < 0.70.
    pub medium: BandTotal,
    /// Probability < 0.40.
    pub low: BandTotal,
}

/// Totals the open opportunities by band.
pub fn pipeline(open: &[OpenOpportunity]) -> Pipeline {
    let mut result = Pipeline::default();
    for opportunity in open {
        let weighted = opportunity.value.times(opportunity.probability);
        let band = if opportunity.probability >= HIGH_BAND {
            &mut result.high
        } else if opportunity.probability >= MEDIUM_BAND {
            &mut result.medium
        } else {
            &mut result.low
        };
        band.opportunities += 1;
        band.value += opportunity.value;
        band.weighted_value += weighted;
        result.open_opportunities += 1;
        result.total_value += opportunity.value;
        result.weighted_value += weighted;
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(dollars: i64, probability: f64) -> OpenOpportunity {
        OpenOpportunity {
            value: Money::from_major(dollars),
            probability,
        }
    }

    #[test]
    fn opportunities_fall_into_bands_at_the_design_thresholds() {
        // 10000 × 0.70 = 7000 (high, on the edge); 20000 × 0.40 = 8000 (medium, on the edge);
        // 5000 × 0.3999 = 1999.50 (low); 1000 × 0.95 = 950 (high).
        let got = pipeline(&[
            open(10_000, 0.70),
            open(20_000, 0.40),
            open(5_000, 0.3999),
            open(1_000, 0.95),
        ]);
        assert_eq!(got.open_opportunities, 4);
        assert_eq!(got.total_value, Money::from_major(36_000));
        assert_eq!(got.weighted_value, Money::from_cents(1_794_950));
        assert_eq!(
            (got.high.opportunities, got.high.value, got.high.weighted_value),
            (2, Money::from_major(11_000), Money::from_major(7_950))
        );
        assert_eq!(
            (got.medium.opportunities, got.medium.value),
            (1, Money::from_major(20_000))
        );
        assert_eq!(got.low.weighted_value, Money::from_cents(199_950));
    }

    #[test]
    fn an_empty_pipeline_is_all_zero() {
        assert_eq!(pipeline(&[]), Pipeline::default());
    }
}
