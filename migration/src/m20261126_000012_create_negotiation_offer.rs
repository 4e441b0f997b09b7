use crate::support::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table(id("negotiation_offer"))
            .col(big_pk_auto(id("id")))
            .col(string_len(id("negotiation_id"), 40))
            .col(big_integer(id("arr_cents")))
            .col(integer(id("term_months")))
            .col(double(id("discount")))
            .col(string_null(id("approved_by")))
            .col(timestamp_with_time_zone(id("created_at")))
            .foreign_key(&mut fk("negotiation_offer", "negotiation_id", "negotiation", "id"))
            .check(check("arr_cents >= 0"))
            .check(check("term_months > 0"))
            .check(check("discount >= 0 AND discount <= 1"))
            .to_owned();
        manager.create_table(table).await?;
        index(manager, "negotiation_offer", &["negotiation_id"], false).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "negotiation_offer").await
    }
}
