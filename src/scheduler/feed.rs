//! The feed of GraphQL subscriptions: one task per server reads the outbox every
//! `poll_interval_ms` from where it left off and broadcasts each new event to this server's
//! subscribers. Reading the table rather than listening in-process means a subscriber sees the
//! events every replica wrote, on SQLite and PostgreSQL alike.
use crate::db::{self, Db};
use crate::events::Event;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, Notify};
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
}

impl Default for EventFeed {
    fn default() -> Self {
        EventFeed {
            sender: broadcast::channel(BUFFER).0,
            new_events: Arc::new(Notify::new()),
        }
    }
}

impl EventFeed {
    /// A receiver of every event committed from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.sender.subscribe()
    }

    /// Polls the outbox until aborted, starting after the newest event that exists now.
    pub fn spawn_poller(&self, db: Db, interval: Duration) -> JoinHandle<()> {
        let feed = self.clone();
        tokio::spawn(async move {
            let mut cursor = loop {
                match db::outbox::last_seq(&db).await {
                    Ok(seq) => break seq,
                    Err(err) => {
                        tracing::error!(error = ?err, "event feed could not read the outbox");
                        tokio::time::sleep(interval.max(Duration::from_secs(1))).await;
                    }
                }
            };
            // A full page means more are waiting: read on without pausing.
            let mut full = false;
            loop {
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
