//! 118: the renewal forecast over the whole book. The book is read in six statements whatever its
//! size (renewals, their contracts, clients, the usage and health rows the features read, open
//! opportunities); the model is fitted once per call and scores any number of renewals.
use crate::db::parallel::read;
use crate::db::{self, Db};
use crate::domain::{Contract, HealthSnapshot, Opportunity, Renewal, RenewalStatus, UsageSnapshot};
use crate::error::{Error, Result};
use crate::processes::forecast::model::history_of;
use crate::processes::forecast::{
    self, predict, train_model, validate_backtest_range, validate_period_days, Backtest, ClientHistory, ForecastData,
    ForecastModel, ForecastParams, ModelParams, RenewalCase, RenewalForecast,
};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// Everything the forecast reads as of `as_of`: every renewal (closed ones train the model) with its
/// contract, every client's start, open opportunities, and of the snapshots only those the features
/// read — each client's newest on or before `as_of` and each closed renewal's newest on or before
/// its training cutoff — so client histories here are sparse (enough for [`features_at`] at those
/// cutoffs, not for anything else).
///
/// [`features_at`]: crate::processes::forecast::features_at
pub async fn load_data(db: &Db, as_of: NaiveDate) -> Result<ForecastData> {
    let (renewals, contracts, clients, usage, health, opportunities) = tokio::try_join!(
        read(db, |db| async move { db::renewals::all(&db).await }),
        read(db, |db| async move { db::contracts::with_renewals(&db).await }),
        read(db, |db| async move { db::clients::customer_since_all(&db).await }),
        read(db, move |db| async move {
            db::snapshots::usage_for_forecast(&db, as_of).await
        }),
        read(db, move |db| async move {
            db::snapshots::health_for_forecast(&db, as_of).await
        }),
        read(db, |db| async move { db::opportunities::open(&db).await }),
    )?;
    assemble(renewals, contracts, clients, usage, health, opportunities)
}

/// Joins the loaded rows into renewal cases and client histories.
fn assemble(
    renewals: Vec<Renewal>,
    contracts: Vec<Contract>,
    clients: Vec<(String, NaiveDate)>,
    usage: Vec<UsageSnapshot>,
    health: Vec<HealthSnapshot>,
    opportunities: Vec<Opportunity>,
) -> Result<ForecastData> {
    let contracts: HashMap<String, Contract> = contracts.into_iter().map(|c| (c.id.clone(), c)).collect();
    let cases = renewals
        .into_iter()
        .map(|renewal| {
            let contract = contracts.get(&renewal.contract_id).cloned().ok_or_else(|| {
                Error::internal(anyhow::anyhow!(
                    "contract {} of renewal {} missing",
                    renewal.contract_id,
                    renewal.id
                ))
            })?;
            Ok(RenewalCase { renewal, contract })
        })
        .collect::<Result<Vec<_>>>()?;
    let mut histories: BTreeMap<String, ClientHistory> = clients
        .into_iter()
        .map(|(id, customer_since)| {
            let history = ClientHistory {
                customer_since,
                usage: Vec::new(),
                health: Vec::new(),
            };
            (id, history)
        })
        .collect();
    for u in usage {
        if let Some(history) = histories.get_mut(&u.client_id) {
            history.usage.push(u);
        }
    }
    for h in health {
        if let Some(history) = histories.get_mut(&h.client_id) {
            history.health.push(h);
        }
    }
    Ok(ForecastData {
        cases,
        clients: histories,
        opportunities,
    })
}

/// The book and the model trained on it for `as_of`: what 117 and 119 score renewals with.
pub struct ScoredBook {
    pub data: ForecastData,
    pub model: ForecastModel,
}

/// Loads the book and fits the model once.
pub async fn scored_book(db: &Db, as_of: NaiveDate) -> Result<ScoredBook> {
    let data = load_data(db, as_of).await?;
    let model = train_model(&data, &ModelParams::default(), as_of)?;
    Ok(ScoredBook { data, model })
}

/// `renewalForecast`: open renewals due in [as_of, as_of + forecast_period_days].
pub async fn renewal_forecast(
    db: &Db,
    forecast_period_days: i64,
    include_risk_analysis: bool,
    as_of: NaiveDate,
) -> Result<Arc<RenewalForecast>> {
    validate_period_days(forecast_period_days)?;
    let arguments = (forecast_period_days, include_risk_analysis, as_of);
    super::cache::shared_answer(db, "renewalForecast", arguments, || async {
        let data = load_data(db, as_of).await?;
        let params = ForecastParams {
            forecast_period_days,
            include_risk_analysis,
            model: ModelParams::default(),
        };
        forecast::renewal_forecast(&data, &params, as_of)
    })
    .await
}

/// `renewalForecastBacktest`: the forecast as it would have run on `from`, scored against the
/// renewals due in [from, to]. Snapshots after `from` are not even read.
pub async fn backtest(db: &Db, from: NaiveDate, to: NaiveDate) -> Result<Backtest> {
    validate_backtest_range(from, to)?;
    let data = load_data(db, from).await?;
    forecast::backtest(&data, &ModelParams::default(), from, to)
}

/// The 118 probability that each client keeps its earliest open renewal, scored as of `as_of`
/// with one model fitted on the whole book. Clients without an open renewal are absent.
pub async fn renewal_probabilities(db: &Db, client_ids: &[String], as_of: NaiveDate) -> Result<HashMap<String, f64>> {
    let book = scored_book(db, as_of).await?;
    probabilities_of(&book, client_ids, as_of)
}

/// [`renewal_probabilities`] over an already scored book.
pub fn probabilities_of(book: &ScoredBook, client_ids: &[String], as_of: NaiveDate) -> Result<HashMap<String, f64>> {
    let wanted: HashSet<&str> = client_ids.iter().map(String::as_str).collect();
    let mut earliest: BTreeMap<&str, &RenewalCase> = BTreeMap::new();
    for case in &book.data.cases {
        let r = &case.renewal;
        if r.status != RenewalStatus::Open || !wanted.contains(r.client_id.as_str()) {
            continue;
        }
        let entry = earliest.entry(r.client_id.as_str()).or_insert(case);
        if (r.renewal_date, &r.id) < (entry.renewal.renewal_date, &entry.renewal.id) {
            *entry = case;
        }
    }
    earliest
        .into_iter()
        .map(|(client_id, case)| {
            let history = history_of(&book.data.clients, case)?;
            let prediction = predict(&book.model, case, history, as_of);
            Ok((client_id.to_owned(), prediction.probability))
        })
        .collect()
}
