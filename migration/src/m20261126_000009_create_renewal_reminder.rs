use crate::support::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table(id("renewal_reminder"))
            .col(big_pk_auto(id("id")))
            .col(string_len(id("renewal_id"), 40))
            .col(integer(id("offset_days")))
            .col(date(id("due_date")))
            .col(string_len(id("status"), 20))
            .col(timestamp_with_time_zone_null(id("completed_at")))
            .col(text_null(id("note")))
            .col(timestamp_with_time_zone(id("created_at")))
            .foreign_key(&mut fk("renewal_reminder", "renewal_id", "renewal", "id"))
            .check(one_of("status", &["scheduled", "due", "completed", "skipped"]))
            .check(check("offset_days > 0"))
            .to_owned();
        manager.create_table(table).await?;
        index(manager, "renewal_reminder", &["renewal_id", "offset_days"], true).await?;
        index(manager, "renewal_reminder", &["due_date"], false).await?;
        index(manager, "renewal_reminder", &["status"], false).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "renewal_reminder").await
    }
}
