use crate::support::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Where each watched renewal stands against the 0.60 probability line, so that `renewal.at_risk`
/// fires when a renewal *crosses* below it — again after it had recovered — and not on every
/// scheduler run. `crossings` numbers the alerts (each one's dedupe key carries it). Renewals
/// already announced by an earlier version start below the line with one crossing. No foreign
/// key: a watch row outlives nothing it could block.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table(id("renewal_risk_watch"))
            .col(string_len(id("renewal_id"), 100).primary_key())
            .col(boolean(id("below")))
            .col(integer(id("crossings")))
            .col(big_integer(id("changed_at_ms")))
            .to_owned();
        manager.create_table(table).await?;
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO renewal_risk_watch (renewal_id, below, crossings, changed_at_ms) \
                 SELECT subject_id, TRUE, 1, MAX(occurred_at_ms) FROM event_outbox \
                 WHERE dedupe_key LIKE 'renewal.at_risk:probability:%' AND subject_id IS NOT NULL \
                 GROUP BY subject_id",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "renewal_risk_watch").await
    }
}
