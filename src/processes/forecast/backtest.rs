//! `renewalForecastBacktest(from, to)`: the forecast as it would have run on `from`, scored
//! against what happened. Train on renewals closed before `from`; predict the closed renewals due
//! in [from, to] from the snapshots dated on or before `from`; compare with the heuristic.
use super::model::{brier, history_of, training_rows, ForecastModel, ModelParams, ModelSummary};
use super::{features_at, heuristic, round4, ForecastData};
use crate::domain::RenewalStatus;
use crate::error::{Error, Result};
use chrono::{Days, NaiveDate};
use serde::Serialize;

/// Probabilities are clipped to [ε, 1 − ε] before taking logs.
pub const LOG_LOSS_EPSILON: f64 = 1e-6;
/// Calibration buckets of equal width over [0, 1].
pub const CALIBRATION_BUCKETS: usize = 5;
/// The longest backtest range, in days.
pub const MAX_RANGE_DAYS: i64 = 3660;

/// One calibration bucket: renewals whose predicted p is in [lower, upper) ([lower, 1] for the last).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CalibrationBucket {
    pub lower: f64,
    pub upper: f64,
    pub count: usize,
    /// Mean predicted probability, 4 places; `None` when empty.
    pub mean_predicted: Option<f64>,
    /// Share that renewed or downgraded, 4 places; `None` when empty.
    pub observed_rate: Option<f64>,
}

/// The backtest's report.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Backtest {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The model trained on renewals closed before `from`.
    pub model: ModelSummary,
    /// Closed renewals due in [from, to].
    pub evaluated: usize,
    /// Of those, renewed or downgraded.
    pub positives: usize,
    /// Mean (p − y)² of the model, 4 places; `None` when nothing was evaluated.
    pub brier_score: Option<f64>,
    /// Mean −[y ln p + (1 − y) ln(1 − p)] with p clipped, 4 places.
    pub log_loss: Option<f64>,
    pub calibration: Vec<CalibrationBucket>,
    /// The heuristic's Brier score on the same renewals and features.
    pub heuristic_brier_score: Option<f64>,
}

/// Refuses `from` after `to` and ranges longer than ten years.
pub fn validate_backtest_range(from: NaiveDate, to: NaiveDate) -> Result<()> {
    if from > to {
        return Err(Error::bad_input(
            "to",
            format!("{to} is before from {from}"),
            format!(">= {from}"),
        ));
    }
    let days = (to - from).num_days();
    if days > MAX_RANGE_DAYS {
        return Err(Error::bad_input(
            "to",
            format!("the range spans {days} days"),
            format!("at most {MAX_RANGE_DAYS} days after from"),
        ));
    }
    Ok(())
}

/// Runs the backtest. Training rows: closed, dated before `from` and closed on or before the day
/// before `from`; a closed renewal without a close time counts as known.
pub fn backtest(data: &ForecastData, params: &ModelParams, from: NaiveDate, to: NaiveDate) -> Result<Backtest> {
    validate_backtest_range(from, to)?;
    let day_before = from - Days::new(1);
    let rows = training_rows(&data.cases, &data.clients, from, day_before)?;
    let model = ForecastModel::train(&rows, params);

    let mut due: Vec<_> = data
        .cases
        .iter()
        .filter(|c| c.renewal.status != RenewalStatus::Open && (from..=to).contains(&c.renewal.renewal_date))
        .collect();
    due.sort_by(|a, b| (a.renewal.renewal_date, &a.renewal.id).cmp(&(b.renewal.renewal_date, &b.renewal.id)));
    let mut scored = Vec::with_capacity(due.len());
    let mut heuristic_scored = Vec::with_capacity(due.len());
    for case in due {
        let features = features_at(case, history_of(&data.clients, case)?, from);
        let kept = case.renewal.status != RenewalStatus::Churned;
        scored.push((round4(model.score(&features).probability), kept));
        heuristic_scored.push((round4(heuristic::probability(&features)), kept));
    }
    Ok(Backtest {
        from,
        to,
        model: model.summary,
        evaluated: scored.len(),
        positives: scored.iter().filter(|(_, kept)| *kept).count(),
        brier_score: brier(scored.iter().copied()),
        log_loss: log_loss(&scored),
        calibration: calibration(&scored),
        heuristic_brier_score: brier(heuristic_scored.into_iter()),
    })
}

/// Mean log loss with clipped probabilities, 4 places; `None` when empty.
pub fn log_loss(scored: &[(f64, bool)]) -> Option<f64> {
    if scored.is_empty() {
        return None;
    }
    let total: f64 = scored
        .iter()
        .map(|&(p, kept)| {
            let p = p.clamp(LOG_LOSS_EPSILON, 1.0 - LOG_LOSS_EPSILON);
            if kept {
                -p.ln()
            } else {
                -(1.0 - p).ln()
            }
        })
        .sum();
    Some(round4(total / scored.len() as f64))
}

/// The bucket of a probability, in whole basis points so that 0.6 lands in [0.6, 0.8), not in
/// [0.4, 0.6) as 0.6 / 0.2 = 2.999… would put it.
fn bucket_of(p: f64) -> usize {
    let basis_points = (p.clamp(0.0, 1.0) * 10_000.0).round() as usize;
    (basis_points * CALIBRATION_BUCKETS / 10_000).min(CALIBRATION_BUCKETS - 1)
}

/// Equal-width buckets of predicted probability with their observed rates.
pub fn calibration(scored: &[(f64, bool)]) -> Vec<CalibrationBucket> {
    let width = 1.0 / CALIBRATION_BUCKETS as f64;
    (0..CALIBRATION_BUCKETS)
        .map(|i| {
            let members: Vec<&(f64, bool)> = scored.iter().filter(|(p, _)| bucket_of(*p) == i).collect();
            let n = members.len();
            let mean = |sum: f64| (n > 0).then(|| round4(sum / n as f64));
            CalibrationBucket {
                lower: round4(i as f64 * width),
                upper: round4((i + 1) as f64 * width),
                count: n,
                mean_predicted: mean(members.iter().map(|(p, _)| p).sum()),
                observed_rate: mean(members.iter().filter(|(_, kept)| *kept).count() as f64),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_loss_clips_certain_mistakes() {
        let loss = log_loss(&[(0.0, true)]).unwrap();
        assert!((loss - round4(-(LOG_LOSS_EPSILON.ln()))).abs() < 1e-9);
        assert_eq!(log_loss(&[]), None);
        // −ln 0.8 = 0.2231
        assert_eq!(log_loss(&[(0.8, true), (0.2, false)]), Some(0.2231));
    }

    #[test]
    fn calibration_buckets_hold_their_lower_edge_and_the_last_holds_one() {
        let scored = [
            (0.0, false),
            (0.2, true),
            (0.39, false),
            (0.6, true),
            (0.8, true),
            (1.0, true),
        ];
        let buckets = calibration(&scored);
        let counts: Vec<usize> = buckets.iter().map(|b| b.count).collect();
        assert_eq!(counts, vec![1, 2, 0, 1, 2]);
        assert_eq!(buckets[1].mean_predicted, Some(0.295));
        assert_eq!(buckets[1].observed_rate, Some(0.5));
        assert_eq!(buckets[2].mean_predicted, None);
        assert_eq!(buckets[3].mean_predicted, Some(0.6));
        assert_eq!((buckets[4].lower, buckets[4].upper), (0.8, 1.0));
    }

    #[test]
    fn a_range_ending_before_it_starts_is_refused() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert!(validate_backtest_range(d("2025-02-01"), d("2025-01-31")).is_err());
        assert!(validate_backtest_range(d("2025-02-01"), d("2025-02-01")).is_ok());
        assert!(validate_backtest_range(d("2015-01-01"), d("2025-12-31")).is_err());
    }
}
