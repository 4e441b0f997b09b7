use crate::support::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table(id("contract_item"))
            .col(big_pk_auto(id("id")))
            .col(string_len(id("contract_id"), 40))
            .col(string_len(id("product_id"), 100))
            .col(integer(id("quantity")))
            .col(big_integer(id("arr_cents")))
            .foreign_key(&mut fk("contract_item", "contract_id", "contract", "id"))
            .foreign_key(&mut fk("contract_item", "product_id", "product", "id"))
            .check(check("quantity >= 0"))
            .check(check("arr_cents >= 0"))
            .to_owned();
        manager.create_table(table).await?;
        index(manager, "contract_item", &["contract_id"], false).await?;
        index(manager, "contract_item", &["product_id"], false).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "contract_item").await
    }
}
