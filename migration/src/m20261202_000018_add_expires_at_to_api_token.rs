use crate::support::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `api_token.expires_at`: a token created with `--expires DAYS` stops working then (NULL: never).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let alter = Table::alter()
            .table(id("api_token"))
            .add_column(timestamp_with_time_zone_null(id("expires_at")))
            .to_owned();
        manager.alter_table(alter).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let alter = Table::alter()
            .table(id("api_token"))
            .drop_column(id("expires_at"))
            .to_owned();
        manager.alter_table(alter).await
    }
}
