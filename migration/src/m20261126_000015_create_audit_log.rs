use crate::support::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table(id("audit_log"))
            .col(big_pk_auto(id("id")))
            .col(string(id("actor")))
            .col(string(id("operation")))
            .col(json(id("target_ids")))
            .col(string_null(id("request_id")))
            .col(timestamp_with_time_zone(id("created_at")))
            .to_owned();
        manager.create_table(table).await?;
        index(manager, "audit_log", &["created_at"], false).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "audit_log").await
    }
}
