//! 118 — renewal forecast (DESIGN §5): a probability per open renewal from a model trained on
//! closed renewals, the portfolio's expected retained and churned ARR, and the risks behind them.
//!
//! Pure: the service loads [`ForecastData`] and passes `as_of`.
pub mod backtest;
pub mod features;
pub mod heuristic;
pub mod logistic;
pub mod model;
pub mod risk;
#[cfg(test)]
pub(crate) mod test_data;
pub mod words;

pub use backtest::{backtest, validate_backtest_range, Backtest, CalibrationBucket};
pub use features::{features_at, ClientHistory, Features, RenewalCase};
pub use model::{Factor, ForecastModel, ModelKind, ModelParams, ModelSummary, Score};
pub use risk::{risk_analysis, risk_flags, RiskAnalysis, RiskFactor, RiskFactorKind};

use crate::domain::serde_text;
use crate::domain::validate::int_range;
use crate::domain::{Money, RenewalStatus};
use crate::error::Result;
use chrono::{Days, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Rounds a rate or probability to 4 places (DESIGN §4).
pub fn round4(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

/// What the forecast reads, as the service loads it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ForecastData {
    /// Every renewal with its contract, open and closed: closed ones train, open ones are scored.
    pub cases: Vec<RenewalCase>,
    /// Histories of the clients of those renewals, by client id (every client of `cases`).
    pub clients: BTreeMap<String, ClientHistory>,
    /// Opportunities of those clients; only open ones (stage not won/lost) are counted.
    pub opportunities: Vec<crate::domain::Opportunity>,
}

/// Arguments of `renewalForecast`.
#[derive(Clone, Debug, PartialEq)]
pub struct ForecastParams {
    /// Renewals due in [as_of, as_of + days], 1–730.
    pub forecast_period_days: i64,
    pub include_risk_analysis: bool,
    pub model: ModelParams,
}

impl Default for ForecastParams {
    fn default() -> Self {
        ForecastParams {
            forecast_period_days: 180,
            include_risk_analysis: true,
            model: ModelParams::default(),
        }
    }
}

/// Refuses a forecast period outside 1–730 days.
pub fn validate_period_days(days: i64) -> Result<i64> {
    int_range("forecastPeriodDays", days, 1, 730)
}

/// Confidence category of a probability.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ForecastCategory {
    /// p ≥ 0.80.
    HighConfidence,
    /// 0.60 ≤ p < 0.80.
    MediumConfidence,
    /// p < 0.60.
    AtRisk,
}

impl ForecastCategory {
    /// The category of a (rounded) probability.
    pub fn of(probability: f64) -> ForecastCategory {
        if probability >= 0.80 {
            ForecastCategory::HighConfidence
        } else if probability >= 0.60 {
            ForecastCategory::MediumConfidence
        } else {
            ForecastCategory::AtRisk
        }
    }
}

/// One open renewal as forecast.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RenewalPrediction {
    pub renewal_id: String,
    pub client_id: String,
    pub contract_id: String,
    pub renewal_date: NaiveDate,
    /// The renewal's target ARR (ARR up for renewal).
    #[serde(with = "serde_text::money")]
    pub arr: Money,
    /// Probability of renewing or downgrading rather than churning, 4 places.
    pub probability: f64,
    pub category: ForecastCategory,
    /// Top three factors by |value|.
    pub factors: Vec<Factor>,
    /// The raw features the probability was computed from.
    pub features: Features,
}

/// Count, ARR and mean probability of one category.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CategoryStats {
    pub count: usize,
    #[serde(with = "serde_text::money")]
    pub arr: Money,
    /// Mean of the members' probabilities, 4 places; `None` when empty.
    pub probability_avg: Option<f64>,
}

/// The three categories.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ForecastCategories {
    pub high_confidence: CategoryStats,
    pub medium_confidence: CategoryStats,
    pub at_risk: CategoryStats,
}

/// The result of `renewalForecast`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RenewalForecast {
    pub as_of: NaiveDate,
    /// as_of + forecastPeriodDays (inclusive).
    pub period_end: NaiveDate,
    pub renewals_due: usize,
    #[serde(with = "serde_text::money")]
    pub arr_renewing: Money,
    pub categories: ForecastCategories,
    /// Σ p·ARR ÷ Σ ARR, 4 places; `None` when nothing is renewing.
    pub predicted_renewal_rate: Option<f64>,
    /// Σ over renewals of ARR × p rounded to the cent (half away from zero).
    #[serde(with = "serde_text::money")]
    pub predicted_retained_arr: Money,
    /// Σ over renewals of ARR − (ARR × p rounded): so retained + churn = arrRenewing exactly.
    #[serde(with = "serde_text::money")]
    pub predicted_churn_arr: Money,
    /// Σ value × probability (each rounded to the cent) of open opportunities of renewing clients.
    #[serde(with = "serde_text::money")]
    pub expansion_in_renewals: Money,
    /// Ordered by renewal date, then renewal id.
    pub renewals: Vec<RenewalPrediction>,
    pub model: ModelSummary,
    pub risk_analysis: Option<RiskAnalysis>,
}

/// Trains the model `renewalForecast(asOf)` uses: closed renewals dated before `as_of` and closed
/// by then. Fit once, then [`predict`] any number of renewals (e.g. `Client.renewalProbability`).
pub fn train_model(data: &ForecastData, params: &ModelParams, as_of: NaiveDate) -> Result<ForecastModel> {
    let rows = model::training_rows(&data.cases, &data.clients, as_of, as_of)?;
    Ok(ForecastModel::train(&rows, params))
}

/// Scores one renewal with the snapshots dated on or before `as_of`.
pub fn predict(
    model: &ForecastModel,
    case: &RenewalCase,
    history: &ClientHistory,
    as_of: NaiveDate,
) -> RenewalPrediction {
    let features = features_at(case, history, as_of);
    let score = model.score(&features);
    let probability = round4(score.probability);
    RenewalPrediction {
        renewal_id: case.renewal.id.clone(),
        client_id: case.renewal.client_id.clone(),
        contract_id: case.renewal.contract_id.clone(),
        renewal_date: case.renewal.renewal_date,
        arr: case.renewal.target_arr,
        probability,
        category: ForecastCategory::of(probability),
        factors: score.factors,
        features,
    }
}

/// The open renewals due in [from, to], scored with `model` as of `as_of`, by date then id.
pub fn predict_open(
    model: &ForecastModel,
    data: &ForecastData,
    from: NaiveDate,
    to: NaiveDate,
    as_of: NaiveDate,
) -> Result<Vec<RenewalPrediction>> {
    let mut due: Vec<&RenewalCase> = data
        .cases
        .iter()
        .filter(|c| c.renewal.status == RenewalStatus::Open && (from..=to).contains(&c.renewal.renewal_date))
        .collect();
    due.sort_by(|a, b| (a.renewal.renewal_date, &a.renewal.id).cmp(&(b.renewal.renewal_date, &b.renewal.id)));
    due.into_iter()
        .map(|case| Ok(predict(model, case, model::history_of(&data.clients, case)?, as_of)))
        .collect()
}

/// `renewalForecast`: open renewals due in [as_of, as_of + forecastPeriodDays].
pub fn renewal_forecast(data: &ForecastData, params: &ForecastParams, as_of: NaiveDate) -> Result<RenewalForecast> {
    let days = validate_period_days(params.forecast_period_days)?;
    let period_end = as_of + Days::new(days as u64);
    let model = train_model(data, &params.model, as_of)?;
    let renewals = predict_open(&model, data, as_of, period_end, as_of)?;

    let arr_renewing: Money = renewals.iter().map(|r| r.arr).sum();
    let predicted_retained_arr: Money = renewals.iter().map(|r| r.arr.times(r.probability)).sum();
    let renewing: BTreeSet<&str> = renewals.iter().map(|r| r.client_id.as_str()).collect();
    let expansion_in_renewals = data
        .opportunities
        .iter()
        .filter(|o| !o.stage.is_closed() && renewing.contains(o.client_id.as_str()))
        .map(|o| o.value.times(o.probability))
        .sum();
    let risk_analysis = params.include_risk_analysis.then(|| risk_analysis(&renewals));
    Ok(RenewalForecast {
        as_of,
        period_end,
        renewals_due: renewals.len(),
        arr_renewing,
        categories: categories(&renewals),
        predicted_renewal_rate: rate(predicted_retained_arr, arr_renewing),
        predicted_retained_arr,
        predicted_churn_arr: arr_renewing - predicted_retained_arr,
        expansion_in_renewals,
        model: model.summary,
        risk_analysis,
        renewals,
    })
}

/// `part ÷ whole`, 4 places; `None` when the whole is zero.
pub fn rate(part: Money, whole: Money) -> Option<f64> {
    (whole.cents() != 0).then(|| round4(part.cents() as f64 / whole.cents() as f64))
}

/// Count, ARR and mean probability per category.
pub fn categories(renewals: &[RenewalPrediction]) -> ForecastCategories {
    let stats = |category: ForecastCategory| {
        let members: Vec<&RenewalPrediction> = renewals.iter().filter(|r| r.category == category).collect();
        let sum: f64 = members.iter().map(|r| r.probability).sum();
        CategoryStats {
            count: members.len(),
            arr: members.iter().map(|r| r.arr).sum(),
            probability_avg: (!members.is_empty()).then(|| round4(sum / members.len() as f64)),
        }
    };
    ForecastCategories {
        high_confidence: stats(ForecastCategory::HighConfidence),
        medium_confidence: stats(ForecastCategory::MediumConfidence),
        at_risk: stats(ForecastCategory::AtRisk),
    }
}

#[cfg(test)]
mod tests;
