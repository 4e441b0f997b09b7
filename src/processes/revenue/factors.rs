//! Success factors: over a period's cohort, how expanding (Δ > 0, as 1/0) correlates with health,
//! seat utilization and adoption at the period's start (Pearson's r; the point-biserial correlation).
use super::cohort::{Member, StartFacts};
use super::math::round_to;
use crate::domain::Money;
use serde::Serialize;

/// The correlation of expanding with one fact, and the means that explain it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FactorCorrelation {
    /// Pearson's r in [−1, 1], 4 places; `None` when undefined: fewer than 2 cohort clients with
    /// the fact, or no variation in either the fact or expanding.
    pub correlation: Option<f64>,
    /// Cohort clients with the fact (those without are left out).
    pub sample_size: usize,
    /// Mean of the fact over those that expanded.
    pub mean_when_expanded: Option<f64>,
    /// Mean of the fact over those that did not.
    pub mean_otherwise: Option<f64>,
}

/// Correlations of expanding with each fact at the period's start.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SuccessFactors {
    /// With the overall health score.
    pub health: FactorCorrelation,
    /// With seat utilization.
    pub seat_utilization: FactorCorrelation,
    /// With feature adoption.
    pub adoption: FactorCorrelation,
}

/// The success factors of a cohort (sorted by client id, so float sums are reproducible).
pub(crate) fn success_factors(cohort: &[Member<'_>]) -> SuccessFactors {
    let factor = |read: fn(&StartFacts) -> Option<f64>| {
        let pairs: Vec<(f64, f64)> = cohort
            .iter()
            .filter_map(|m| {
                let value = read(&m.edge.facts).filter(|v| v.is_finite())?;
                Some((if m.delta > Money::ZERO { 1.0 } else { 0.0 }, value))
            })
            .collect();
        correlate(&pairs)
    };
    SuccessFactors {
        health: factor(|f| f.health),
        seat_utilization: factor(|f| f.seat_utilization),
        adoption: factor(|f| f.adoption),
    }
}

/// The correlation and group means of (expanded, value) pairs.
fn correlate(pairs: &[(f64, f64)]) -> FactorCorrelation {
    let xs: Vec<f64> = pairs.iter().map(|p| p.0).collect();
    let ys: Vec<f64> = pairs.iter().map(|p| p.1).collect();
    let mean_where = |expanded: bool| {
        let values: Vec<f64> = pairs.iter().filter(|p| (p.0 > 0.5) == expanded).map(|p| p.1).collect();
        mean(&values).and_then(|m| round_to(m, 4))
    };
    FactorCorrelation {
        correlation: pearson(&xs, &ys),
        sample_size: pairs.len(),
        mean_when_expanded: mean_where(true),
        mean_otherwise: mean_where(false),
    }
}

/// Pearson's correlation coefficient of two equally long samples, rounded to 4 places; `None`
/// when undefined (fewer than 2 points, either sample constant, or a non-finite value).
pub fn pearson(xs: &[f64], ys: &[f64]) -> Option<f64> {
    let constant = |v: &[f64]| v.iter().all(|&x| x == v[0]);
    if xs.len() != ys.len() || xs.len() < 2 || constant(xs) || constant(ys) {
        return None;
    }
    let (mx, my) = (mean(xs)?, mean(ys)?);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        let (dx, dy) = (x - mx, y - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    let r = sxy / (sxx * syy).sqrt();
    round_to(r.clamp(-1.0, 1.0), 4)
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pearson_of_perfectly_related_samples_is_one_or_minus_one() {
        assert_eq!(pearson(&[0.0, 1.0, 2.0], &[10.0, 20.0, 30.0]), Some(1.0));
        assert_eq!(pearson(&[0.0, 1.0, 2.0], &[3.0, 2.0, 1.0]), Some(-1.0));
    }

    #[test]
    fn pearson_is_undefined_for_tiny_or_constant_samples() {
        assert_eq!(pearson(&[1.0], &[2.0]), None);
        assert_eq!(pearson(&[0.0, 1.0, 1.0], &[0.1, 0.1, 0.1]), None);
        assert_eq!(pearson(&[1.0, 1.0], &[0.2, 0.9]), None);
        assert_eq!(pearson(&[0.0, 1.0], &[f64::NAN, 1.0]), None);
    }
}
