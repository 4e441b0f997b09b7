//! Whole-book reads spread over the server's multi-threaded runtime.
//!
//! A request runs on an actix worker, a single-threaded runtime: the reads of a whole-book process
//! joined there are all decoded on that one thread, however many cores the machine has (decoding
//! rows is most of a process's CPU on 50k clients). [`read`] runs each read as its own task on the
//! runtime `main` registers ([`use_runtime`]), so the rows of several reads are decoded at once,
//! and the worker stays free for other requests meanwhile.
use super::Db;
use crate::error::{Error, Result};
use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll};
use tokio::runtime::Handle;
use tokio::task::JoinHandle;

static RUNTIME: OnceLock<Handle> = OnceLock::new();

/// The runtime whose threads run the reads (the first call wins). Without one, reads are tasks
/// of the caller's runtime (tests).
pub fn use_runtime(handle: Handle) {
    let _ = RUNTIME.set(handle);
}

/// A read running as its own task; dropping it (a cancelled request) aborts the task.
pub struct Read<T>(JoinHandle<Result<T>>);

/// Starts `read` on its own task with a clone of the pool.
pub fn read<T, F, Fut>(db: &Db, read: F) -> Read<T>
where
    F: FnOnce(Db) -> Fut,
    Fut: Future<Output = Result<T>> + Send + 'static,
    T: Send + 'static,
{
    let runtime = RUNTIME.get().cloned().unwrap_or_else(Handle::current);
    Read(runtime.spawn(read(db.clone())))
}

impl<T> Future for Read<T> {
    type Output = Result<T>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<T>> {
        Pin::new(&mut self.0).poll(cx).map(|joined| {
            joined.unwrap_or_else(|err| Err(Error::internal(anyhow::anyhow!("a whole-book read failed: {err}"))))
        })
    }
}

impl<T> Drop for Read<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_read_returns_what_its_task_returned() {
        let db = sea_orm::Database::connect("sqlite::memory:").await.unwrap();
        let answer = read(&db, |db| async move {
            let _ = db;
            Ok(42)
        });
        assert_eq!(answer.await.unwrap(), 42);
    }

    #[tokio::test]
    async fn a_panicking_read_is_an_internal_error_not_a_crash() {
        let db = sea_orm::Database::connect("sqlite::memory:").await.unwrap();
        let failed = read::<i32, _, _>(&db, |_| async move { panic!("boom") }).await;
        assert!(matches!(failed, Err(Error::Internal(_))));
    }
}
