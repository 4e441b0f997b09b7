//! The only module that talks to the database. Entities stay here; callers get domain records.
pub mod audit;
pub mod book;
pub mod bulk;
pub mod client_facts;
pub mod clients;
pub mod contacts;
pub mod contracts;
mod convert;
pub mod negotiations;
pub mod opportunities;
pub mod outbox;
mod paging;
pub mod parallel;
pub mod pool;
mod portable;
pub mod products;
pub mod reminders;
pub mod renewals;
pub mod revenue;
pub mod revenue_edges;
pub mod risk_watch;
pub mod sequences;
pub mod snapshots;
pub mod tokens;
pub mod webhooks;
pub mod write;

use crate::error::{Error, Result};
use futures_util::TryStreamExt;
use migration::MigratorTrait;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, SqlErr};
use sea_orm::{QueryResult, Statement, StreamTrait};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// A pooled connection to SQLite or PostgreSQL; cheap to clone.
pub type Db = DatabaseConnection;

/// Counts every SQL statement the server sends (exported on `/metrics`; the N+1 tests read it).
#[derive(Clone, Debug, Default)]
pub struct SqlStatementCounter(Arc<AtomicU64>);

impl SqlStatementCounter {
    /// Statements sent so far.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Opens the pool with the default timeouts; see `pool::connect_with`.
pub async fn connect(url: &str, max_connections: u32, counter: &SqlStatementCounter) -> anyhow::Result<Db> {
    pool::connect_with(url, max_connections, counter, pool::PoolTimeouts::default()).await
}

/// The file path of a `sqlite://path?…` URL, `None` for memory databases and other backends.
fn sqlite_file_path(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.contains(":memory:")).then(|| path.to_owned())
}

/// Which database: several live in one process (tests; a CLI beside a server).
pub fn identity(db: &Db) -> String {
    match db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => {
            let options = db.get_sqlite_connection_pool().connect_options();
            format!("sqlite:{}", options.get_filename().display())
        }
        sea_orm::DbBackend::Postgres => {
            let options = db.get_postgres_connection_pool().connect_options();
            format!(
                "postgres:{}:{}/{}",
                options.get_host(),
                options.get_port(),
                options.get_database().unwrap_or_default()
            )
        }
        other => format!("{other:?}"),
    }
}

/// Runs every pending migration.
pub async fn migrate(db: &Db) -> anyhow::Result<()> {
    migration::Migrator::up(db, None).await?;
    Ok(())
}

/// `SELECT 1`: is the database reachable?
pub async fn ping(db: &Db) -> Result<()> {
    db.execute_unprepared("SELECT 1").await.map(|_| ()).map_err(Error::from)
}

impl From<DbErr> for Error {
    /// Unique-key violations are conflicts the caller can act on; serialization failures,
    /// deadlocks, a busy SQLite file and an exhausted pool are transient (retried, then
    /// `SERVICE_UNAVAILABLE`); everything else is internal.
    fn from(err: DbErr) -> Self {
        if let Some(SqlErr::UniqueConstraintViolation(_)) = err.sql_err() {
            return Error::Conflict("a record with this key already exists".into());
        }
        if is_transient(&err) {
            if is_pool_timeout(&err) {
                crate::telemetry::meter::pool_exhausted();
            }
            return Error::Unavailable(err.into());
        }
        Error::internal(err)
    }
}

/// No pooled connection came within the acquire timeout.
fn is_pool_timeout(err: &DbErr) -> bool {
    match err {
        DbErr::ConnectionAcquire(_) => true,
        DbErr::Exec(sea_orm::RuntimeErr::SqlxError(e))
        | DbErr::Query(sea_orm::RuntimeErr::SqlxError(e))
        | DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e)) => matches!(**e, sea_orm::sqlx::Error::PoolTimedOut),
        _ => false,
    }
}

/// PostgreSQL 40001 (serialization failure) and 40P01 (deadlock); SQLite 5 (busy), 6 (locked)
/// and their extended codes (517 busy snapshot, …); no pooled connection within the timeout.
fn is_transient(err: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    let sqlx_error = match err {
        DbErr::ConnectionAcquire(_) => return true,
        DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e))
        | DbErr::Conn(RuntimeErr::SqlxError(e)) => e,
        _ => return false,
    };
    match &**sqlx_error {
        sea_orm::sqlx::Error::PoolTimedOut => true,
        sea_orm::sqlx::Error::Database(e) => {
            let code = e.code().unwrap_or_default();
            if e.try_downcast_ref::<sea_orm::sqlx::postgres::PgDatabaseError>()
                .is_some()
            {
                code == "40001" || code == "40P01"
            } else {
                code.parse::<u32>().is_ok_and(|c| matches!(c & 0xff, 5 | 6))
            }
        }
        _ => false,
    }
}

/// Runs `statement` and hands each row to `each` as it arrives, so a long result is never held
/// whole (the history reads of revenue's success factors stream ~40 rows per client). On SQLite
/// the driver's worker thread runs up to its row buffer ahead (`db::pool`).
pub(crate) async fn for_each_row<C: ConnectionTrait + StreamTrait>(
    db: &C,
    statement: Statement,
    mut each: impl FnMut(&QueryResult) -> Result<()>,
) -> Result<()> {
    let rows = db.stream_raw(statement).await?;
    let mut rows = std::pin::pin!(rows);
    while let Some(row) = rows.try_next().await? {
        each(&row)?;
    }
    Ok(())
}

/// Every row of `statement` read as `M` and converted by `one` as it arrives ([`for_each_row`]):
/// the driver's rows are never all held at once, only the records they convert to. On SQLite a
/// row holds a copy of every value: collecting the whole-book reads first took 550–600 MB of
/// anonymous memory for upsell, renewals or revenue on 10k clients, streaming 175–235 MB, in the
/// same time.
pub(crate) async fn read_models<C, M, T>(db: &C, statement: Statement, one: fn(M) -> Result<T>) -> Result<Vec<T>>
where
    C: ConnectionTrait + StreamTrait,
    M: sea_orm::FromQueryResult,
{
    read_by_position(db, statement, |row| one(M::from_query_result(row, "")?)).await
}

/// Every row of `statement` converted by `one` as it arrives ([`for_each_row`]): reads that select
/// known columns decode them by position with it.
pub(crate) async fn read_by_position<C, T>(
    db: &C,
    statement: Statement,
    one: impl Fn(&QueryResult) -> Result<T>,
) -> Result<Vec<T>>
where
    C: ConnectionTrait + StreamTrait,
{
    let mut out = Vec::new();
    for_each_row(db, statement, |row| {
        out.push(one(row)?);
        Ok(())
    })
    .await?;
    Ok(out)
}

/// [`read_models`] of an entity query, built for the connection's backend.
pub(crate) async fn read_select<C, E, T>(
    db: &C,
    select: sea_orm::Select<E>,
    one: fn(E::Model) -> Result<T>,
) -> Result<Vec<T>>
where
    C: ConnectionTrait + StreamTrait,
    E: sea_orm::EntityTrait,
{
    use sea_orm::QueryTrait;
    let statement = select.build(ConnectionTrait::get_database_backend(db));
    read_models(db, statement, one).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths_are_read_from_urls() {
        assert_eq!(
            sqlite_file_path("sqlite://./data/x.db?mode=rwc").as_deref(),
            Some("./data/x.db")
        );
        assert_eq!(sqlite_file_path("sqlite::memory:"), None);
        assert_eq!(sqlite_file_path("postgres://u@h/db"), None);
    }
}
