use crate::support::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table(id("revenue_event"))
            .col(big_pk_auto(id("id")))
            .col(string_len(id("client_id"), 100))
            .col(date(id("occurred_on")))
            .col(string_len(id("kind"), 20))
            .col(string_len(id("category"), 30))
            .col(big_integer(id("arr_delta_cents")))
            .col(string_len_null(id("contract_id"), 40))
            .col(string_len_null(id("opportunity_id"), 40))
            .col(string_len_null(id("renewal_id"), 40))
            .col(timestamp_with_time_zone(id("created_at")))
            .foreign_key(&mut fk("revenue_event", "client_id", "client", "id"))
            .foreign_key(&mut fk("revenue_event", "contract_id", "contract", "id"))
            .foreign_key(&mut fk("revenue_event", "opportunity_id", "opportunity", "id"))
            .foreign_key(&mut fk("revenue_event", "renewal_id", "renewal", "id"))
            .check(one_of("kind", &["new", "expansion", "contraction", "churn", "reactivation"]))
            .check(one_of(
                "category",
                &[
                    "upsell", "cross_sell", "user_expansion", "usage_expansion", "professional_services",
                    "training", "price_increase", "renewal", "other",
                ],
            ))
            // The sign follows the kind: growth is positive, loss negative.
            .check(check(
                "(kind IN ('new','expansion','reactivation') AND arr_delta_cents > 0) OR (kind IN ('contraction','churn') AND arr_delta_cents < 0)",
            ))
            .to_owned();
        manager.create_table(table).await?;
        // (client_id, occurred_on) serves both the per-client ledger and ARR-on-date sums.
        index(manager, "revenue_event", &["client_id", "occurred_on"], false).await?;
        index(manager, "revenue_event", &["occurred_on"], false).await?;
        index(manager, "revenue_event", &["contract_id"], false).await?;
        index(manager, "revenue_event", &["opportunity_id"], false).await?;
        index(manager, "revenue_event", &["renewal_id"], false).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "revenue_event").await
    }
}
