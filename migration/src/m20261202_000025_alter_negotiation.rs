use sea_orm_migration::{prelude::*, schema::*};

use crate::support::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `negotiation.superseded_by`: the negotiation that replaced this one (one open negotiation per
/// renewal). A superseded row keeps `status = 'closed'` in the table — SQLite cannot change the
/// status CHECK without rebuilding a table that `negotiation_offer` references — and reads back as
/// SUPERSEDED wherever this column is set.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let alter = Table::alter()
            .table(id("negotiation"))
            .add_column(string_len_null(id("superseded_by"), 40))
            .to_owned();
        manager.alter_table(alter).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let alter = Table::alter()
            .table(id("negotiation"))
            .drop_column(id("superseded_by"))
            .to_owned();
        manager.alter_table(alter).await
    }
}
