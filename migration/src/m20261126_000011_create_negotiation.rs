use crate::support::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table(id("negotiation"))
            .col(string_len(id("id"), 40).primary_key())
            .col(string_len(id("client_id"), 100))
            .col(string_len(id("renewal_id"), 40))
            .col(string_len(id("strategy"), 30))
            .col(json(id("package")))
            .col(json(id("guardrails")))
            .col(string_len(id("status"), 20))
            .col(timestamp_with_time_zone(id("created_at")))
            .col(timestamp_with_time_zone_null(id("closed_at")))
            .foreign_key(&mut fk("negotiation", "client_id", "client", "id"))
            .foreign_key(&mut fk("negotiation", "renewal_id", "renewal", "id"))
            .check(one_of(
                "strategy",
                &["value_reinforcement", "competitive_defense", "expansion_bundle"],
            ))
            .check(one_of("status", &["open", "closed"]))
            .to_owned();
        manager.create_table(table).await?;
        index(manager, "negotiation", &["client_id"], false).await?;
        index(manager, "negotiation", &["renewal_id"], false).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "negotiation").await
    }
}
