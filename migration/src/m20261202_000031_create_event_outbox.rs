use crate::support::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The event outbox: one row per event, written in the transaction of its cause. `seq` orders
/// events in commit order (every writer holds the book's write lock while it inserts), so readers
/// page by it; `dedupe_key` makes events that must happen once (a reminder coming due) single
/// even when several replicas look for them at the same time.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table(id("event_outbox"))
            .col(big_pk_auto(id("seq")))
            .col(string_uniq(id("event_id")))
            .col(string(id("event_type")))
            .col(big_integer(id("occurred_at_ms")))
            .col(string_null(id("client_id")))
            .col(string_null(id("subject_id")))
            .col(string_null(id("dedupe_key")))
            .col(text(id("payload")))
            .to_owned();
        manager.create_table(table).await?;
        index(manager, "event_outbox", &["dedupe_key"], true).await?;
        index(manager, "event_outbox", &["occurred_at_ms"], false).await?;
        index(manager, "event_outbox", &["client_id", "seq"], false).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "event_outbox").await
    }
}
