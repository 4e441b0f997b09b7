//! The reference path from raw ledger events to a period's inputs: what the SQL aggregates must
//! equal. Production code lets the database aggregate; tests (unit, and the integration tests that
//! compare the SQL-fed path with this one on random ledgers) use these.
use super::cohort::{ClientCategoryArr, ClientEdge, PeriodInput, StartFacts};
use super::periods::Period;
use crate::domain::{Money, RevenueCategory, RevenueEvent};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// ARR on `date` from one client's ledger: Σ arr_delta of its events with occurred_on ≤ `date`
/// (DESIGN §3: the ledger is the truth for ARR).
pub fn arr_on(events: &[(NaiveDate, Money)], date: NaiveDate) -> Money {
    events
        .iter()
        .filter(|(on, _)| *on <= date)
        .map(|(_, delta)| *delta)
        .sum()
}

/// A period's inputs computed from raw ledger events of any number of clients, in any order: one
/// [`ClientEdge`] per client present in `events` (ascending id, no snapshot facts) and the gross
/// positive movements within the period per client and category (ascending id, then category).
pub fn period_input_from_ledger(events: &[RevenueEvent], period: &Period) -> PeriodInput {
    let mut per_client: BTreeMap<&str, Vec<(NaiveDate, Money)>> = BTreeMap::new();
    let mut positive: BTreeMap<(&str, RevenueCategory), Money> = BTreeMap::new();
    for event in events {
        per_client
            .entry(event.client_id.as_str())
            .or_default()
            .push((event.occurred_on, event.arr_delta));
        let within = period.start <= event.occurred_on && event.occurred_on <= period.end;
        if within && event.arr_delta > Money::ZERO {
            *positive.entry((event.client_id.as_str(), event.category)).or_default() += event.arr_delta;
        }
    }
    let clients = per_client
        .into_iter()
        .map(|(client_id, ledger)| ClientEdge {
            client_id: client_id.to_owned(),
            arr_before_start: arr_on(&ledger, period.opening_date()),
            arr_at_end: arr_on(&ledger, period.end),
            facts: StartFacts::default(),
        })
        .collect();
    let expansion = positive
        .into_iter()
        .map(|((client_id, category), arr)| ClientCategoryArr {
            client_id: client_id.to_owned(),
            category,
            arr,
        })
        .collect();
    PeriodInput {
        period: period.clone(),
        clients,
        expansion,
    }
}

/// The current ARR (on `as_of`) of each client in `events` that is in `active_ids`: the ARPA input
/// of 121, from raw events.
pub fn current_arr_from_ledger(events: &[RevenueEvent], active_ids: &[&str], as_of: NaiveDate) -> Vec<Money> {
    let mut per_client: BTreeMap<&str, Money> = active_ids.iter().map(|id| (*id, Money::ZERO)).collect();
    for event in events.iter().filter(|e| e.occurred_on <= as_of) {
        if let Some(arr) = per_client.get_mut(event.client_id.as_str()) {
            *arr += event.arr_delta;
        }
    }
    per_client.into_values().collect()
}
