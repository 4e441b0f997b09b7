//! The webhook delivery worker: claims due deliveries (see `db::webhooks::claim`), POSTs each
//! event signed with its endpoint's secret, and records the outcome — delivered on 2xx, otherwise
//! retried with exponential backoff and jitter until `max_attempts`, then failed; an endpoint
//! failing `disable_after_failures` times in a row is disabled with the reason. Every replica may
//! run one: claims never overlap, and a worker killed mid-delivery leaves its claims to be taken
//! again when their lease ends (at-least-once; receivers dedupe on `X-Expansion-Delivery`).
use crate::config::WebhookSettings;
use crate::db::webhooks::{Claimed, Outcome};
use crate::db::{self, Db};
use crate::error::{Error, Result};
use crate::events::address::{refused_host, refused_ip};
use crate::events::signature::sign;
use crate::events::webhook::backoff_ms;
use crate::events::Event;
use futures_util::stream::{self, StreamExt};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use sea_orm::TransactionTrait;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// Deliveries claimed per round.
const BATCH: u64 = 64;

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

    /// Claims and sends one batch; returns how many deliveries it attempted.
    pub async fn run_once(&self) -> Result<usize> {
        let now = chrono::Utc::now().timestamp_millis();
        // The lease outlasts the longest attempt, so only a dead worker's claims expire.
        let lease = now + (self.settings.timeout_secs as i64 + 5) * 1000;
        let claimed = db::webhooks::claim(&self.db, now, lease, BATCH).await?;
        if claimed.is_empty() {
            return Ok(0);
        }
        let mut endpoint_ids: Vec<String> = claimed.iter().map(|c| c.endpoint_id.clone()).collect();
        endpoint_ids.sort();
        endpoint_ids.dedup();
        let targets: HashMap<String, (String, String)> = db::webhooks::targets(&self.db, &endpoint_ids)
            .await?
            .into_iter()
            .map(|(id, url, secret)| (id, (url, secret)))
            .collect();
        let targets = Arc::new(targets);
        let attempted = claimed.len();
        stream::iter(claimed)
            .map(|claim| {
                let targets = targets.clone();
                async move {
                    if let Err(err) = self.attempt(&claim, &targets).await {
                        tracing::error!(error = ?err, delivery = %claim.delivery_id, "webhook delivery bookkeeping failed");
                    }
                }
            })
            .buffer_unordered(self.settings.concurrency.max(1))
            .collect::<Vec<()>>()
            .await;
        Ok(attempted)
    }

    async fn attempt(&self, claim: &Claimed, targets: &HashMap<String, (String, String)>) -> Result<()> {
        // Deleted meanwhile: its deliveries went with it.
        let Some((url, secret)) = targets.get(&claim.endpoint_id) else {
            return Ok(());
        };
        let event = db::outbox::by_seq(&self.db, claim.event_seq)
            .await?
            .ok_or_else(|| Error::internal(anyhow::anyhow!("event {} missing", claim.event_seq)))?;
        let sent = self.post(url, secret, &claim.delivery_id, &event).await;
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
        // The log and the endpoint's failure streak change together. Only delivery and endpoint
        // rows are written, never the book, so the book's write lock is not needed.
        let txn = self.db.begin().await?;
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

    /// Runs until aborted: a batch whenever one is due, polling every `poll_interval_ms` and
    /// woken early when the feed sees new events.
    pub fn spawn(self) -> JoinHandle<()> {
        tokio::spawn(async move {
            let poll = Duration::from_millis(self.settings.poll_interval_ms.max(10));
            loop {
                let attempted = match self.run_once().await {
                    Ok(n) => n,
                    Err(err) => {
                        tracing::error!(error = ?err, "webhook delivery round failed");
                        0
                    }
                };
                if attempted as u64 == BATCH {
                    continue;
                }
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
