//! Stored negotiations (tables `negotiation`, `negotiation_offer`). The package and guardrails are
//! JSON documents whose shape belongs to process 119; the services read them back into its types.
use super::enums::NegotiationStatus;
use super::money::Money;
use chrono::{DateTime, Utc};

/// A negotiation row as the database holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredNegotiation {
    pub id: String,
    pub client_id: String,
    pub renewal_id: String,
    /// The strategy's stored text (`value_reinforcement`, …).
    pub strategy: String,
    pub package: serde_json::Value,
    pub guardrails: serde_json::Value,
    pub status: NegotiationStatus,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// The negotiation that replaced this one (status superseded).
    pub superseded_by: Option<String>,
}

/// An offer made in a negotiation.
#[derive(Clone, Debug, PartialEq)]
pub struct NegotiationOffer {
    pub id: i64,
    pub negotiation_id: String,
    /// Offered annual ARR.
    pub arr: Money,
    pub term_months: i32,
    /// 1 − arr ÷ totalProposedArr, within 0–1 (an offer above the proposal is 0).
    pub discount: f64,
    pub approved_by: Option<String>,
    pub created_at: DateTime<Utc>,
}
