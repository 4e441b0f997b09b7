//! Webhook endpoints and the delivery log.
use crate::events::webhook;
use crate::graphql::enums::{DeliveryStatus, EventType};
use async_graphql::{Object, SimpleObject, ID};
use chrono::{DateTime, Utc};

/// A registered receiver of events.
pub struct WebhookEndpoint(pub webhook::Endpoint);

/// A registered receiver of events: signed POSTs of the event types it takes.
#[Object]
impl WebhookEndpoint {
    /// Endpoint id (`whk_…`).
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    /// Where events are POSTed.
    async fn url(&self) -> &str {
        &self.0.url
    }
    /// The event types it receives.
    async fn events(&self) -> Vec<EventType> {
        self.0.event_types.iter().map(|&t| t.into()).collect()
    }
    /// What it is for.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// False once disabled (see `disabledReason`); `updateWebhookEndpoint(enabled: true)` resumes
    /// its pending deliveries.
    async fn enabled(&self) -> bool {
        self.0.enabled
    }
    /// Why it was disabled.
    async fn disabled_reason(&self) -> Option<&str> {
        self.0.disabled_reason.as_deref()
    }
    /// Failed attempts since its last success.
    async fn consecutive_failures(&self) -> i32 {
        self.0.consecutive_failures
    }
    /// When it was registered.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A new endpoint and its signing secret.
#[derive(SimpleObject)]
pub struct CreatedWebhookEndpoint {
    /// The endpoint.
    pub endpoint: WebhookEndpoint,
    /// The HMAC-SHA256 key of `X-Expansion-Signature`. Shown only here, once: store it now.
    pub secret: String,
}

/// One event sent (or to be sent) to one endpoint.
pub struct WebhookDelivery(pub webhook::Delivery);

/// One event sent (or to be sent) to one endpoint, with its attempts.
#[Object]
impl WebhookDelivery {
    /// Delivery id, sent as `X-Expansion-Delivery`: the same on every retry and redelivery, so a
    /// receiver can drop duplicates.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    /// The endpoint.
    async fn endpoint_id(&self) -> ID {
        ID(self.0.endpoint_id.clone())
    }
    /// The event's position in commit order (`Event.seq`).
    async fn event_seq(&self) -> i64 {
        self.0.event_seq
    }
    /// The event's type.
    async fn event_type(&self) -> EventType {
        self.0.event_type.into()
    }
    /// Pending, delivered or failed.
    async fn status(&self) -> DeliveryStatus {
        self.0.status.into()
    }
    /// Attempts made.
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }
    /// When the next attempt is due (pending deliveries).
    async fn next_attempt_at(&self) -> DateTime<Utc> {
        self.0.next_attempt_at
    }
    /// HTTP status of the last answer.
    async fn last_status_code(&self) -> Option<i32> {
        self.0.last_status_code
    }
    /// Why the last attempt failed (`HTTP 500`, `timed out`, …).
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }
    /// When the event was queued for this endpoint.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When it was last attempted.
    async fn last_attempt_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_attempt_at
    }
    /// When the endpoint answered 2xx.
    async fn delivered_at(&self) -> Option<DateTime<Utc>> {
        self.0.delivered_at
    }
}
