//! The webhook delivery worker: claims due deliveries (see `db::webhooks::claim`), POSTs each
//! event signed with its endpoint's secret, and records the outcome — delivered on 2xx, otherwise
//! retried with exponential backoff and jitter until `max_attempts`, then failed; an endpoint
//! failing `disable_after_failures` times in a row is disabled with the reason. Every replica may
//! run one: claims never overlap, and a worker killed mid-delivery leaves its claims to be taken
//! again when their lease ends (at-least-once; receivers dedupe on `X-Expansion-Delivery`).
use crate::config::WebhookSettings;
use crate::db::webhooks::{Claimed, Outcome};
use crate::db::{self, Db};
use crate::error::Result;
use crate::events::address::{refused_host, refused_ip};
use crate::events::signature::sign;
use crate::events::webhook::backoff_ms;
use crate::events::Event;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, Semaphore};
use tokio::task::JoinHandle;

/// The longest the worker sleeps without looking for due deliveries: how late a delivery another
/// replica wrote can start here (this server's own writes wake it at once).
const IDLE_LOOK: Duration = Duration::from_secs(1);

/// One claimed delivery with its endpoint's URL and secret and its event.
struct Job {
    claim: Claimed,
    url: String,
    secret: String,
    event: Arc<Event>,
}

/// Counters for `/metrics`.
#[derive(Debug, Default)]
pub struct DeliveryCounters {
    pub delivered: AtomicU64,
    pub retried: AtomicU64,
    pub failed: AtomicU64,
    pub endpoints_disabled: AtomicU64,
}

/// What the worker needs.
#[derive(Clone)]
pub struct DeliveryWorker {
    db: Db,
    settings: WebhookSettings,
    http: reqwest::Client,
    /// Rung when new events were seen, so deliveries start before the next poll.
    wake: Arc<Notify>,
    pub counters: Arc<DeliveryCounters>,
}

/// Resolves host names like the system does, then drops every address webhooks may not reach:
/// a name checked when the endpoint was registered cannot later point at a metadata service.
struct SafeResolver {
    allow_link_local: bool,
}

impl Resolve for SafeResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow = self.allow_link_local;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            if let Some(why) = refused_host(&host, allow) {
                return Err(format!("{host} is {why}").into());
            }
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let usable: Vec<SocketAddr> = found
                .into_iter()
                .filter(|a| refused_ip(a.ip(), allow).is_none())
                .collect();
            if usable.is_empty() {
                return Err(format!("{host} resolves to no address webhooks may reach").into());
            }
            Ok(Box::new(usable.into_iter()) as Addrs)
        })
    }
}

impl DeliveryWorker {
    /// A worker on `db` (its own pool: polling must not show in the request statement counters).
    pub fn new(
        db: Db,
        settings: WebhookSettings,
        wake: Arc<Notify>,
        counters: Arc<DeliveryCounters>,
    ) -> anyhow::Result<DeliveryWorker> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(settings.timeout_secs))
            .connect_timeout(Duration::from_secs(settings.timeout_secs.min(5)))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("expansion-api-webhooks/", env!("CARGO_PKG_VERSION")))
            .dns_resolver(Arc::new(SafeResolver {
                allow_link_local: settings.allow_link_local,
            }))
            .build()?;
        Ok(DeliveryWorker {
            db,
            settings,
            http,
            wake,
            counters,
        })
    }

    /// Claims up to `limit` due deliveries, with what to send where. Each is sent right after its
    /// claim, so a lease of one timeout (+ 5 s) covers it.
    async fn claim(&self, limit: usize) -> Result<Vec<Job>> {
        let now = chrono::Utc::now().timestamp_millis();
        let lease = now + (self.settings.timeout_secs as i64 + 5) * 1000;
        let txn = db::write::begin_outside_book(&self.db).await?;
        let claimed = db::webhooks::claim(&txn, now, lease, limit as u64).await?;
        txn.commit().await?;
        if claimed.is_empty() {
            return Ok(Vec::new());
        }
        let mut endpoint_ids: Vec<String> = claimed.iter().map(|c| c.endpoint_id.clone()).collect();
        endpoint_ids.sort();
        endpoint_ids.dedup();
        let targets: HashMap<String, (String, String)> = db::webhooks::targets(&self.db, &endpoint_ids)
            .await?
            .into_iter()
            .map(|(id, url, secret)| (id, (url, secret)))
            .collect();
        let seqs: Vec<i64> = claimed.iter().map(|c| c.event_seq).collect();
        let events: HashMap<i64, Arc<Event>> = db::outbox::by_seqs(&self.db, &seqs)
            .await?
            .into_iter()
            .map(|e| (e.seq, Arc::new(e)))
            .collect();
        Ok(claimed
            .into_iter()
            .filter_map(|claim| {
                // An endpoint deleted meanwhile took its deliveries with it.
                let (url, secret) = targets.get(&claim.endpoint_id)?.clone();
                let event = match events.get(&claim.event_seq) {
                    Some(event) => event.clone(),
                    None => {
                        tracing::error!(seq = claim.event_seq, "event of a delivery missing");
                        return None;
                    }
                };
                Some(Job {
                    claim,
                    url,
                    secret,
                    event,
                })
            })
            .collect())
    }

    /// Sends one claimed delivery and records the outcome.
    async fn deliver(&self, job: Job) -> Result<()> {
        let claim = &job.claim;
        let sent = self.post(&job.url, &job.secret, &claim.delivery_id, &job.event).await;
        let now = chrono::Utc::now().timestamp_millis();
        let outcome = match sent {
            Ok(code) if (200..300).contains(&code) => Outcome::Delivered {
                status_code: i32::from(code),
            },
            other => {
                let (status_code, error) = match other {
                    Ok(code) => (Some(i32::from(code)), format!("HTTP {code}")),
                    Err(err) => (None, err),
                };
                if claim.attempt >= self.settings.max_attempts {
                    Outcome::Failed { status_code, error }
                } else {
                    let jitter = (uuid::Uuid::new_v4().as_u128() % 10_001) as f64 / 10_000.0;
                    let pause = backoff_ms(
                        claim.attempt,
                        self.settings.backoff_base_ms,
                        self.settings.backoff_max_ms,
                        jitter,
                    );
                    Outcome::Retry {
                        status_code,
                        error,
                        retry_at_ms: now + pause as i64,
                    }
                }
            }
        };
        let (success, counter, last) = match &outcome {
            Outcome::Delivered { .. } => (true, &self.counters.delivered, String::new()),
            Outcome::Retry { error, .. } => (false, &self.counters.retried, error.clone()),
            Outcome::Failed { error, .. } => (false, &self.counters.failed, error.clone()),
        };
        counter.fetch_add(1, Ordering::Relaxed);
        let limit = self.settings.disable_after_failures;
        let reason = format!("disabled after {limit} consecutive failed attempts; the last: {last}");
        // The log and the endpoint's failure streak change together.
        let txn = db::write::begin_outside_book(&self.db).await?;
        db::webhooks::record(&txn, claim.row_id, &outcome, now).await?;
        let disabled = db::webhooks::endpoint_result(&txn, &claim.endpoint_id, success, limit, &reason).await?;
        txn.commit().await?;
        if disabled {
            self.counters.endpoints_disabled.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(endpoint = %claim.endpoint_id, %reason, "webhook endpoint disabled");
        }
        Ok(())
    }

    /// One signed POST; the status code, or why there was none.
    async fn post(&self, url: &str, secret: &str, delivery_id: &str, event: &Event) -> Result<u16, String> {
        let body = serde_json::to_vec(&event.envelope()).map_err(|e| e.to_string())?;
        let timestamp = chrono::Utc::now().timestamp();
        let response = self
            .http
            .post(url)
            .header("content-type", "application/json")
            .header("x-expansion-event", event.event_type.as_str())
            .header("x-expansion-delivery", delivery_id)
            .header("x-expansion-timestamp", timestamp.to_string())
            .header("x-expansion-signature", sign(secret, timestamp, &body))
            .body(body)
            .send()
            .await
            .map_err(|e| describe(&e))?;
        Ok(response.status().as_u16())
    }

    /// Runs until aborted: at most `concurrency` deliveries in flight, each claimed when a slot is
    /// free. Between claims it looks (one cheap read, no lock) when the next pending delivery is
    /// due and sleeps until then, at most [`IDLE_LOOK`]; a book write committed in this process,
    /// new events seen by the feed, or a finished delivery wake it early. An idle server so runs
    /// about one statement a second for webhooks, and none while claiming would find nothing.
    pub fn spawn(self) -> JoinHandle<()> {
        tokio::spawn(async move {
            let poll = Duration::from_millis(self.settings.poll_interval_ms.max(10));
            let idle = IDLE_LOOK.max(poll);
            let slots = Arc::new(Semaphore::new(self.settings.concurrency.max(1)));
            let mut commits = db::write::book_commits(&self.db);
            loop {
                let free = slots.available_permits();
                if free == 0 {
                    // Wait for a delivery to finish.
                    drop(slots.acquire().await);
                    continue;
                }
                let now = chrono::Utc::now().timestamp_millis();
                let pause = match db::webhooks::next_due_ms(&self.db).await {
                    Ok(Some(due)) if due <= now => None,
                    Ok(Some(due)) => Some(Duration::from_millis((due - now) as u64).min(idle)),
                    Ok(None) => Some(idle),
                    Err(err) => {
                        tracing::error!(error = ?err, "looking for due webhook deliveries failed");
                        Some(idle)
                    }
                };
                if let Some(pause) = pause {
                    tokio::select! {
                        _ = tokio::time::sleep(pause) => {}
                        _ = self.wake.notified() => {}
                        _ = commits.changed() => {}
                    }
                    continue;
                }
                let jobs = self.claim(free).await.unwrap_or_else(|err| {
                    tracing::error!(error = ?err, "claiming webhook deliveries failed");
                    Vec::new()
                });
                let claimed = jobs.len();
                for job in jobs {
                    let Ok(slot) = slots.clone().acquire_owned().await else {
                        return;
                    };
                    let worker = self.clone();
                    tokio::spawn(async move {
                        let delivery = job.claim.delivery_id.clone();
                        if let Err(err) = worker.deliver(job).await {
                            tracing::error!(error = ?err, %delivery, "webhook delivery bookkeeping failed");
                        }
                        drop(slot);
                        // A retry may now be due sooner than the worker planned to look.
                        worker.wake.notify_one();
                    });
                }
                if claimed == free {
                    continue;
                }
                // Fewer than due were claimed (another replica holds the rest): not a busy loop.
                tokio::select! {
                    _ = tokio::time::sleep(poll) => {}
                    _ = self.wake.notified() => {}
                }
            }
        })
    }
}

/// A transport failure in a few words (the error chain, without the URL's query).
fn describe(err: &reqwest::Error) -> String {
    let kind = if err.is_timeout() {
        "timed out"
    } else if err.is_connect() {
        "could not connect"
    } else {
        "request failed"
    };
    let mut cause = String::new();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        cause = s.to_string();
        source = s.source();
    }
    if cause.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}: {cause}")
    }
}
