//! 120 and 121: the database aggregates the ledger at the period edges; the pure processes define
//! every figure from those per-client edge values.
use crate::db::{self, Db};
use crate::domain::{ClientStatus, Money};
use crate::error::{Error, Result};
use crate::processes::lifetime_value::{
    customer_lifetime_value, portfolio_basis, Acquisition, ClientInput, ClvParams, CustomerLifetimeValue,
    OptimizationFocus, PortfolioBasis, PortfolioInput,
};
use crate::processes::revenue::{
    edge_dates, periods, revenue_expansion as report, ClientCategoryArr, ClientEdge, OpenOpportunity, Period,
    PeriodInput, RevenueExpansion, StartFacts, TimePeriod,
};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// `revenueExpansion`: `periods` calendar periods ending with the one containing `as_of`.
pub async fn revenue_expansion(
    db: &Db,
    time_period: TimePeriod,
    include_pipeline: bool,
    count: i64,
    as_of: NaiveDate,
) -> Result<RevenueExpansion> {
    let periods = periods(time_period, count, as_of)?;
    let dates = edge_dates(&periods);
    let arr = db::revenue_edges::arr_at_dates(db, &dates).await?;
    let ranges: Vec<(NaiveDate, NaiveDate)> = periods.iter().map(|p| (p.start, p.end)).collect();
    let movements = db::revenue_edges::positive_movements(db, &ranges).await?;
    let mut inputs = Vec::with_capacity(periods.len());
    for (index, period) in periods.iter().enumerate() {
        let facts = start_facts(db, period.start).await?;
        let expansion = movements
            .iter()
            .filter(|m| m.period == index)
            .map(|m| ClientCategoryArr {
                client_id: m.client_id.clone(),
                category: m.category,
                arr: m.arr,
            })
            .collect();
        inputs.push(PeriodInput {
            period: period.clone(),
            clients: edges(&arr, &dates, period, &facts)?,
            expansion,
        });
    }
    let pipeline = if include_pipeline {
        Some(open_opportunities(db).await?)
    } else {
        None
    };
    Ok(report(time_period, as_of, &inputs, pipeline.as_deref()))
}

/// Each client's ARR on `s − 1` and `e` of `period`, read from the aggregate at `dates`.
fn edges(
    arr: &BTreeMap<String, Vec<Money>>,
    dates: &[NaiveDate],
    period: &Period,
    facts: &HashMap<String, StartFacts>,
) -> Result<Vec<ClientEdge>> {
    let position = |date: NaiveDate| {
        dates
            .binary_search(&date)
            .map_err(|_| Error::internal(anyhow::anyhow!("edge date {date} not aggregated")))
    };
    let (before, end) = (position(period.opening_date())?, position(period.end)?);
    Ok(arr
        .iter()
        .map(|(client_id, values)| ClientEdge {
            client_id: client_id.clone(),
            arr_before_start: values[before],
            arr_at_end: values[end],
            facts: facts.get(client_id).copied().unwrap_or_default(),
        })
        .collect())
}

/// Health, seat utilization and adoption of every client from its newest snapshots on or before `on`.
async fn start_facts(db: &Db, on: NaiveDate) -> Result<HashMap<String, StartFacts>> {
    let mut facts: HashMap<String, StartFacts> = HashMap::new();
    for health in db::snapshots::latest_health_all(db, on).await? {
        facts.entry(health.client_id.clone()).or_default().health = Some(health.overall_score);
    }
    for usage in db::snapshots::latest_usage_all(db, on).await? {
        let entry = facts.entry(usage.client_id.clone()).or_default();
        entry.seat_utilization =
            (usage.seats_licensed > 0).then(|| f64::from(usage.active_users) / f64::from(usage.seats_licensed));
        entry.adoption = Some(usage.feature_adoption);
    }
    Ok(facts)
}

async fn open_opportunities(db: &Db) -> Result<Vec<OpenOpportunity>> {
    let rows = db::revenue_edges::open_pipeline(db).await?;
    Ok(rows
        .into_iter()
        .map(|(value, probability)| OpenOpportunity { value, probability })
        .collect())
}

/// The portfolio figures CLV is built on: trailing-12-month cohort, ARPA, CAC.
pub async fn clv_basis(db: &Db, as_of: NaiveDate) -> Result<(PortfolioBasis, BTreeMap<String, Money>)> {
    let window = Period::trailing_year(as_of);
    let dates = edge_dates(std::slice::from_ref(&window));
    let arr = db::revenue_edges::arr_at_dates(db, &dates).await?;
    let trailing_clients = edges(&arr, &dates, &window, &HashMap::new())?;
    let at_end = dates
        .binary_search(&window.end)
        .map_err(|_| Error::internal(anyhow::anyhow!("as_of not aggregated")))?;
    let current: BTreeMap<String, Money> = arr.iter().map(|(id, values)| (id.clone(), values[at_end])).collect();
    let clients = db::clients::all(db).await?;
    let active_client_arr = clients
        .iter()
        .filter(|c| c.status == ClientStatus::Active)
        .map(|c| current.get(&c.id).copied().unwrap_or_default())
        .collect();
    let acquisitions = clients
        .iter()
        .map(|c| Acquisition {
            customer_since: c.customer_since,
            acquisition_cost: c.acquisition_cost,
        })
        .collect();
    let input = PortfolioInput {
        trailing_clients,
        active_client_arr,
        acquisitions,
    };
    Ok((portfolio_basis(&input, as_of), current))
}

/// `customerLifetimeValue`: the portfolio's, or one client's (its ARR as ARPA).
pub async fn lifetime_value(
    db: &Db,
    params: &ClvParams,
    client_id: Option<&str>,
    focus: OptimizationFocus,
    as_of: NaiveDate,
) -> Result<CustomerLifetimeValue> {
    if let Some(id) = client_id {
        db::clients::get(db, id)
            .await?
            .ok_or_else(|| Error::not_found("client", id))?;
    }
    let (basis, current) = clv_basis(db, as_of).await?;
    let probabilities = match client_id {
        Some(id) => crate::services::forecast::renewal_probabilities(db, &[id.to_owned()], as_of).await?,
        None => Default::default(),
    };
    // A client without an open renewal has no forecast: the portfolio GRR stands in, and the
    // result says so in `retentionSource`.
    let client = client_id.map(|id| ClientInput {
        client_id: id.to_owned(),
        arr: current.get(id).copied().unwrap_or_default(),
        renewal_probability: probabilities.get(id).copied(),
    });
    customer_lifetime_value(&basis, client.as_ref(), params, focus)
}

/// Lifetime value of each of `client_ids` (existing ones) on `as_of`, from one portfolio basis.
pub async fn lifetime_values(
    db: &Db,
    params: &ClvParams,
    client_ids: &[String],
    as_of: NaiveDate,
) -> Result<Vec<(String, CustomerLifetimeValue)>> {
    let (basis, current) = clv_basis(db, as_of).await?;
    let probabilities = crate::services::forecast::renewal_probabilities(db, client_ids, as_of).await?;
    client_ids
        .iter()
        .map(|id| {
            let client = ClientInput {
                client_id: id.clone(),
                arr: current.get(id).copied().unwrap_or_default(),
                renewal_probability: probabilities.get(id).copied(),
            };
            let value = customer_lifetime_value(&basis, Some(&client), params, OptimizationFocus::Balanced)?;
            Ok((id.clone(), value))
        })
        .collect()
}
