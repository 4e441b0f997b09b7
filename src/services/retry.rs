//! Transient database failures are retried: a serialization failure or deadlock on PostgreSQL, a
//! busy SQLite file, a pool momentarily empty. The transaction that failed was rolled back, so
//! running the whole use case again is safe; after [`ATTEMPTS`] the caller gets
//! `SERVICE_UNAVAILABLE` (never a half-applied write).
use crate::error::Result;
use std::future::Future;
use std::time::Duration;

/// Tries at most this many times in all.
pub const ATTEMPTS: u32 = 4;

/// Runs `attempt` until it succeeds, fails for good, or has failed transiently [`ATTEMPTS`] times,
/// sleeping an exponentially growing, jittered pause between tries (10–20 ms, 20–40 ms, …).
pub async fn transient<T, F, Fut>(mut attempt: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let mut tries = 0;
    loop {
        tries += 1;
        match attempt().await {
            Err(err) if err.is_transient() && tries < ATTEMPTS => {
                let base = 10u64 << (tries - 1);
                // Jitter from the OS's randomness (uuid v4), so retrying writers do not collide again in step.
                let pause = base + (uuid::Uuid::new_v4().as_u128() % u128::from(base + 1)) as u64;
                tracing::info!(tries, pause_ms = pause, "transient database failure, retrying");
                tokio::time::sleep(Duration::from_millis(pause)).await;
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test]
    async fn a_transient_failure_is_retried_until_it_succeeds() {
        let calls = AtomicU32::new(0);
        let result = transient(|| async {
            match calls.fetch_add(1, Ordering::SeqCst) {
                0 | 1 => Err(Error::Unavailable(anyhow::anyhow!("deadlock"))),
                _ => Ok(7),
            }
        })
        .await;
        assert_eq!(result.ok(), Some(7));
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn retries_are_bounded_and_user_errors_are_not_retried() {
        let calls = AtomicU32::new(0);
        let result: Result<()> = transient(|| async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(Error::Unavailable(anyhow::anyhow!("busy")))
        })
        .await;
        assert!(matches!(result, Err(Error::Unavailable(_))));
        assert_eq!(calls.load(Ordering::SeqCst), ATTEMPTS);
        calls.store(0, Ordering::SeqCst);
        let result: Result<()> = transient(|| async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(Error::Conflict("stale".into()))
        })
        .await;
        assert!(matches!(result, Err(Error::Conflict(_))));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
