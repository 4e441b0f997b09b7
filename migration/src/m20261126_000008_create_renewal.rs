use crate::support::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table(id("renewal"))
            .col(string_len(id("id"), 40).primary_key())
            .col(string_len(id("contract_id"), 40))
            .col(string_len(id("client_id"), 100))
            .col(date(id("renewal_date")))
            .col(big_integer(id("target_arr_cents")))
            .col(string_len(id("status"), 20))
            .col(big_integer_null(id("outcome_arr_cents")))
            .col(timestamp_with_time_zone_null(id("closed_at")))
            .col(timestamp_with_time_zone(id("created_at")))
            .foreign_key(&mut fk("renewal", "contract_id", "contract", "id"))
            .foreign_key(&mut fk("renewal", "client_id", "client", "id"))
            .check(one_of("status", &["open", "renewed", "downgraded", "churned"]))
            .check(check("target_arr_cents >= 0"))
            .check(check("outcome_arr_cents IS NULL OR outcome_arr_cents >= 0"))
            .check(check("(status = 'open') = (closed_at IS NULL)"))
            .to_owned();
        manager.create_table(table).await?;
        index(manager, "renewal", &["client_id"], false).await?;
        index(manager, "renewal", &["contract_id"], false).await?;
        index(manager, "renewal", &["renewal_date"], false).await?;
        index(manager, "renewal", &["status"], false).await?;
        // One open renewal per contract: a partial unique index, which both SQLite and PostgreSQL have.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX idx_renewal_one_open_per_contract ON renewal (contract_id) WHERE status = 'open'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "renewal").await
    }
}
