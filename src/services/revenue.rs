//! 120 and 121: the database aggregates the ledger at the period edges; the pure processes define
//! every figure from those per-client edge values.
use crate::db::parallel::read;
use crate::db::snapshots::UsageFacts;
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

/// What of `revenueExpansion` a request asks for, beyond the ledger figures every answer has.
/// (Its `Debug` text is part of the answer cache's key.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RevenueSelection {
    /// Open opportunities by band (`includePipeline`).
    pub pipeline: bool,
    /// The periods' success factors. They need every client's usage and health snapshots at each
    /// period start — two reads of the whole snapshot history, most of the report's cost — while
    /// the retention figures need only the ledger; without them each period's factors are empty.
    pub success_factors: bool,
}

/// `revenueExpansion`: `periods` calendar periods ending with the one containing `as_of`.
pub async fn revenue_expansion(
    db: &Db,
    time_period: TimePeriod,
    selection: RevenueSelection,
    count: i64,
    as_of: NaiveDate,
) -> Result<RevenueExpansion> {
    let periods = periods(time_period, count, as_of)?;
    // The selection is part of the key: an answer without success factors never serves one that
    // asks for them.
    let arguments = (time_period, selection, count, as_of);
    super::cache::answer(db, "revenueExpansion", arguments, || {
        compute_revenue_expansion(db, time_period, selection, periods, as_of)
    })
    .await
}

async fn compute_revenue_expansion(
    db: &Db,
    time_period: TimePeriod,
    selection: RevenueSelection,
    periods: Vec<Period>,
    as_of: NaiveDate,
) -> Result<RevenueExpansion> {
    let dates = edge_dates(&periods);
    let ranges: Vec<(NaiveDate, NaiveDate)> = periods.iter().map(|p| (p.start, p.end)).collect();
    let starts: Vec<NaiveDate> = match selection.success_factors {
        true => periods.iter().map(|p| p.start).collect(),
        false => Vec::new(),
    };
    let edge_dates_read = dates.clone();
    let (arr, movements, mut facts_by_start) = tokio::try_join!(
        read(db, |db| async move {
            db::revenue_edges::arr_at_dates(&db, &edge_dates_read).await
        }),
        read(db, |db| async move {
            db::revenue_edges::positive_movements(&db, &ranges).await
        }),
        start_facts(db, &starts),
    )?;
    let mut inputs = Vec::with_capacity(periods.len());
    for (index, period) in periods.iter().enumerate() {
        let facts = facts_by_start.get_mut(index).map(std::mem::take).unwrap_or_default();
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
    let pipeline = if selection.pipeline {
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

/// For each date in `starts`: health, seat utilization and adoption of every client from its newest
/// snapshots dated on or before it. Two statements whatever the number of dates, run at once on
/// their own tasks ([`db::parallel`]): the snapshots up to the last date are streamed once (by
/// client and date), and each client's run of rows is searched per date as soon as it is complete.
async fn start_facts(db: &Db, starts: &[NaiveDate]) -> Result<Vec<HashMap<String, StartFacts>>> {
    let mut out = vec![HashMap::<String, StartFacts>::new(); starts.len()];
    if starts.is_empty() {
        return Ok(out);
    }
    let (for_health, for_usage) = (starts.to_vec(), starts.to_vec());
    let (mut health, mut usage) = tokio::try_join!(
        read(db, |db| async move { health_at(&db, &for_health).await }),
        read(db, |db| async move { usage_at(&db, &for_usage).await }),
    )?;
    for (k, facts) in out.iter_mut().enumerate() {
        for (client_id, score) in health[k].drain() {
            facts.entry(client_id).or_default().health = Some(score);
        }
        for (client_id, u) in usage[k].drain() {
            let entry = facts.entry(client_id).or_default();
            entry.seat_utilization =
                (u.seats_licensed > 0).then(|| f64::from(u.active_users) / f64::from(u.seats_licensed));
            entry.adoption = Some(u.feature_adoption);
        }
    }
    Ok(out)
}

/// Per date of `starts` (not empty), every client's newest health score dated on or before it.
async fn health_at(db: &Db, starts: &[NaiveDate]) -> Result<Vec<HashMap<String, f64>>> {
    let until = starts.iter().max().copied().unwrap_or(NaiveDate::MIN);
    let mut health = vec![HashMap::<String, f64>::new(); starts.len()];
    let mut runs = ClientRuns::default();
    let mut pick = |client: &str, rows: &[(NaiveDate, f64)]| {
        for (k, start) in starts.iter().enumerate() {
            if let Some(latest) = latest_on_or_before(rows, *start, |h| h.0) {
                health[k].insert(client.to_owned(), latest.1);
            }
        }
    };
    db::snapshots::for_each_health_score_until(db, until, |client, as_of, score| {
        runs.push(client, (as_of, score), &mut pick)
    })
    .await?;
    runs.finish(&mut pick);
    Ok(health)
}

/// Per date of `starts` (not empty), every client's newest usage facts dated on or before it.
async fn usage_at(db: &Db, starts: &[NaiveDate]) -> Result<Vec<HashMap<String, UsageFacts>>> {
    let until = starts.iter().max().copied().unwrap_or(NaiveDate::MIN);
    let mut usage = vec![HashMap::<String, UsageFacts>::new(); starts.len()];
    let mut runs = ClientRuns::default();
    let mut pick = |client: &str, rows: &[UsageFacts]| {
        for (k, start) in starts.iter().enumerate() {
            if let Some(latest) = latest_on_or_before(rows, *start, |u| u.period_start) {
                usage[k].insert(client.to_owned(), *latest);
            }
        }
    };
    db::snapshots::for_each_usage_fact_until(db, until, |client, facts| runs.push(client, facts, &mut pick)).await?;
    runs.finish(&mut pick);
    Ok(usage)
}

/// One client's consecutive rows of a result ordered by client: each run is handed on when the
/// next client's first row arrives (or at the end), then its buffer is reused.
struct ClientRuns<T> {
    client: String,
    rows: Vec<T>,
}

impl<T> Default for ClientRuns<T> {
    fn default() -> Self {
        ClientRuns {
            client: String::new(),
            rows: Vec::new(),
        }
    }
}

impl<T> ClientRuns<T> {
    fn push(&mut self, client: &str, row: T, done: &mut impl FnMut(&str, &[T])) {
        if client != self.client {
            if !self.rows.is_empty() {
                done(&self.client, &self.rows);
            }
            self.rows.clear();
            self.client.clear();
            self.client.push_str(client);
        }
        self.rows.push(row);
    }

    fn finish(self, done: &mut impl FnMut(&str, &[T])) {
        if !self.rows.is_empty() {
            done(&self.client, &self.rows);
        }
    }
}

/// The last row dated on or before `on` of rows ordered by date.
fn latest_on_or_before<T>(rows: &[T], on: NaiveDate, date: impl Fn(&T) -> NaiveDate) -> Option<&T> {
    let after = rows.partition_point(|row| date(row) <= on);
    after.checked_sub(1).map(|i| &rows[i])
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
    let arguments = (params, client_id, focus, as_of);
    super::cache::answer(db, "customerLifetimeValue", arguments, || {
        compute_lifetime_value(db, params, client_id, focus, as_of)
    })
    .await
}

async fn compute_lifetime_value(
    db: &Db,
    params: &ClvParams,
    client_id: Option<&str>,
    focus: OptimizationFocus,
    as_of: NaiveDate,
) -> Result<CustomerLifetimeValue> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, d).expect("date")
    }

    #[test]
    fn latest_on_or_before_picks_the_newest_row_not_after_the_date() {
        let rows = [day(1), day(10), day(20)];
        assert_eq!(latest_on_or_before(&rows, day(15), |d| *d), Some(&day(10)));
        assert_eq!(latest_on_or_before(&rows, day(20), |d| *d), Some(&day(20)));
        assert_eq!(latest_on_or_before(&rows, day(1), |d| *d), Some(&day(1)));
        assert_eq!(
            latest_on_or_before(&rows[..], NaiveDate::from_ymd_opt(2025, 12, 31).expect("date"), |d| *d),
            None
        );
    }

    #[test]
    fn client_runs_hand_on_each_clients_consecutive_rows() {
        let mut seen: Vec<(String, Vec<i32>)> = Vec::new();
        let mut done = |client: &str, rows: &[i32]| seen.push((client.to_owned(), rows.to_vec()));
        let mut runs = ClientRuns::default();
        for (client, row) in [("a", 1), ("a", 2), ("b", 3), ("c", 4), ("c", 5)] {
            runs.push(client, row, &mut done);
        }
        runs.finish(&mut done);
        let expected = [("a", vec![1, 2]), ("b", vec![3]), ("c", vec![4, 5])];
        assert_eq!(seen, expected.map(|(c, rows)| (c.to_owned(), rows)));
    }

    #[test]
    fn client_runs_of_no_rows_hand_on_nothing() {
        let mut calls = 0;
        ClientRuns::<i32>::default().finish(&mut |_: &str, _: &[i32]| calls += 1);
        assert_eq!(calls, 0);
    }
}
