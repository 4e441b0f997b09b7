//! Answers of the whole-book processes, kept while the book is unchanged.
//!
//! A dashboard asks the same portfolio questions again and again. Each answer is stored under
//! (database, process, arguments, asOf) together with the book version it was computed on; the
//! version is bumped inside every write transaction (`db::write`) and read with one indexed
//! statement, so an answer is served only while no write has committed since — on any replica,
//! since the version lives in the shared database, not in this process.
use crate::db::{self, Db};
use crate::error::Result;
use lru::LruCache;
use std::any::Any;
use std::fmt::Debug;
use std::future::Future;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// Answers kept at most: a whole-book answer holds every item of the book, so a few dashboards'
/// worth (the seven processes at two or so dates) and no more.
const CAPACITY: usize = 16;

type Entry = (i64, Arc<dyn Any + Send + Sync>);

static ENABLED: AtomicBool = AtomicBool::new(true);

/// Turns the cache on or off for this process (config `process_cache`).
pub fn set_enabled(enabled: bool) {
    ENABLED.store(enabled, Ordering::Relaxed);
}

fn entries() -> &'static Mutex<LruCache<String, Entry>> {
    static ENTRIES: OnceLock<Mutex<LruCache<String, Entry>>> = OnceLock::new();
    ENTRIES.get_or_init(|| Mutex::new(LruCache::new(NonZeroUsize::new(CAPACITY).unwrap_or(NonZeroUsize::MIN))))
}

/// The answer of `process` for `arguments` on the current book: from the cache when it was
/// computed on the current book version, else computed and kept. Errors are never kept.
pub async fn answer<T, F, Fut>(db: &Db, process: &str, arguments: impl Debug, compute: F) -> Result<T>
where
    T: Clone + Send + Sync + 'static,
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    shared_answer(db, process, arguments, compute)
        .await
        .map(Arc::unwrap_or_clone)
}

/// As [`answer`], shared: a hit costs the version read and no copy of the answer, so a caller
/// that shows a page of a large answer copies only that page.
pub async fn shared_answer<T, F, Fut>(db: &Db, process: &str, arguments: impl Debug, compute: F) -> Result<Arc<T>>
where
    T: Send + Sync + 'static,
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    if !ENABLED.load(Ordering::Relaxed) {
        return timed(process, compute).await.map(Arc::new);
    }
    let key = format!("{}|{process}|{arguments:?}", db::identity(db));
    let version = db::write::book_version(db).await?;
    if let Some(hit) = lookup::<T>(&key, version) {
        return Ok(hit);
    }
    let value = Arc::new(timed(process, compute).await?);
    // Kept under the version read before computing: a write that committed meanwhile moved the
    // version on, so nobody asks for this entry after it.
    let shared: Arc<dyn Any + Send + Sync> = value.clone();
    entries()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .put(key, (version, shared));
    Ok(value)
}

/// Computes, recording how long it took (`expansion_process_duration_seconds`).
async fn timed<T, F, Fut>(process: &str, compute: F) -> Result<T>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let started = std::time::Instant::now();
    let value = compute().await;
    crate::telemetry::meter::process_computed(process, started.elapsed());
    value
}

fn lookup<T: Send + Sync + 'static>(key: &str, version: i64) -> Option<Arc<T>> {
    let mut entries = entries().lock().unwrap_or_else(|e| e.into_inner());
    let (stored_version, value) = entries.get(key)?;
    if *stored_version != version {
        return None;
    }
    value.clone().downcast::<T>().ok()
}
