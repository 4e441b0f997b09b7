use crate::support::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table(id("contract"))
            .col(string_len(id("id"), 40).primary_key())
            .col(string_len(id("client_id"), 100))
            .col(string_len(id("contract_type"), 20))
            .col(date(id("start_date")))
            .col(date(id("end_date")))
            .col(date(id("renewal_date")))
            .col(boolean(id("auto_renew")))
            .col(integer(id("notice_period_days")))
            .col(string_len(id("payment_status"), 20))
            .col(integer(id("seats")))
            .col(double(id("discount")))
            .col(string_len(id("status"), 20))
            .col(timestamp_with_time_zone(id("created_at")))
            .col(timestamp_with_time_zone(id("updated_at")))
            .foreign_key(&mut fk("contract", "client_id", "client", "id"))
            .check(one_of(
                "contract_type",
                &["annual", "multi_year", "quarterly", "monthly"],
            ))
            .check(one_of(
                "payment_status",
                &["current", "overdue", "payment_plan", "at_risk"],
            ))
            .check(one_of("status", &["active", "renewed", "churned", "superseded"]))
            .check(check("end_date > start_date"))
            .check(check("discount >= 0 AND discount <= 1"))
            .check(check("seats >= 0"))
            .check(check("notice_period_days >= 0"))
            .to_owned();
        manager.create_table(table).await?;
        index(manager, "contract", &["client_id"], false).await?;
        index(manager, "contract", &["status"], false).await?;
        index(manager, "contract", &["renewal_date"], false).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "contract").await
    }
}
