//! Write transactions that never collide.
//!
//! Every write takes the book's write lock *first*, so a transaction that reads and then writes
//! waits its turn instead of failing half-way:
//! - SQLite allows one writer per file. A deferred `BEGIN` that reads first and writes later fails
//!   with `SQLITE_BUSY_SNAPSHOT` when another writer committed in between, whatever the busy
//!   timeout. So writers of one process queue on an async mutex (fair, and without holding a
//!   pooled connection while they wait), then `BEGIN IMMEDIATE` takes the file's write lock,
//!   waiting on the busy timeout for writers in other processes (replicas, the CLI).
//! - PostgreSQL: the first statement bumps the single `book_version` row, whose row lock orders
//!   write transactions one after another. Read-then-write races (one open renewal per contract,
//!   the next id, the primary contact) cannot interleave, and deadlocks between our transactions
//!   cannot form. Readers are never blocked (MVCC).
//!
//! The bump is also the book version that cached answers are keyed by: it changes in the same
//! transaction as the data, so a committed write is never hidden behind a stale answer.
use super::Db;
use crate::error::{Error, Result};
use sea_orm::{
    ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, ExecResult, QueryResult, SqliteTransactionMode, Statement,
    TransactionOptions, TransactionTrait,
};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use tokio::sync::{watch, OwnedMutexGuard};

/// An open write transaction holding the book's write lock until it commits or is dropped
/// (dropping rolls back).
pub struct WriteTxn {
    txn: DatabaseTransaction,
    /// SQLite only: this process's turn as the writer of the file.
    _writer: Option<OwnedMutexGuard<()>>,
    /// The database's identity when it writes the book (its commit is announced to that
    /// database's [`book_commits`] watchers).
    book: Option<String>,
}

/// Begins a write transaction with the write lock taken (see the module docs).
pub async fn begin(db: &Db) -> Result<WriteTxn, DbErr> {
    let mut txn = begin_outside_book(db).await?;
    bump_book_version(&txn.txn).await?;
    txn.book = Some(super::identity(db));
    Ok(txn)
}

/// The number of book transactions this process has committed on `db`: the webhook worker waits
/// on it, so a delivery written here starts at once instead of at its next look.
pub fn book_commits(db: &Db) -> watch::Receiver<u64> {
    book_commit_counter(&super::identity(db)).subscribe()
}

/// One counter per database (tests run many side by side in one process).
fn book_commit_counter(database: &str) -> watch::Sender<u64> {
    static COMMITS: OnceLock<Mutex<HashMap<String, watch::Sender<u64>>>> = OnceLock::new();
    let mut counters = COMMITS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    counters
        .entry(database.to_owned())
        .or_insert_with(|| watch::channel(0).0)
        .clone()
}

/// A write transaction for rows outside the book (webhook deliveries): on SQLite it waits its turn
/// in the same writer queue, so it never busy-waits against the book's writers; it leaves the book
/// version (and so every cached answer) alone, and on PostgreSQL it takes no book lock.
pub async fn begin_outside_book(db: &Db) -> Result<WriteTxn, DbErr> {
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            let writer = sqlite_writer_lock(db).lock_owned().await;
            let options = TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..TransactionOptions::default()
            };
            let txn = db.begin_with_options(options).await?;
            Ok(WriteTxn {
                txn,
                _writer: Some(writer),
                book: None,
            })
        }
        _ => Ok(WriteTxn {
            txn: db.begin().await?,
            _writer: None,
            book: None,
        }),
    }
}

impl WriteTxn {
    /// Commits; the lock is released when `self` is dropped right after.
    pub async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await?;
        if let Some(database) = &self.book {
            book_commit_counter(database).send_modify(|n| *n = n.wrapping_add(1));
        }
        Ok(())
    }
}

/// The version of the whole book: changes with every committed write.
pub async fn book_version(db: &impl ConnectionTrait) -> Result<i64> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT version FROM book_version WHERE id = 1",
        ))
        .await?
        .ok_or_else(|| Error::internal(anyhow::anyhow!("book_version row missing")))?;
    Ok(row.try_get("", "version")?)
}

async fn bump_book_version(txn: &DatabaseTransaction) -> Result<(), DbErr> {
    txn.execute_unprepared("UPDATE book_version SET version = version + 1 WHERE id = 1")
        .await
        .map(|_| ())
}

/// One writer mutex per SQLite file in this process (tests run many databases side by side).
fn sqlite_writer_lock(db: &Db) -> Arc<tokio::sync::Mutex<()>> {
    static LOCKS: OnceLock<Mutex<HashMap<PathBuf, Arc<tokio::sync::Mutex<()>>>>> = OnceLock::new();
    let file = db
        .get_sqlite_connection_pool()
        .connect_options()
        .get_filename()
        .to_path_buf();
    let mut locks = LOCKS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    locks.entry(file).or_default().clone()
}

/// Services pass `&txn` to the `db` functions, which take any connection.
#[async_trait::async_trait]
impl ConnectionTrait for WriteTxn {
    fn get_database_backend(&self) -> DbBackend {
        self.txn.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.txn.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.txn.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.txn.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.txn.query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.txn.support_returning()
    }
}

/// Whole-book reads inside a write transaction stream as they do on a pool (`db::read_models`).
impl sea_orm::StreamTrait for WriteTxn {
    type Stream<'a> = <DatabaseTransaction as sea_orm::StreamTrait>::Stream<'a>;

    fn get_database_backend(&self) -> DbBackend {
        ConnectionTrait::get_database_backend(&self.txn)
    }

    fn stream_raw<'a>(
        &'a self,
        stmt: Statement,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self::Stream<'a>, DbErr>> + 'a + Send>> {
        self.txn.stream_raw(stmt)
    }
}
