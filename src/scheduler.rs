//! The reminder scheduler (117): the server creates the missing renewal reminders once as it
//! starts serving (in the background: the port answers at once) and then every
//! `reminders.interval` seconds until it stops. Several replicas may run it at once:
//! the unique key (renewal_id, offset_days) keeps the rows single. A failed run is logged and the
//! next one tries again; it never takes the server down.
//!
//! Each run also writes the events that time alone causes (`services::events::emit_scheduled`):
//! `reminder.due` once per reminder whose due date arrived, `renewal.at_risk` for renewals gone
//! overdue or unlikely. Beside it: the webhook delivery worker ([`delivery`]) and the feed of
//! GraphQL subscriptions ([`feed`]), both reading the outbox.
pub mod delivery;
pub mod feed;

use crate::db::Db;
use crate::services::{events, reminders, RequestContext};
use crate::telemetry::meter;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::{interval_at, Instant, MissedTickBehavior};

/// What the scheduler needs.
#[derive(Clone, Debug)]
pub struct ReminderScheduler {
    pub db: Db,
    /// Checked offsets, largest first.
    pub offsets: Vec<u32>,
    /// Time between runs; zero turns the timer off.
    pub interval: Duration,
}

impl ReminderScheduler {
    /// One run, dated today (UTC); returns the rows created, 0 when it failed (logged).
    pub async fn run_once(&self) -> u64 {
        let rc = RequestContext {
            now: chrono::Utc::now(),
            request_id: format!("scheduler-{}", uuid::Uuid::new_v4().simple()),
            actor: crate::domain::access::Actor::without_token("reminder-scheduler"),
            client: "scheduler".to_owned(),
        };
        let created = match reminders::run_scheduler(&self.db, &rc, &self.offsets).await {
            Ok(created) => {
                meter::scheduler_run(Some(created));
                tracing::info!(created, request_id = %rc.request_id, "renewal reminders scheduled");
                created
            }
            Err(err) => {
                meter::scheduler_run(None);
                tracing::error!(error = ?err, request_id = %rc.request_id, "renewal reminder scheduling failed");
                0
            }
        };
        match events::emit_scheduled(&self.db, &rc).await {
            Ok(written) => tracing::info!(written, request_id = %rc.request_id, "scheduled events written"),
            Err(err) => tracing::error!(error = ?err, request_id = %rc.request_id, "scheduled events failed"),
        }
        created
    }

    /// Runs once now, then every `interval` (when the timer is on), stopping once `stop` turns
    /// true (or its sender is gone) after finishing a run in progress. `first_run` turns true when
    /// the first run is over (tests and `/ready`-style waits read it).
    pub fn spawn_timer(self, mut stop: watch::Receiver<bool>, first_run: watch::Sender<bool>) -> JoinHandle<()> {
        tokio::spawn(async move {
            self.run_once().await;
            first_run.send_replace(true);
            if self.interval.is_zero() || *stop.borrow() {
                return;
            }
            let mut ticks = interval_at(Instant::now() + self.interval, self.interval);
            ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = ticks.tick() => { self.run_once().await; }
                    _ = stop.changed() => break,
                }
            }
        })
    }
}
