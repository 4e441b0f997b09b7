//! The bulk writer of seeding and import: a whole [`Book`] inserted parents before children with
//! many rows per statement, then the id sequences moved past the ids the book used.
//!
//! SQLite gets multi-row `INSERT … VALUES` chunked under its bind-parameter limit. PostgreSQL gets
//! one JSON parameter per chunk of thousands of rows, unpacked by the server into the table's own
//! row type (`json_populate_recordset(NULL::table, $1)`): one small statement to parse and plan
//! instead of tens of thousands of bind parameters, and no column types to keep in step by hand.
use crate::domain::Book;
use chrono::{DateTime, NaiveDate, Utc};
use entity::id_sequence;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, Iterable,
};
use std::collections::HashMap;

mod json_rows;
pub(crate) mod rows;
#[cfg(test)]
mod tests;

/// Rows per PostgreSQL statement (one JSON parameter of a few MB).
const POSTGRES_ROWS_PER_STATEMENT: usize = 5_000;
/// Rows per `INSERT` statement at most.
const MAX_ROWS_PER_STATEMENT: usize = 500;
/// Bind parameters per statement at most: below SQLite's limit (32,766 since 3.32) and
/// PostgreSQL's (65,535).
const MAX_BIND_PARAMETERS: usize = 30_000;

/// The sequences behind public ids, with the prefix of the ids each one numbers.
const SEQUENCES: [(&str, &str); 4] = [
    ("contract", "CNT-"),
    ("renewal", "RNW-"),
    ("opportunity", "EXP-"),
    ("negotiation", "NEG-"),
];

/// Inserts `book` into an empty schema in one transaction: either all of it or nothing.
/// `progress(done_rows, total_rows)` is called after each statement.
pub async fn insert_book(
    db: &DatabaseConnection,
    book: &Book,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<(), DbErr> {
    let txn = super::write::begin(db).await?;
    let foreign_keys = suspend_foreign_keys(&txn).await?;
    insert_book_in(&txn, book, progress).await?;
    restore_foreign_keys(&txn, &foreign_keys).await?;
    txn.commit().await?;
    refresh_planner_statistics(db).await
}

/// A foreign key taken off a table for the length of a bulk insert.
struct SuspendedForeignKey {
    table: String,
    name: String,
    definition: String,
}

/// On PostgreSQL, drops the schema's foreign keys inside the insert's transaction. Checked row by
/// row they were ~70 % of the insert time (205k usage rows: 2.2 s with the key, 0.6 s without, and
/// 0.06 s to add it back, which checks every row in one join). SQLite checks its keys cheaply.
async fn suspend_foreign_keys<C: ConnectionTrait>(txn: &C) -> Result<Vec<SuspendedForeignKey>, DbErr> {
    if txn.get_database_backend() != DbBackend::Postgres {
        return Ok(Vec::new());
    }
    let sql = "SELECT conrelid::regclass::text AS table_name, conname::text AS name, \
               pg_get_constraintdef(oid) AS definition FROM pg_constraint \
               WHERE contype = 'f' AND connamespace = current_schema()::regnamespace ORDER BY 1, 2";
    let rows = txn
        .query_all_raw(sea_orm::Statement::from_string(DbBackend::Postgres, sql))
        .await?;
    let mut keys = Vec::with_capacity(rows.len());
    for row in rows {
        let key = SuspendedForeignKey {
            table: row.try_get("", "table_name")?,
            name: row.try_get("", "name")?,
            definition: row.try_get("", "definition")?,
        };
        txn.execute_unprepared(&format!("ALTER TABLE {} DROP CONSTRAINT \"{}\"", key.table, key.name))
            .await?;
        keys.push(key);
    }
    Ok(keys)
}

/// Adds the suspended keys back; a row that breaks one fails the statement and so the whole insert.
async fn restore_foreign_keys<C: ConnectionTrait>(txn: &C, keys: &[SuspendedForeignKey]) -> Result<(), DbErr> {
    for key in keys {
        let sql = format!(
            "ALTER TABLE {} ADD CONSTRAINT \"{}\" {}",
            key.table, key.name, key.definition
        );
        txn.execute_unprepared(&sql).await?;
    }
    Ok(())
}

/// After a bulk write, PostgreSQL's planner statistics are refreshed at once instead of whenever
/// autovacuum gets to it: on a freshly seeded book its estimates were 3× low (3,444 clients for
/// 10,000) until then. SQLite has no statistics unless `ANALYZE` is run, and its plans do not need them.
pub async fn refresh_planner_statistics<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared("ANALYZE").await?;
    }
    Ok(())
}

/// Inserts `book` within the caller's transaction (its rows must not exist yet).
pub async fn insert_book_in<C: ConnectionTrait>(
    txn: &C,
    book: &Book,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<(), DbErr> {
    let mut sink = Progress {
        done: 0,
        total: book.total_rows() as u64 + SEQUENCES.len() as u64,
        report: progress,
    };

    // The catalog existed before the first client signed.
    let catalog_since = book
        .clients
        .iter()
        .map(|c| c.created_at)
        .min()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    insert_chunked(txn, &book.products, |p| rows::product(p, catalog_since), &mut sink).await?;
    insert_chunked(txn, &book.clients, rows::client, &mut sink).await?;
    let client_created: HashMap<&str, DateTime<Utc>> =
        book.clients.iter().map(|c| (c.id.as_str(), c.created_at)).collect();
    let contact_row = |c: &_| {
        rows::contact(
            c,
            client_created
                .get(c.client_id.as_str())
                .copied()
                .unwrap_or(catalog_since),
        )
    };
    insert_chunked(txn, &book.contacts, contact_row, &mut sink).await?;
    insert_chunked(txn, &book.contracts, rows::contract, &mut sink).await?;
    insert_chunked(txn, &book.contract_items, rows::contract_item, &mut sink).await?;
    insert_chunked(txn, &book.usage, rows::usage, &mut sink).await?;
    insert_chunked(txn, &book.health, rows::health, &mut sink).await?;
    let contract_start: HashMap<&str, NaiveDate> =
        book.contracts.iter().map(|c| (c.id.as_str(), c.start_date)).collect();
    let renewal_row = |r: &crate::domain::Renewal| {
        rows::renewal(
            r,
            contract_start
                .get(r.contract_id.as_str())
                .copied()
                .unwrap_or(r.renewal_date),
        )
    };
    insert_chunked(txn, &book.renewals, renewal_row, &mut sink).await?;
    insert_chunked(txn, &book.reminders, rows::reminder, &mut sink).await?;
    insert_chunked(txn, &book.opportunities, rows::opportunity, &mut sink).await?;
    insert_chunked(txn, &book.revenue_events, rows::revenue_event, &mut sink).await?;
    advance_sequences(txn, book, &mut sink).await?;
    Ok(())
}

/// Running count of inserted rows, reported to the caller.
struct Progress<'a> {
    done: u64,
    total: u64,
    report: &'a (dyn Fn(u64, u64) + Sync),
}

impl Progress<'_> {
    fn advance(&mut self, rows: usize) {
        self.done += rows as u64;
        (self.report)(self.done, self.total);
    }
}

/// Inserts `records` as rows of `A`'s table, as many per statement as the limits allow.
async fn insert_chunked<R, A, C>(
    db: &C,
    records: &[R],
    to_row: impl Fn(&R) -> A,
    sink: &mut Progress<'_>,
) -> Result<(), DbErr>
where
    A: ActiveModelTrait,
    C: ConnectionTrait,
{
    if db.get_database_backend() == DbBackend::Postgres {
        for chunk in records.chunks(POSTGRES_ROWS_PER_STATEMENT) {
            let rows: Vec<A> = chunk.iter().map(&to_row).collect();
            json_rows::insert(db, &rows).await?;
            sink.advance(chunk.len());
        }
        return Ok(());
    }
    let columns = <A::Entity as EntityTrait>::Column::iter().count().max(1);
    let per_statement = (MAX_BIND_PARAMETERS / columns).clamp(1, MAX_ROWS_PER_STATEMENT);
    for chunk in records.chunks(per_statement) {
        A::Entity::insert_many(chunk.iter().map(&to_row))
            .exec_without_returning(db)
            .await?;
        sink.advance(chunk.len());
    }
    Ok(())
}

/// Inserts already-built rows of one table (import's new rows), chunked as [`insert_chunked`].
pub async fn insert_rows<A, C>(db: &C, rows: Vec<A>) -> Result<(), DbErr>
where
    A: ActiveModelTrait + Clone,
    C: ConnectionTrait,
{
    let ignore = |_: u64, _: u64| {};
    let mut sink = Progress {
        done: 0,
        total: rows.len() as u64,
        report: &ignore,
    };
    insert_chunked(db, &rows, A::clone, &mut sink).await
}

/// Sets each id sequence to one past the highest id the book used — never lowering a sequence
/// that is already further along.
async fn advance_sequences<C: ConnectionTrait>(db: &C, book: &Book, sink: &mut Progress<'_>) -> Result<(), DbErr> {
    let used = |prefix: &str| -> i64 {
        let ids: Box<dyn Iterator<Item = &str>> = match prefix {
            "CNT-" => Box::new(book.contracts.iter().map(|c| c.id.as_str())),
            "RNW-" => Box::new(book.renewals.iter().map(|r| r.id.as_str())),
            "EXP-" => Box::new(book.opportunities.iter().map(|o| o.id.as_str())),
            _ => Box::new(std::iter::empty()),
        };
        ids.filter_map(|id| id.strip_prefix(prefix)?.parse::<i64>().ok())
            .max()
            .unwrap_or(0)
    };
    let rows = SEQUENCES.map(|(name, prefix)| id_sequence::ActiveModel {
        name: Set(name.to_owned()),
        next_value: Set(used(prefix) + 1),
    });
    // `excluded` is the proposed row in both SQLite and PostgreSQL upserts.
    let keep_larger = Expr::cust(
        "CASE WHEN excluded.next_value > id_sequence.next_value THEN excluded.next_value ELSE id_sequence.next_value END",
    );
    let upsert = OnConflict::column(id_sequence::Column::Name)
        .value(id_sequence::Column::NextValue, keep_larger)
        .to_owned();
    id_sequence::Entity::insert_many(rows)
        .on_conflict(upsert)
        .exec_without_returning(db)
        .await?;
    sink.advance(SEQUENCES.len());
    Ok(())
}

mod apply;
mod read;
pub use apply::{apply, ledger_violations, Changes};
pub use read::load_book;
