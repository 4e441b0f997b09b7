use crate::support::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Registered webhook receivers. `event_types` is `,a,b,` so one `LIKE '%,type,%'` matches it on
/// both backends; `secret` signs the deliveries (HMAC needs the secret itself, not a hash).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table(id("webhook_endpoint"))
            .col(string(id("id")).primary_key())
            .col(string(id("url")))
            .col(string(id("event_types")))
            .col(string_null(id("description")))
            .col(string(id("secret")))
            .col(boolean(id("enabled")))
            .col(string_null(id("disabled_reason")))
            .col(integer(id("consecutive_failures")))
            .col(timestamp_with_time_zone(id("created_at")))
            .col(timestamp_with_time_zone(id("updated_at")))
            .to_owned();
        manager.create_table(table).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "webhook_endpoint").await
    }
}
