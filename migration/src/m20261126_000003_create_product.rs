use crate::support::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table(id("product"))
            .col(string_len(id("id"), 100).primary_key())
            .col(string(id("name")))
            .col(string_len(id("family"), 50))
            .col(string_len(id("kind"), 20))
            .col(integer_null(id("tier_rank")))
            .col(string_len(id("pricing"), 20))
            .col(big_integer(id("annual_price_cents")))
            .col(timestamp_with_time_zone(id("created_at")))
            .check(one_of("kind", &["tier", "addon", "service"]))
            .check(one_of("pricing", &["per_seat", "flat"]))
            .check(check("annual_price_cents >= 0"))
            .check(check("(kind = 'tier') = (tier_rank IS NOT NULL)"))
            .to_owned();
        manager.create_table(table).await?;
        index(manager, "product", &["family"], false).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "product").await
    }
}
