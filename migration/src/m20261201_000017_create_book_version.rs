use sea_orm_migration::{prelude::*, schema::*};

use crate::support::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One row, `version`, bumped inside every write transaction. Readers compare it to key cached
/// answers (an unchanged version means an unchanged book), and on SQLite the bump is the
/// statement that takes the write lock at the start of a transaction.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table(id("book_version"))
            .col(integer(id("id")).primary_key())
            .col(big_integer(id("version")))
            .check(check("id = 1"))
            .to_owned();
        manager.create_table(table).await?;
        let insert = Query::insert()
            .into_table(id("book_version"))
            .columns([id("id"), id("version")])
            .values_panic([1.into(), 1.into()])
            .to_owned();
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop(manager, "book_version").await
    }
}
