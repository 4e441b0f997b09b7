use crate::support::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One delivery of one event to one endpoint, created with the event. A worker claims a pending
/// row by moving `next_attempt_at_ms` past its lease: a worker that dies mid-delivery leaves the row
/// to be claimed again when the lease ends (at-least-once; `delivery_id` is the receiver's
/// idempotency key). Times are Unix milliseconds so both backends compare them as integers.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table(id("webhook_delivery"))
            .col(big_pk_auto(id("id")))
            .col(string_uniq(id("delivery_id")))
            .col(string(id("endpoint_id")))
            .col(big_integer(id("event_seq")))
            .col(string(id("event_type")))
            .col(string(id("status")))
            .col(integer(id("attempts")))
            .col(big_integer(id("next_attempt_at_ms")))
            .col(integer_null(id("last_status_code")))
            .col(string_null(id("last_error")))
            .col(big_integer(id("created_at_ms")))
            .col(big_integer_null(id("last_attempt_at_ms")))
            .col(big_integer_null(id("delivered_at_ms")))
            .check(one_of("status", &["pending", "delivered", "failed"]))
            .foreign_key(&mut fk("webhook_delivery", "endpoint_id", "webhook_endpoint", "id"))
            .foreign_key(&mut fk("webhook_delivery", "event_seq", "event_outbox", "seq"))
            .to_owned();
        manager.create_table(table).await?;
        index(manager, "webhook_delivery", &["status", "next_attempt_at_ms"], false).await?;
        index(manager, "webhook_delivery", &["endpoint_id", "id"], false).await?;
        index(manager, "webhook_delivery", &["endpoint_id", "event_seq"], true).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "webhook_delivery").await
    }
}
