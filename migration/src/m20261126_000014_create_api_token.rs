use crate::support::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table(id("api_token"))
            .col(big_pk_auto(id("id")))
            .col(string(id("name")))
            .col(string_len(id("token_hash"), 64).unique_key())
            .col(string_len(id("role"), 20))
            .col(timestamp_with_time_zone(id("created_at")))
            .col(timestamp_with_time_zone_null(id("revoked_at")))
            .col(timestamp_with_time_zone_null(id("last_used_at")))
            .check(one_of("role", &["viewer", "csm", "admin"]))
            .to_owned();
        manager.create_table(table).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "api_token").await
    }
}
