//! Opening the pool so that its failures say what to check: the SQLite file or directory, or the
//! PostgreSQL host and port (the URL shown with its password masked), within a connect timeout
//! rather than a pool's retries; and the pool's size for the metrics.
use super::{sqlite_file_path, Db, SqlStatementCounter};
use crate::config::mask_password;
use sea_orm::sqlx::postgres::{PgConnectOptions, PgConnection, PgSslMode};
use sea_orm::sqlx::Connection;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DbBackend};
use std::str::FromStr;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// How long a pool waits: for its first connection at startup, and a caller for a free connection.
#[derive(Clone, Copy, Debug)]
pub struct PoolTimeouts {
    pub connect: Duration,
    pub acquire: Duration,
}

impl Default for PoolTimeouts {
    /// 5 s to connect, 10 s to wait for a free connection (`database.*_timeout_secs`).
    fn default() -> Self {
        PoolTimeouts {
            connect: Duration::from_secs(5),
            acquire: Duration::from_secs(10),
        }
    }
}

/// Rows SQLite's worker thread may get ahead of the reader of a result.
const SQLITE_ROW_BUFFER: usize = 4096;
/// How much of a SQLite file is memory-mapped (the file's pages, shared with the OS page cache).
/// Each connection maps the file on its own and every mapped page counts in the server's RSS,
/// though they are clean pages the OS may drop: on 10k clients (a 107 MB file) it adds 350–400 MB
/// of RSS, and without it `upsellOpportunities` takes 0.50–0.56 s instead of 0.32–0.36 s. On 50k
/// clients, after all seven processes: RSS 1.47 GB of which 1.18 GB file pages, against 237 MB
/// without the map (peak 522 MB), but upsell 1.13 s instead of 0.69 s and renewals 2.17 s
/// instead of 1.75 s.
const SQLITE_MMAP_BYTES: u64 = 256 * 1024 * 1024;

/// Opens the pool, giving up after `connect_timeout` with a message that names the database.
pub async fn connect_with(
    url: &str,
    max_connections: u32,
    counter: &SqlStatementCounter,
    timeouts: PoolTimeouts,
) -> anyhow::Result<Db> {
    let connect_timeout = timeouts.connect;
    let shown = mask_password(url);
    if let Some(path) = sqlite_file_path(url) {
        prepare_sqlite_directory(&path)?;
    } else if url.starts_with("postgres") {
        check_postgres(url, &shown, connect_timeout).await?;
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .acquire_timeout(timeouts.acquire)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                // Whole-book reads stream ~10 rows per client from SQLite's worker thread: with the
                // default 50-row channel the two threads hand over (futex, wake-up) every few rows.
                .row_buffer_size(SQLITE_ROW_BUFFER)
                // Pages are read from a memory map instead of one pread(2) per page.
                .pragma("mmap_size", SQLITE_MMAP_BYTES.to_string())
        });
    if loopback_without_chosen_tls(url) {
        options.map_sqlx_postgres_opts(|o| o.ssl_mode(PgSslMode::Disable));
    }
    let secs = connect_timeout.as_secs();
    let mut db = match tokio::time::timeout(connect_timeout, Database::connect(options)).await {
        Ok(Ok(db)) => db,
        Ok(Err(err)) => anyhow::bail!("cannot open the database {shown}: {err}{}", advice(url)),
        Err(_) => anyhow::bail!(
            "cannot open the database {shown}: no connection within {secs} s (database.connect_timeout_secs){}",
            advice(url)
        ),
    };
    if db.get_database_backend() == DbBackend::Sqlite && sqlite_file_path(url).is_some() {
        // WAL lets readers run beside the writer; it is a property of the file, set once.
        db.execute_unprepared("PRAGMA journal_mode=WAL")
            .await
            .map_err(|err| anyhow::anyhow!("cannot use the SQLite database {shown}: {err}{}", advice(url)))?;
    }
    let statements = counter.0.clone();
    db.set_metric_callback(move |info| {
        statements.fetch_add(1, Ordering::Relaxed);
        crate::telemetry::meter::sql_statement(info.elapsed, info.failed);
        // `RUST_LOG=sql=debug` shows every statement with its duration.
        tracing::debug!(target: "sql", elapsed_us = info.elapsed.as_micros() as u64, failed = info.failed, "{}", info.statement.sql);
    });
    Ok(db)
}

/// Creates the SQLite file's directory; the error names it.
fn prepare_sqlite_directory(path: &str) -> anyhow::Result<()> {
    let Some(dir) = std::path::Path::new(path)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    else {
        return Ok(());
    };
    std::fs::create_dir_all(dir).map_err(|err| {
        anyhow::anyhow!(
            "cannot create the data directory {}: {err}; check that the path is a writable directory or set DATABASE_URL",
            dir.display()
        )
    })
}

/// One direct connection first: a pool retries refused connections until its timeout and then
/// only says "pool timed out"; this says why.
async fn check_postgres(url: &str, shown: &str, timeout: Duration) -> anyhow::Result<()> {
    let options = PgConnectOptions::from_str(url).map_err(|err| anyhow::anyhow!("bad database URL {shown}: {err}"))?;
    let at = format!("PostgreSQL at {}:{}", options.get_host(), options.get_port());
    match tokio::time::timeout(timeout, PgConnection::connect_with(&options)).await {
        Ok(Ok(connection)) => {
            connection.close().await.ok();
            Ok(())
        }
        Ok(Err(err)) => anyhow::bail!("cannot connect to {at} ({shown}): {err}{}", advice(url)),
        Err(_) => anyhow::bail!(
            "cannot connect to {at} ({shown}): no answer within {} s (database.connect_timeout_secs){}",
            timeout.as_secs(),
            advice(url)
        ),
    }
}

/// A PostgreSQL URL on a loopback address that chooses no `sslmode` (nor `PGSSLMODE`) connects
/// without TLS. The default, `prefer` as in libpq, would encrypt every row on both ends although
/// the bytes never leave the machine, and it verifies nothing; on a nested page of 50 clients
/// that is 6 % of the server's CPU. An explicit `sslmode` is always kept.
fn loopback_without_chosen_tls(url: &str) -> bool {
    std::env::var_os("PGSSLMODE").is_none() && loopback_without_sslmode(url)
}

/// The URL is on a loopback address and sets no `sslmode`.
fn loopback_without_sslmode(url: &str) -> bool {
    if !url.starts_with("postgres") || url.to_ascii_lowercase().contains("sslmode=") {
        return false;
    }
    let Ok(options) = PgConnectOptions::from_str(url) else {
        return false;
    };
    let host = options.get_host();
    host == "localhost"
        || host.starts_with('/')
        || host
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn advice(url: &str) -> &'static str {
    if url.starts_with("postgres") {
        "; check that the server runs and is reachable, and the user, password and database in DATABASE_URL"
    } else {
        "; check that the file's directory exists and is writable, or set DATABASE_URL"
    }
}

/// (connections open, idle, limit) of the pool.
pub fn stats(db: &Db) -> (u32, u32, u32) {
    let idle = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), idle(pool.num_idle()), pool.options().get_max_connections())
        }
        DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), idle(pool.num_idle()), pool.options().get_max_connections())
        }
        _ => (0, 0, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::loopback_without_sslmode as plain;

    #[test]
    fn only_a_loopback_url_without_an_sslmode_connects_without_tls() {
        assert!(plain("postgres://u@127.0.0.1:5432/db"));
        assert!(plain("postgres://u@localhost/db"));
        assert!(plain("postgresql://u@[::1]:5432/db"));
        assert!(!plain("postgres://u@127.0.0.1:5432/db?sslmode=require"));
        assert!(!plain("postgres://u@127.0.0.1:5432/db?SSLMODE=prefer"));
        assert!(!plain("postgres://u@db.internal:5432/db"));
        assert!(!plain("postgres://u@10.0.0.7/db"));
        assert!(!plain("sqlite://./data/x.db"));
    }
}
