//! Events the scheduler finds rather than a mutation causes — reminders whose due date arrived,
//! renewals that turned overdue or unlikely — and the event list (`events`, MCP `list_events`).
//! Every replica runs the scheduler: the events are written under the book's write lock after
//! re-reading what is still unannounced, and the outbox's unique dedupe key keeps each one single.
use super::{forecast, RequestContext};
use crate::db::outbox::EventFilter;
use crate::db::{self, Db};
use crate::domain::queries::{Page, PageRequest};
use crate::domain::Renewal;
use crate::error::Result;
use crate::events::payloads;
use crate::events::risk::{self, Transitions};
use crate::events::{Event, NewEvent};
use crate::services::retry;
use chrono::NaiveDate;
use std::collections::HashMap;

/// Reminders and renewals announced per transaction (the write lock is held that long).
const BATCH: u64 = 500;

/// A page of events, oldest first.
pub async fn list(db: &Db, filter: &EventFilter, page: PageRequest) -> Result<Page<Event>> {
    db::outbox::page(db, filter, page).await
}

/// Writes the `reminder.due` and overdue `renewal.at_risk` events that are due today and not yet
/// written, then the `renewal.at_risk` of open renewals whose forecast fell below 0.60; returns
/// how many events it wrote.
pub async fn emit_scheduled(db: &Db, rc: &RequestContext) -> Result<u64> {
    let today = rc.today();
    let mut written = 0;
    loop {
        let (batch, more) = retry::transient(|| announce_batch(db, rc, today)).await?;
        written += batch;
        if !more {
            break;
        }
    }
    written += retry::transient(|| announce_unlikely(db, rc, today)).await?;
    Ok(written)
}

/// One transaction of at most [`BATCH`] reminders and [`BATCH`] overdue renewals; `more` when a
/// batch was full.
async fn announce_batch(db: &Db, rc: &RequestContext, today: NaiveDate) -> Result<(u64, bool)> {
    // A look without the lock first: most runs find nothing, and then take no write lock at all
    // (which would also change the book version the answer cache is keyed by).
    let nothing_due = db::reminders::due_without_event(db, today, 1).await?.is_empty()
        && db::renewals::overdue_without_event(db, today, 1).await?.is_empty();
    if nothing_due {
        return Ok((0, false));
    }
    let txn = db::write::begin(db).await?;
    let reminders = db::reminders::due_without_event(&txn, today, BATCH).await?;
    let overdue = db::renewals::overdue_without_event(&txn, today, BATCH).await?;
    let mut renewal_ids: Vec<String> = reminders.iter().map(|r| r.renewal_id.clone()).collect();
    renewal_ids.sort();
    renewal_ids.dedup();
    let renewals: HashMap<String, Renewal> = db::renewals::by_ids(&txn, &renewal_ids)
        .await?
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect();
    let mut events: Vec<NewEvent> = reminders
        .iter()
        .filter_map(|reminder| {
            let renewal = renewals.get(&reminder.renewal_id)?;
            Some(payloads::reminder_due(reminder, renewal, today, rc.now))
        })
        .collect();
    events.extend(overdue.iter().map(|r| payloads::renewal_overdue(r, today, rc.now)));
    let more = reminders.len() as u64 == BATCH || overdue.len() as u64 == BATCH;
    let written = db::outbox::append_all(&txn, events).await?;
    txn.commit().await?;
    Ok((written, more))
}

/// `renewal.at_risk` for open renewals of the next 180 days whose forecast probability fell below
/// 0.60 since the last look (`events::risk`): once per fall, again after a recovery.
async fn announce_unlikely(db: &Db, rc: &RequestContext, today: NaiveDate) -> Result<u64> {
    let report = forecast::renewal_forecast(db, 180, false, today).await?;
    let forecasts: Vec<(String, f64)> = report
        .renewals
        .iter()
        .map(|p| (p.renewal_id.clone(), p.probability))
        .collect();
    let ids: Vec<String> = forecasts.iter().map(|(id, _)| id.clone()).collect();
    // A look without the lock first: most runs find no change, and take no write lock.
    if risk::transitions(&forecasts, &db::risk_watch::by_ids(db, &ids).await?).is_empty() {
        return Ok(0);
    }
    let txn = db::write::begin(db).await?;
    // Read again under the lock: another replica may have announced them meanwhile.
    let changes: Transitions = risk::transitions(&forecasts, &db::risk_watch::by_ids(&txn, &ids).await?);
    let crossed_ids: Vec<String> = changes.crossed.iter().map(|(id, _, _)| id.clone()).collect();
    let renewals: HashMap<String, Renewal> = db::renewals::by_ids(&txn, &crossed_ids)
        .await?
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect();
    let events = changes
        .crossed
        .iter()
        .filter_map(|(id, probability, crossing)| {
            let renewal = renewals.get(id)?;
            (renewal.status == crate::domain::RenewalStatus::Open)
                .then(|| payloads::renewal_unlikely(renewal, *probability, *crossing, rc.now))
        })
        .collect();
    db::risk_watch::save(&txn, &changes.changed, rc.now).await?;
    let written = db::outbox::append_all(&txn, events).await?;
    txn.commit().await?;
    Ok(written)
}

impl super::negotiations::Negotiation {
    /// What its `negotiation.offer_recorded` events say about it (kept here so the negotiation
    /// service only calls the outbox).
    pub fn event_ref(&self) -> payloads::NegotiationRef<'_> {
        payloads::NegotiationRef {
            id: &self.id,
            client_id: &self.client_id,
            renewal_id: &self.renewal_id,
            minimum_acceptable_arr: self.package.guardrails.minimum_acceptable_arr,
        }
    }
}
