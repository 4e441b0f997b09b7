use crate::support::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table(id("opportunity"))
            .col(string_len(id("id"), 40).primary_key())
            .col(string_len(id("client_id"), 100))
            .col(string_len(id("type"), 30))
            .col(string_len_null(id("product_id"), 100))
            .col(string(id("name")))
            .col(big_integer(id("value_cents")))
            .col(double(id("probability")))
            .col(string_len(id("stage"), 20))
            .col(string_len(id("source"), 20))
            .col(string_len_null(id("detection_key"), 200).unique_key())
            .col(json(id("reasons")))
            .col(date_null(id("expected_close_date")))
            .col(date_null(id("closed_on")))
            .col(string_null(id("owner")))
            .col(integer(id("version")))
            .col(timestamp_with_time_zone(id("created_at")))
            .col(timestamp_with_time_zone(id("updated_at")))
            .foreign_key(&mut fk("opportunity", "client_id", "client", "id"))
            .foreign_key(&mut fk("opportunity", "product_id", "product", "id"))
            .check(one_of(
                "type",
                &[
                    "upsell",
                    "cross_sell",
                    "user_expansion",
                    "usage_expansion",
                    "professional_services",
                    "training",
                ],
            ))
            .check(one_of("stage", &["identified", "qualified", "proposed", "won", "lost"]))
            .check(one_of("source", &["detected", "manual"]))
            .check(check("probability >= 0 AND probability <= 1"))
            .check(check("value_cents >= 0"))
            .check(check("version >= 1"))
            .to_owned();
        manager.create_table(table).await?;
        index(manager, "opportunity", &["client_id"], false).await?;
        index(manager, "opportunity", &["product_id"], false).await?;
        index(manager, "opportunity", &["stage"], false).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "opportunity").await
    }
}
