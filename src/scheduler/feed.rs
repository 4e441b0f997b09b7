//! The feed of GraphQL subscriptions: one task per server reads the outbox every
//! `poll_interval_ms` from where it left off and broadcasts each new event to this server's
//! subscribers. Reading the table rather than listening in-process means a subscriber sees the
//! events every replica wrote, on SQLite and PostgreSQL alike.
//!
//! While nobody subscribes, the task sleeps and reads nothing: an idle server runs no statement
//! for the feed. The first subscriber wakes it; the task then starts after the newest event that
//! exists and only then lets the subscription begin, so the subscriber gets every event committed
//! after it started and none from before (no backlog of the idle time).
use crate::db::{self, Db};
use crate::events::Event;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, watch, Notify};
use tokio::task::JoinHandle;

/// Events a slow subscriber may fall behind by before it skips ahead.
const BUFFER: usize = 1024;
/// Events read per poll.
const PAGE: u64 = 500;

/// The broadcast every subscription listens to; cheap to clone.
#[derive(Clone, Debug)]
pub struct EventFeed {
    sender: broadcast::Sender<Arc<Event>>,
    /// Rung when new events were read (the delivery worker waits on it).
    pub new_events: Arc<Notify>,
    /// Rung by a new subscriber, to wake an idle poller.
    subscribed: Arc<Notify>,
    /// Whether the poller is reading the outbox (false while it idles without subscribers).
    polling: watch::Sender<bool>,
}

impl Default for EventFeed {
    fn default() -> Self {
        EventFeed {
            sender: broadcast::channel(BUFFER).0,
            new_events: Arc::new(Notify::new()),
            subscribed: Arc::new(Notify::new()),
            polling: watch::channel(false).0,
        }
    }
}

impl EventFeed {
    /// A receiver of every event committed from the moment this returns. Waits (briefly) for an
    /// idle poller to wake and take its place in the outbox.
    pub async fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        // Registered first: a poller about to idle sees the receiver and stays awake.
        let receiver = self.sender.subscribe();
        self.subscribed.notify_one();
        let mut polling = self.polling.subscribe();
        // An error means the poller is gone (shutting down): nothing more will come anyway.
        let _ = polling.wait_for(|reading| *reading).await;
        receiver
    }

    /// The newest event's seq, retried until the outbox answers.
    async fn last_seq(db: &Db, interval: Duration) -> i64 {
        loop {
            match db::outbox::last_seq(db).await {
                Ok(seq) => return seq,
                Err(err) => {
                    tracing::error!(error = ?err, "event feed could not read the outbox");
                    tokio::time::sleep(interval.max(Duration::from_secs(1))).await;
                }
            }
        }
    }

    /// Polls the outbox until aborted while anyone subscribes, idling otherwise.
    pub fn spawn_poller(&self, db: Db, interval: Duration) -> JoinHandle<()> {
        let feed = self.clone();
        tokio::spawn(async move {
            let mut cursor = Self::last_seq(&db, interval).await;
            // A full page means more are waiting: read on without pausing.
            let mut full = false;
            loop {
                if feed.sender.receiver_count() == 0 {
                    // Marked idle before the last look, so a subscriber arriving meanwhile
                    // either keeps us awake here or waits for the wake-up below.
                    feed.polling.send_replace(false);
                    if feed.sender.receiver_count() == 0 {
                        feed.subscribed.notified().await;
                        cursor = Self::last_seq(&db, interval).await;
                    }
                    feed.polling.send_replace(true);
                    full = false;
                }
                if !full {
                    tokio::time::sleep(interval).await;
                }
                full = false;
                match db::outbox::after(&db, cursor, PAGE).await {
                    Ok(events) if !events.is_empty() => {
                        full = events.len() as u64 == PAGE;
                        for event in events {
                            cursor = event.seq;
                            // No subscriber is not an error.
                            let _ = feed.sender.send(Arc::new(event));
                        }
                        feed.new_events.notify_one();
                    }
                    Ok(_) => {}
                    Err(err) => tracing::error!(error = ?err, "event feed poll failed"),
                }
            }
        })
    }
}
