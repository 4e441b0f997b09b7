//! 118 — `renewalForecast` and `renewalForecastBacktest`: GraphQL views of the pure reports.
use super::{load_client, Client};
use crate::graphql::enums::{ForecastCategory, ModelKind, RiskFactorKind};
use crate::graphql::item_page::{ItemPage, ItemWindow};
use crate::graphql::scalars::{Date, Money};
use crate::processes::forecast as report;
use async_graphql::{ComplexObject, Context, Result, SimpleObject, ID};

/// Open renewals due in [asOf, periodEnd], scored by a model trained on closed renewals.
#[derive(SimpleObject)]
pub struct RenewalForecast {
    /// The date the forecast is as of.
    pub as_of: Date,
    /// asOf + forecastPeriodDays (inclusive).
    pub period_end: Date,
    /// Open renewals due in the period.
    pub renewals_due: usize,
    /// Σ their ARR.
    pub arr_renewing: Money,
    /// Count, ARR and mean probability by confidence category.
    pub categories: ForecastCategories,
    /// Σ p·ARR ÷ Σ ARR (null when nothing renews).
    pub predicted_renewal_rate: Option<f64>,
    /// Σ ARR × p, each rounded to the cent.
    pub predicted_retained_arr: Money,
    /// arrRenewing − predictedRetainedArr.
    pub predicted_churn_arr: Money,
    /// Σ value × probability of the open opportunities of renewing clients.
    pub expansion_in_renewals: Money,
    /// Each renewal, by date then id.
    pub renewals: Vec<RenewalPrediction>,
    /// Items of the whole list and this page's cursors (`first` / `after` on the field).
    #[graphql(flatten)]
    pub page: ItemPage,
    /// The model behind the probabilities.
    pub model: ModelSummary,
    /// Risk factors and mitigation steps (when includeRiskAnalysis).
    pub risk_analysis: Option<RiskAnalysis>,
}

/// The three confidence categories.
#[derive(SimpleObject)]
pub struct ForecastCategories {
    /// p ≥ 0.80.
    pub high_confidence: CategoryStats,
    /// 0.60 ≤ p < 0.80.
    pub medium_confidence: CategoryStats,
    /// p < 0.60.
    pub at_risk: CategoryStats,
}

/// Count, ARR and mean probability of one category.
#[derive(SimpleObject)]
pub struct CategoryStats {
    /// Renewals.
    pub count: usize,
    /// Σ ARR.
    pub arr: Money,
    /// Mean probability (null when empty).
    pub probability_avg: Option<f64>,
}

/// One open renewal as forecast.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct RenewalPrediction {
    /// The renewal (`RNW-<n>`).
    pub renewal_id: ID,
    /// The client's id.
    pub client_id: ID,
    /// The contract being renewed.
    pub contract_id: ID,
    /// Renewal date.
    pub renewal_date: Date,
    /// ARR up for renewal.
    pub arr: Money,
    /// Probability of renewing or downgrading rather than churning.
    pub probability: f64,
    /// Confidence category of the probability.
    pub category: ForecastCategory,
    /// The three largest contributions to the probability.
    pub factors: Vec<ForecastFactor>,
    /// The inputs the probability was computed from.
    pub features: RenewalFeatures,
}

#[ComplexObject]
impl RenewalPrediction {
    /// The client.
    async fn client(&self, ctx: &Context<'_>) -> Result<Client> {
        load_client(ctx, &self.client_id).await
    }
}

/// A signed contribution: log-odds (coefficient × (x − mean)) for the logistic model, probability
/// points for the heuristic.
#[derive(SimpleObject)]
pub struct ForecastFactor {
    /// Feature name (`health`, `usage_rate`, `seat_utilization`, `payment_issue`, `auto_renew`,
    /// `declining_health`, `tenure`).
    pub name: String,
    /// Signed contribution.
    pub value: f64,
    /// The factor in words with its numbers, e.g. "health 54, 12 below the book's mean: −0.20".
    pub description: String,
}

/// The model inputs of one renewal, raw; missing snapshot data is null.
#[derive(SimpleObject)]
pub struct RenewalFeatures {
    /// Snapshots dated on or before this date were read.
    pub snapshot_cutoff: Date,
    /// Overall health score 0–100, unrounded.
    pub health: Option<f64>,
    /// Consumption ÷ plan limit.
    pub usage_rate: Option<f64>,
    /// Active users ÷ seats licensed.
    pub seat_utilization: Option<f64>,
    /// Payment overdue or at risk.
    pub payment_issue: bool,
    /// The contract auto-renews.
    pub auto_renew: bool,
    /// The latest health trend is declining.
    pub declining_health: bool,
    /// Years a customer at the renewal date.
    pub tenure_years: f64,
}

/// What the model is and how well it fits its training set.
#[derive(SimpleObject)]
pub struct ModelSummary {
    /// Logistic regression, or the heuristic fallback.
    pub kind: ModelKind,
    /// Closed renewals available for training.
    pub trained_on: usize,
    /// Of those, renewed or downgraded.
    pub positives: usize,
    /// In-sample mean (p − y)² (null without training rows).
    pub brier_score: Option<f64>,
    /// Log-odds at the training means (logistic only).
    pub intercept: Option<f64>,
    /// One per feature (logistic only).
    pub coefficients: Vec<ModelCoefficient>,
    /// Why the heuristic was used, when it was.
    pub fallback_reason: Option<String>,
}

/// A coefficient of the logistic model.
#[derive(SimpleObject)]
pub struct ModelCoefficient {
    /// Feature name.
    pub feature: String,
    /// Change in log-odds per standard deviation of the feature.
    pub coefficient: f64,
    /// Training mean of the feature.
    pub mean: f64,
    /// Training standard deviation of the feature.
    pub scale: f64,
}

/// Risk factors across the forecast's renewals and the steps they call for.
#[derive(SimpleObject)]
pub struct RiskAnalysis {
    /// Every factor, zeros included.
    pub factors: Vec<RiskFactor>,
    /// Steps written from the numbers, largest ARR first.
    pub mitigation_steps: Vec<String>,
}

/// One risk factor across the renewals.
#[derive(SimpleObject)]
pub struct RiskFactor {
    /// The factor.
    pub factor: RiskFactorKind,
    /// Distinct clients with a renewal showing it.
    pub accounts_affected: usize,
    /// Σ ARR of those renewals.
    pub arr: Money,
}

/// The forecast as it would have run on `from`, scored against the renewals due in [from, to].
#[derive(SimpleObject)]
pub struct RenewalForecastBacktest {
    /// Training cut-off: renewals closed before it train the model.
    pub from: Date,
    /// Last renewal date evaluated.
    pub to: Date,
    /// The model trained before `from`.
    pub model: ModelSummary,
    /// Closed renewals due in [from, to].
    pub evaluated: usize,
    /// Of those, renewed or downgraded.
    pub positives: usize,
    /// The model's mean (p − y)² (null when nothing was evaluated).
    pub brier_score: Option<f64>,
    /// Mean log loss, probabilities clipped to [1e-6, 1 − 1e-6].
    pub log_loss: Option<f64>,
    /// Equal-width buckets of predicted probability with their observed rates.
    pub calibration: Vec<CalibrationBucket>,
    /// The heuristic's Brier score on the same renewals.
    pub heuristic_brier_score: Option<f64>,
}

/// Renewals whose predicted probability lies in [lower, upper) ([lower, 1] for the last).
#[derive(SimpleObject)]
pub struct CalibrationBucket {
    /// Lower edge.
    pub lower: f64,
    /// Upper edge.
    pub upper: f64,
    /// Renewals in the bucket.
    pub count: usize,
    /// Mean predicted probability (null when empty).
    pub mean_predicted: Option<f64>,
    /// Share kept (null when empty).
    pub observed_rate: Option<f64>,
}

impl RenewalForecast {
    /// The page `window` of a (possibly cached, shared) forecast: only the shown renewals are
    /// copied.
    pub fn page(f: &report::RenewalForecast, window: ItemWindow) -> Self {
        let (renewals, page) = window.slice(&f.renewals);
        let shown = report::RenewalForecast {
            as_of: f.as_of,
            period_end: f.period_end,
            renewals_due: f.renewals_due,
            arr_renewing: f.arr_renewing,
            categories: f.categories.clone(),
            predicted_renewal_rate: f.predicted_renewal_rate,
            predicted_retained_arr: f.predicted_retained_arr,
            predicted_churn_arr: f.predicted_churn_arr,
            expansion_in_renewals: f.expansion_in_renewals,
            renewals: renewals.to_vec(),
            model: f.model.clone(),
            risk_analysis: f.risk_analysis.clone(),
        };
        RenewalForecast { page, ..shown.into() }
    }
}

impl From<report::RenewalForecast> for RenewalForecast {
    fn from(f: report::RenewalForecast) -> Self {
        RenewalForecast {
            as_of: f.as_of.into(),
            period_end: f.period_end.into(),
            renewals_due: f.renewals_due,
            arr_renewing: f.arr_renewing.into(),
            categories: ForecastCategories {
                high_confidence: f.categories.high_confidence.into(),
                medium_confidence: f.categories.medium_confidence.into(),
                at_risk: f.categories.at_risk.into(),
            },
            predicted_renewal_rate: f.predicted_renewal_rate,
            predicted_retained_arr: f.predicted_retained_arr.into(),
            predicted_churn_arr: f.predicted_churn_arr.into(),
            expansion_in_renewals: f.expansion_in_renewals.into(),
            page: ItemPage::whole(f.renewals.len()),
            renewals: f.renewals.into_iter().map(Into::into).collect(),
            model: f.model.into(),
            risk_analysis: f.risk_analysis.map(|r| RiskAnalysis {
                factors: r
                    .factors
                    .into_iter()
                    .map(|f| RiskFactor {
                        factor: f.factor.into(),
                        accounts_affected: f.accounts_affected,
                        arr: f.arr.into(),
                    })
                    .collect(),
                mitigation_steps: r.mitigation_steps,
            }),
        }
    }
}

impl From<report::CategoryStats> for CategoryStats {
    fn from(c: report::CategoryStats) -> Self {
        CategoryStats {
            count: c.count,
            arr: c.arr.into(),
            probability_avg: c.probability_avg,
        }
    }
}

impl From<report::RenewalPrediction> for RenewalPrediction {
    fn from(p: report::RenewalPrediction) -> Self {
        let f = p.features;
        RenewalPrediction {
            renewal_id: ID(p.renewal_id),
            client_id: ID(p.client_id),
            contract_id: ID(p.contract_id),
            renewal_date: p.renewal_date.into(),
            arr: p.arr.into(),
            probability: p.probability,
            category: p.category.into(),
            factors: p
                .factors
                .into_iter()
                .map(|f| ForecastFactor {
                    name: f.name,
                    value: f.value,
                    description: f.description,
                })
                .collect(),
            features: RenewalFeatures {
                snapshot_cutoff: f.snapshot_cutoff.into(),
                health: f.health_score,
                usage_rate: f.usage_rate.map(report::round4),
                seat_utilization: f.seat_utilization.map(report::round4),
                payment_issue: f.payment_issue,
                auto_renew: f.auto_renew,
                declining_health: f.declining_health,
                tenure_years: report::round4(f.tenure_years),
            },
        }
    }
}

impl From<report::ModelSummary> for ModelSummary {
    fn from(m: report::ModelSummary) -> Self {
        ModelSummary {
            kind: m.kind.into(),
            trained_on: m.trained_on,
            positives: m.positives,
            brier_score: m.brier_score,
            intercept: m.intercept,
            coefficients: m
                .coefficients
                .into_iter()
                .map(|c| ModelCoefficient {
                    feature: c.feature,
                    coefficient: c.coefficient,
                    mean: c.mean,
                    scale: c.scale,
                })
                .collect(),
            fallback_reason: m.fallback_reason,
        }
    }
}

impl From<report::Backtest> for RenewalForecastBacktest {
    fn from(b: report::Backtest) -> Self {
        RenewalForecastBacktest {
            from: b.from.into(),
            to: b.to.into(),
            model: b.model.into(),
            evaluated: b.evaluated,
            positives: b.positives,
            brier_score: b.brier_score,
            log_loss: b.log_loss,
            calibration: b
                .calibration
                .into_iter()
                .map(|c| CalibrationBucket {
                    lower: c.lower,
                    upper: c.upper,
                    count: c.count,
                    mean_predicted: c.mean_predicted,
                    observed_rate: c.observed_rate,
                })
                .collect(),
            heuristic_brier_score: b.heuristic_brier_score,
        }
    }
}
