//! Forward-only schema migrations, one change per file, each with a `down()`.
pub use sea_orm_migration::prelude::*;

mod m20261126_000001_create_client;
mod m20261126_000002_create_contact;
mod m20261126_000003_create_product;
mod m20261126_000004_create_contract;
mod m20261126_000005_create_contract_item;
mod m20261126_000006_create_usage_snapshot;
mod m20261126_000007_create_health_snapshot;
mod m20261126_000008_create_renewal;
mod m20261126_000009_create_renewal_reminder;
mod m20261126_000010_create_opportunity;
mod m20261126_000011_create_negotiation;
mod m20261126_000012_create_negotiation_offer;
mod m20261126_000013_create_revenue_event;
mod m20261126_000014_create_api_token;
mod m20261126_000015_create_audit_log;
mod m20261126_000016_create_id_sequence;
mod m20261201_000017_create_book_version;
mod m20261202_000018_add_expires_at_to_api_token;
mod m20261202_000019_add_actor_token_id_to_audit_log;
mod m20261202_000025_alter_negotiation;
mod m20261202_000031_create_event_outbox;
mod m20261202_000032_create_webhook_endpoint;
mod m20261202_000033_create_webhook_delivery;
mod m20261202_000034_create_renewal_risk_watch;
mod m20261204_000035_create_snapshot_latest;
mod m20261204_000036_create_snapshot_at_renewal;

pub use m20261204_000036_create_snapshot_at_renewal::SNAPSHOT_AT_RENEWAL_LEAD_DAYS;
mod support;

/// Every migration, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261126_000001_create_client::Migration),
            Box::new(m20261126_000002_create_contact::Migration),
            Box::new(m20261126_000003_create_product::Migration),
            Box::new(m20261126_000004_create_contract::Migration),
            Box::new(m20261126_000005_create_contract_item::Migration),
            Box::new(m20261126_000006_create_usage_snapshot::Migration),
            Box::new(m20261126_000007_create_health_snapshot::Migration),
            Box::new(m20261126_000008_create_renewal::Migration),
            Box::new(m20261126_000009_create_renewal_reminder::Migration),
            Box::new(m20261126_000010_create_opportunity::Migration),
            Box::new(m20261126_000011_create_negotiation::Migration),
            Box::new(m20261126_000012_create_negotiation_offer::Migration),
            Box::new(m20261126_000013_create_revenue_event::Migration),
            Box::new(m20261126_000014_create_api_token::Migration),
            Box::new(m20261126_000015_create_audit_log::Migration),
            Box::new(m20261126_000016_create_id_sequence::Migration),
            Box::new(m20261201_000017_create_book_version::Migration),
            Box::new(m20261202_000018_add_expires_at_to_api_token::Migration),
            Box::new(m20261202_000019_add_actor_token_id_to_audit_log::Migration),
            Box::new(m20261202_000025_alter_negotiation::Migration),
            Box::new(m20261202_000031_create_event_outbox::Migration),
            Box::new(m20261202_000032_create_webhook_endpoint::Migration),
            Box::new(m20261202_000033_create_webhook_delivery::Migration),
            Box::new(m20261202_000034_create_renewal_risk_watch::Migration),
            Box::new(m20261204_000035_create_snapshot_latest::Migration),
            Box::new(m20261204_000036_create_snapshot_at_renewal::Migration),
        ]
    }
}
