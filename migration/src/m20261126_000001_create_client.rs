use crate::support::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table(id("client"))
            .col(string_len(id("id"), 100).primary_key())
            .col(string(id("name")))
            .col(string(id("company_name")))
            .col(string(id("industry")))
            .col(string_len(id("tier"), 20))
            .col(string_len(id("lifecycle_stage"), 20))
            .col(string_len(id("status"), 20))
            .col(string_null(id("csm_owner")))
            .col(date(id("customer_since")))
            .col(big_integer_null(id("acquisition_cost_cents")))
            .col(timestamp_with_time_zone(id("created_at")))
            .col(timestamp_with_time_zone(id("updated_at")))
            .col(integer(id("version")))
            .check(one_of("tier", &["starter", "standard", "professional", "enterprise"]))
            .check(one_of(
                "lifecycle_stage",
                &["onboarding", "active", "at_risk", "churned", "expansion", "renewal"],
            ))
            .check(one_of("status", &["active", "paused", "churned", "pending"]))
            .check(check("acquisition_cost_cents IS NULL OR acquisition_cost_cents >= 0"))
            .check(check("version >= 1"))
            .to_owned();
        manager.create_table(table).await?;
        index(manager, "client", &["status"], false).await?;
        index(manager, "client", &["csm_owner"], false).await?;
        index(manager, "client", &["name"], false).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "client").await
    }
}
