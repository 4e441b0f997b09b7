//! The forecast model: trained once (logistic regression, or the heuristic when history is too
//! thin), then used to score any number of renewals or clients.
use super::features::{training_features, ClientHistory, Features, RenewalCase, FEATURE_NAMES};
use super::{heuristic, logistic, round4, words};
use crate::domain::RenewalStatus;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// How probabilities are made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelKind {
    Logistic,
    Heuristic,
}

/// Training knobs (config).
#[derive(Clone, Debug, PartialEq)]
pub struct ModelParams {
    /// L2 penalty λ on the standardized coefficients.
    pub l2: f64,
    /// Fewer closed renewals than this → heuristic.
    pub min_training_rows: usize,
}

impl Default for ModelParams {
    fn default() -> Self {
        ModelParams {
            l2: 1.0,
            min_training_rows: 30,
        }
    }
}

/// One named coefficient of the logistic model.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelCoefficient {
    pub feature: String,
    /// Change in log-odds per standard deviation of the feature (4 places).
    pub coefficient: f64,
    /// Training mean of the feature (4 places).
    pub mean: f64,
    /// Training standard deviation of the feature (4 places).
    pub scale: f64,
}

/// What the model is and how well it fits its own training set.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelSummary {
    pub kind: ModelKind,
    /// Closed renewals available for training.
    pub trained_on: usize,
    /// Of those, renewed or downgraded.
    pub positives: usize,
    /// Mean (p − y)² over the training rows (in-sample; `None` without rows).
    pub brier_score: Option<f64>,
    /// Log-odds at the training means (logistic only).
    pub intercept: Option<f64>,
    pub coefficients: Vec<ModelCoefficient>,
    /// Why the heuristic was used, when it was.
    pub fallback_reason: Option<String>,
}

/// A signed, named contribution to a probability: log-odds (coefficient × (x − mean)) for the
/// logistic model, probability points for the heuristic.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Factor {
    pub name: String,
    pub value: f64,
    /// The factor in words with its numbers: "health 54, 12 below the book's mean: −0.20".
    pub description: String,
}

/// A probability (unrounded) and its top three factors.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Score {
    pub probability: f64,
    pub factors: Vec<Factor>,
}

/// A trained model. Fit once per request; [`ForecastModel::score`] is cheap.
#[derive(Clone, Debug, PartialEq)]
pub struct ForecastModel {
    fit: Option<logistic::LogisticFit>,
    /// Training means of the three snapshot inputs, used for missing values.
    fill: [f64; 7],
    pub summary: ModelSummary,
}

/// A labeled training row.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainingRow {
    pub renewal_id: String,
    pub features: Features,
    /// Renewed or downgraded (kept) rather than churned.
    pub kept: bool,
}

/// The training rows: closed renewals dated before `renewals_before` whose close was recorded on
/// or before `closed_by` (or has no time), with features read 30 days before each renewal date.
/// Sorted by renewal date then id, so the fit does not depend on the input order.
pub fn training_rows(
    cases: &[RenewalCase],
    clients: &BTreeMap<String, ClientHistory>,
    renewals_before: NaiveDate,
    closed_by: NaiveDate,
) -> Result<Vec<TrainingRow>> {
    let mut chosen: Vec<&RenewalCase> = cases
        .iter()
        .filter(|c| c.renewal.status != RenewalStatus::Open && c.renewal.renewal_date < renewals_before)
        .filter(|c| c.renewal.closed_at.is_none_or(|t| t.date_naive() <= closed_by))
        .collect();
    chosen.sort_by(|a, b| (a.renewal.renewal_date, &a.renewal.id).cmp(&(b.renewal.renewal_date, &b.renewal.id)));
    chosen
        .into_iter()
        .map(|case| {
            Ok(TrainingRow {
                renewal_id: case.renewal.id.clone(),
                features: training_features(case, history_of(clients, case)?),
                kept: case.renewal.status != RenewalStatus::Churned,
            })
        })
        .collect()
}

/// The client history of a case; its absence is a loading bug, not the caller's fault.
pub fn history_of<'a>(clients: &'a BTreeMap<String, ClientHistory>, case: &RenewalCase) -> Result<&'a ClientHistory> {
    clients.get(&case.renewal.client_id).ok_or_else(|| {
        Error::internal(anyhow::anyhow!(
            "history of client {} (renewal {}) was not loaded",
            case.renewal.client_id,
            case.renewal.id
        ))
    })
}

impl ForecastModel {
    /// Fits the logistic model on `rows`, or falls back to the heuristic with fewer than
    /// `min_training_rows` rows, a single class, or a degenerate fit.
    pub fn train(rows: &[TrainingRow], params: &ModelParams) -> ForecastModel {
        let trained_on = rows.len();
        let positives = rows.iter().filter(|r| r.kept).count();
        let heuristic = |reason: String| {
            let brier = brier(rows.iter().map(|r| (heuristic::probability(&r.features), r.kept)));
            ForecastModel {
                fit: None,
                fill: [0.0; 7],
                summary: ModelSummary {
                    kind: ModelKind::Heuristic,
                    trained_on,
                    positives,
                    brier_score: brier,
                    intercept: None,
                    coefficients: Vec::new(),
                    fallback_reason: Some(reason),
                },
            }
        };
        if trained_on < params.min_training_rows {
            return heuristic(format!(
                "{trained_on} closed renewals, fewer than the {} needed",
                params.min_training_rows
            ));
        }
        if positives == 0 || positives == trained_on {
            return heuristic(format!("all {trained_on} closed renewals have the same outcome"));
        }
        let fill = fill_values(rows);
        let vectors: Vec<Vec<f64>> = rows.iter().map(|r| r.features.vector(&fill).to_vec()).collect();
        let labels: Vec<bool> = rows.iter().map(|r| r.kept).collect();
        let Some(fit) = logistic::fit(&vectors, &labels, params.l2) else {
            return heuristic("the logistic fit did not converge".to_owned());
        };
        let brier_score = brier(vectors.iter().zip(&labels).map(|(x, &y)| (fit.probability(x), y)));
        let coefficients = FEATURE_NAMES
            .iter()
            .enumerate()
            .map(|(j, name)| ModelCoefficient {
                feature: (*name).to_owned(),
                coefficient: round4(fit.weights[j]),
                mean: round4(fit.means[j]),
                scale: round4(fit.scales[j]),
            })
            .collect();
        ForecastModel {
            summary: ModelSummary {
                kind: ModelKind::Logistic,
                trained_on,
                positives,
                brier_score,
                intercept: Some(round4(fit.intercept)),
                coefficients,
                fallback_reason: None,
            },
            fit: Some(fit),
            fill,
        }
    }

    /// The kind of model.
    pub fn kind(&self) -> ModelKind {
        self.summary.kind
    }

    /// The probability that a renewal with these features is kept, and its top three factors
    /// by |value| (ties by name).
    pub fn score(&self, features: &Features) -> Score {
        let (probability, mut factors): (f64, Vec<Factor>) = match &self.fit {
            Some(fit) => {
                let x = features.vector(&self.fill);
                let contributions = fit.contributions(&x);
                let factors = (0..FEATURE_NAMES.len())
                    .map(|j| Factor {
                        name: FEATURE_NAMES[j].to_owned(),
                        value: contributions[j],
                        description: words::logistic_factor(FEATURE_NAMES[j], x[j], fit.means[j], contributions[j]),
                    })
                    .collect();
                (fit.probability(&x), factors)
            }
            None => {
                let named = heuristic::factors(features).into_iter();
                let factors = named
                    .map(|(n, v)| Factor {
                        name: n.to_owned(),
                        value: v,
                        description: words::heuristic_factor(n, features, v),
                    })
                    .collect();
                (heuristic::probability(features), factors)
            }
        };
        factors.retain(|f| f.value.abs() > 1e-12);
        factors.sort_by(|a, b| {
            b.value
                .abs()
                .total_cmp(&a.value.abs())
                .then_with(|| a.name.cmp(&b.name))
        });
        factors.truncate(3);
        for factor in &mut factors {
            factor.value = round4(factor.value);
        }
        Score { probability, factors }
    }
}

/// Means of the present values of the snapshot inputs (0 when none is present).
fn fill_values(rows: &[TrainingRow]) -> [f64; 7] {
    let mut fill = [0.0; 7];
    let zero = [0.0; 7];
    for (j, slot) in fill.iter_mut().enumerate().take(3) {
        let present: Vec<f64> = rows
            .iter()
            .filter(|r| r.features.present()[j])
            .map(|r| r.features.vector(&zero)[j])
            .collect();
        if !present.is_empty() {
            *slot = present.iter().sum::<f64>() / present.len() as f64;
        }
    }
    fill
}

/// Mean squared error of probabilities against outcomes, 4 places; `None` when empty.
pub fn brier(pairs: impl Iterator<Item = (f64, bool)>) -> Option<f64> {
    let (sum, n) = pairs.fold((0.0, 0usize), |(sum, n), (p, kept)| {
        let y = if kept { 1.0 } else { 0.0 };
        (sum + (p - y) * (p - y), n + 1)
    });
    (n > 0).then(|| round4(sum / n as f64))
}
