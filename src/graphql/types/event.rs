//! `Event`: one row of the outbox, as listed, delivered to webhooks and streamed to subscribers.
use crate::events;
use crate::graphql::enums::EventType;
use async_graphql::{Json, Object, ID};
use chrono::{DateTime, Utc};

/// Something that happened in the book, written in the same transaction as its cause.
pub struct Event(pub events::Event);

/// Something that happened in the book, written in the same transaction as its cause.
#[Object]
impl Event {
    /// Stable event id (`evt_…`); a webhook receiver sees the same id in the body.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    /// Position in commit order: pass the last one seen as `afterSeq` to catch up.
    async fn seq(&self) -> i64 {
        self.0.seq
    }
    /// What happened.
    #[graphql(name = "type")]
    async fn event_type(&self) -> EventType {
        self.0.event_type.into()
    }
    /// The wire name of the type (`opportunity.won`).
    async fn type_name(&self) -> &'static str {
        self.0.event_type.as_str()
    }
    /// When its cause happened (the causing request's clock).
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
    /// The client it concerns.
    async fn client_id(&self) -> Option<ID> {
        self.0.client_id.clone().map(ID)
    }
    /// The renewal, opportunity, negotiation or reminder it is about.
    async fn subject_id(&self) -> Option<ID> {
        self.0.subject_id.clone().map(ID)
    }
    /// What happened, in words, naming the client.
    async fn reason(&self) -> Option<&str> {
        self.0.data["reason"].as_str()
    }
    /// The payload: client {id, name}, the ids involved, amounts as exact decimal strings and
    /// `reason` (the same `data` a webhook receives).
    async fn data(&self) -> Json<serde_json::Value> {
        Json(self.0.data.clone())
    }
}
