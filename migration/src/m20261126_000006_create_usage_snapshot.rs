use crate::support::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table(id("usage_snapshot"))
            .col(big_pk_auto(id("id")))
            .col(string_len(id("client_id"), 100))
            .col(date(id("period_start")))
            .col(integer(id("seats_licensed")))
            .col(integer(id("active_users")))
            .col(double(id("usage_rate")))
            .col(double(id("feature_adoption")))
            .col(big_integer(id("api_calls")))
            .col(big_integer(id("logins")))
            .col(big_integer(id("reports_exported")))
            .foreign_key(&mut fk("usage_snapshot", "client_id", "client", "id"))
            .check(check("seats_licensed >= 0 AND active_users >= 0"))
            .check(check("usage_rate >= 0"))
            .check(check("feature_adoption >= 0 AND feature_adoption <= 1"))
            .check(check("api_calls >= 0 AND logins >= 0 AND reports_exported >= 0"))
            .to_owned();
        manager.create_table(table).await?;
        index(manager, "usage_snapshot", &["client_id", "period_start"], true).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "usage_snapshot").await
    }
}
