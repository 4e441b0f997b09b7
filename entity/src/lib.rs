//! sea-orm entities, one module per table. They never leave `src/db/` of the server crate:
//! the rest of the code sees plain domain types.
pub mod api_token;
pub mod audit_log;
pub mod client;
pub mod contact;
pub mod contract;
pub mod contract_item;
pub mod event_outbox;
pub mod health_snapshot;
pub mod id_sequence;
pub mod negotiation;
pub mod negotiation_offer;
pub mod opportunity;
pub mod product;
pub mod renewal;
pub mod renewal_reminder;
pub mod renewal_risk_watch;
pub mod revenue_event;
pub mod usage_snapshot;
pub mod webhook_delivery;
pub mod webhook_endpoint;
