//! Events: the moments a customer-success team acts on, as plain data. Pure — no database, no
//! clock: services build them from the records they just wrote and `db::outbox` stores them in
//! the same transaction; the delivery worker and the subscription feed read them back.
pub mod address;
pub mod payloads;
pub mod risk;
pub mod signature;
pub mod webhook;

use chrono::{DateTime, Utc};
use serde_json::Value;

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventType {
    /// A renewal reminder's due date arrived (emitted once per reminder by the scheduler).
    ReminderDue,
    /// A renewal became overdue, or its probability fell below 0.60.
    RenewalAtRisk,
    /// A renewal was closed: renewed, downgraded or churned.
    RenewalClosed,
    /// An opportunity moved to won (its revenue booked).
    OpportunityWon,
    /// An opportunity moved from one stage to another.
    OpportunityStageChanged,
    /// An offer was recorded on a negotiation.
    NegotiationOfferRecorded,
}

impl EventType {
    /// Every type, in documentation order.
    pub const ALL: [EventType; 6] = [
        EventType::ReminderDue,
        EventType::RenewalAtRisk,
        EventType::RenewalClosed,
        EventType::OpportunityWon,
        EventType::OpportunityStageChanged,
        EventType::NegotiationOfferRecorded,
    ];

    /// The wire name (`reminder.due`), as in the `X-Expansion-Event` header and the payload.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::ReminderDue => "reminder.due",
            EventType::RenewalAtRisk => "renewal.at_risk",
            EventType::RenewalClosed => "renewal.closed",
            EventType::OpportunityWon => "opportunity.won",
            EventType::OpportunityStageChanged => "opportunity.stage_changed",
            EventType::NegotiationOfferRecorded => "negotiation.offer_recorded",
        }
    }

    /// The type of a wire name.
    pub fn parse(name: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

/// An event about to be written: the service fills it, `db::outbox::append` gives it its id,
/// sequence number and deliveries.
#[derive(Clone, Debug, PartialEq)]
pub struct NewEvent {
    pub event_type: EventType,
    pub occurred_at: DateTime<Utc>,
    /// The client it concerns.
    pub client_id: Option<String>,
    /// The renewal, opportunity, negotiation or reminder it is about.
    pub subject_id: Option<String>,
    /// Set for events that must exist once per cause (the outbox keeps it unique).
    pub dedupe_key: Option<String>,
    /// What a receiver needs: names, amounts and the reason in words.
    pub data: Value,
}

/// A stored event.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Position in commit order (the cursor of `events` and of the subscription feed).
    pub seq: i64,
    /// Stable public id (`evt_…`).
    pub id: String,
    pub event_type: EventType,
    pub occurred_at: DateTime<Utc>,
    pub client_id: Option<String>,
    pub subject_id: Option<String>,
    pub data: Value,
}

impl Event {
    /// The JSON a webhook receives (and `list_events` returns): id, type, time and data.
    pub fn envelope(&self) -> Value {
        serde_json::json!({
            "id": self.id,
            "type": self.event_type.as_str(),
            "occurredAt": self.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "clientId": self.client_id,
            "subjectId": self.subject_id,
            "data": self.data,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_round_trips_through_its_wire_name() {
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.as_str()), Some(t));
        }
        assert_eq!(EventType::parse("renewal.exploded"), None);
    }
}
