//! Small builders shared by the migrations, so each migration reads as its table's definition.
use sea_orm_migration::prelude::*;

/// An identifier from a plain name: tables and columns are named in snake_case strings here, the
/// same names the entities use.
pub fn id(name: &str) -> Alias {
    Alias::new(name)
}

/// A foreign key `table.column → ref_table.ref_column`. Deleting a parent with children is refused
/// (RESTRICT): nothing that was accepted is ever lost by a cascade.
pub fn fk(table: &str, column: &str, ref_table: &str, ref_column: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(id(table), id(column))
        .to(id(ref_table), id(ref_column))
        .on_delete(ForeignKeyAction::Restrict)
        .on_update(ForeignKeyAction::Restrict)
        .to_owned()
}

/// A CHECK constraint written in the SQL both SQLite and PostgreSQL accept.
pub fn check(sql: &str) -> Expr {
    Expr::cust(sql.to_owned())
}

/// `column IN ('a','b',…)` for enum-like text columns.
pub fn one_of(column: &str, values: &[&str]) -> Expr {
    let list = values.iter().map(|v| format!("'{v}'")).collect::<Vec<_>>().join(",");
    check(&format!("{column} IN ({list})"))
}

/// Creates `idx_<table>_<cols>` (unique when asked).
pub async fn index(manager: &SchemaManager<'_>, table: &str, columns: &[&str], unique: bool) -> Result<(), DbErr> {
    let mut stmt = Index::create();
    stmt.name(format!("idx_{table}_{}", columns.join("_"))).table(id(table));
    for column in columns {
        stmt.col(id(column));
    }
    if unique {
        stmt.unique();
    }
    manager.create_index(stmt).await
}

/// Drops a table (the `down()` of every create migration).
pub async fn drop(manager: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    manager.drop_table(Table::drop().table(id(table)).to_owned()).await
}
