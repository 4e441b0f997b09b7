//! Use cases: validate, load through `db`, decide, write in one transaction with its audit row.
pub mod cache;
pub mod catalog;
pub mod clients;
pub mod closing;
pub mod contracts;
pub mod events;
pub mod expansion;
pub mod forecast;
pub mod import;
pub mod negotiations;
pub mod queries;
pub mod records;
pub mod reminders;
pub mod renewals;
pub mod retry;
pub mod revenue;
pub mod token_cache;
pub mod tokens;
pub mod webhooks;

use chrono::{DateTime, NaiveDate, Utc};

/// Who asks, and when: read once per request so a response is consistent and tests can pin it.
#[derive(Clone, Debug)]
pub struct RequestContext {
    /// The request's clock.
    pub now: DateTime<Utc>,
    /// Correlates log lines and audit rows.
    pub request_id: String,
    /// The caller: its token (id, name, role), or the anonymous developer of an open server.
    pub actor: crate::domain::access::Actor,
    /// Where the request came from (the rate-limit key of anonymous callers), e.g. `127.0.0.1`.
    pub client: String,
}

impl RequestContext {
    /// The default `asOf`: today, UTC.
    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }
}
