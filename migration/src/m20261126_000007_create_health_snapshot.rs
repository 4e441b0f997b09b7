use crate::support::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table(id("health_snapshot"))
            .col(big_pk_auto(id("id")))
            .col(string_len(id("client_id"), 100))
            .col(date(id("as_of")))
            .col(integer(id("usage_score")))
            .col(integer(id("engagement_score")))
            .col(integer(id("support_score")))
            .col(integer(id("satisfaction_score")))
            .col(integer(id("payment_score")))
            .col(double(id("overall_score")))
            .col(string_len(id("trend"), 20))
            .foreign_key(&mut fk("health_snapshot", "client_id", "client", "id"))
            .check(check("usage_score BETWEEN 0 AND 100"))
            .check(check("engagement_score BETWEEN 0 AND 100"))
            .check(check("support_score BETWEEN 0 AND 100"))
            .check(check("satisfaction_score BETWEEN 0 AND 100"))
            .check(check("payment_score BETWEEN 0 AND 100"))
            .check(check("overall_score >= 0 AND overall_score <= 100"))
            .check(one_of("trend", &["improving", "stable", "declining"]))
            .to_owned();
        manager.create_table(table).await?;
        index(manager, "health_snapshot", &["client_id", "as_of"], true).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "health_snapshot").await
    }
}
