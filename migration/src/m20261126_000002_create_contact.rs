use crate::support::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table(id("contact"))
            .col(big_pk_auto(id("id")))
            .col(string_len(id("client_id"), 100))
            .col(string(id("name")))
            .col(string(id("email")))
            .col(string_len(id("role"), 20))
            .col(boolean(id("is_primary")))
            .col(timestamp_with_time_zone(id("created_at")))
            .foreign_key(&mut fk("contact", "client_id", "client", "id"))
            .check(one_of(
                "role",
                &["champion", "decision_maker", "economic_buyer", "admin", "user"],
            ))
            .to_owned();
        manager.create_table(table).await?;
        index(manager, "contact", &["client_id"], false).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "contact").await
    }
}
