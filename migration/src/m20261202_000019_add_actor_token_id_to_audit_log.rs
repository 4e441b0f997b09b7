use crate::support::*;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `audit_log.actor_token_id`: the id of the token that made the change (`actor` holds its name;
/// NULL for the anonymous caller of an open development server). Not a foreign key: tokens are
/// revoked, never deleted, and the audit trail must not depend on them.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let alter = Table::alter()
            .table(id("audit_log"))
            .add_column(big_integer_null(id("actor_token_id")))
            .to_owned();
        manager.alter_table(alter).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let alter = Table::alter()
            .table(id("audit_log"))
            .drop_column(id("actor_token_id"))
            .to_owned();
        manager.alter_table(alter).await
    }
}
