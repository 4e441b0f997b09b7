//! Webhook endpoints and deliveries as plain data, and the retry schedule.
use super::EventType;
use chrono::{DateTime, Utc};

/// A registered receiver.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    /// `whk_…`.
    pub id: String,
    pub url: String,
    /// The types it receives.
    pub event_types: Vec<EventType>,
    pub description: Option<String>,
    /// Off after too many consecutive failures (with `disabled_reason`), or by an admin.
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    /// Failed attempts since the last success.
    pub consecutive_failures: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Where a delivery stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryStatus {
    /// Waiting for its next attempt (or being attempted now).
    Pending,
    /// A 2xx answer was received.
    Delivered,
    /// Every attempt failed; `redeliverWebhook` sends it again.
    Failed,
}

impl DeliveryStatus {
    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
        }
    }

    /// The status of a stored text.
    pub fn parse(text: &str) -> Option<DeliveryStatus> {
        [
            DeliveryStatus::Pending,
            DeliveryStatus::Delivered,
            DeliveryStatus::Failed,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// One event sent (or to be sent) to one endpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct Delivery {
    /// `dlv_<event seq>_<endpoint id>`: the `X-Expansion-Delivery` idempotency key.
    pub id: String,
    pub endpoint_id: String,
    pub event_seq: i64,
    pub event_type: EventType,
    pub status: DeliveryStatus,
    /// Attempts made so far.
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// The pause before attempt `attempt + 1` after `attempt` failed ones: `base × 2^(attempt−1)`,
/// capped at `max`, then scaled by `0.5 + jitter / 2` (`jitter` in 0–1) so that retries of many
/// deliveries spread out instead of arriving together ("equal jitter").
pub fn backoff_ms(attempt: i32, base_ms: u64, max_ms: u64, jitter: f64) -> u64 {
    let exponent = attempt.saturating_sub(1).clamp(0, 30) as u32;
    let full = base_ms.saturating_mul(1u64 << exponent).min(max_ms);
    (full as f64 * (0.5 + jitter.clamp(0.0, 1.0) / 2.0)).round() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_and_jitter_keeps_it_within_half_to_full() {
        assert_eq!(backoff_ms(1, 1000, 60_000, 1.0), 1000);
        assert_eq!(backoff_ms(2, 1000, 60_000, 1.0), 2000);
        assert_eq!(backoff_ms(4, 1000, 60_000, 1.0), 8000);
        assert_eq!(backoff_ms(20, 1000, 60_000, 1.0), 60_000);
        assert_eq!(backoff_ms(4, 1000, 60_000, 0.0), 4000);
        let mid = backoff_ms(3, 1000, 60_000, 0.5);
        assert!((2000..=4000).contains(&mid));
    }

    #[test]
    fn delivery_statuses_round_trip() {
        for s in [
            DeliveryStatus::Pending,
            DeliveryStatus::Delivered,
            DeliveryStatus::Failed,
        ] {
            assert_eq!(DeliveryStatus::parse(s.as_str()), Some(s));
        }
    }
}
