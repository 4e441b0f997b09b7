//! What authentication remembers between requests, so that a request does not wait for a token
//! lookup (measured: one indexed SELECT per request cut `{ __typename }` from ~33,000 to ~5,000
//! requests/s on SQLite). Kept for `token_cache_secs` (default 5 s), and forgotten at once when
//! this process creates or revokes a token. A token revoked by another process (the `token`
//! CLI, another replica) therefore stops working within `token_cache_secs`; expiry is checked
//! against the clock on every request, cached or not.
use crate::db::{self, tokens::TokenRecord, Db};
use crate::domain::access::Actor;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use lru::LruCache;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Bumped by every token created or revoked in this process: every cache entry older than the
/// last bump is stale.
static GENERATION: AtomicU64 = AtomicU64::new(0);

/// Marks what every cache holds as stale (a token was created or revoked).
pub fn invalidate() {
    GENERATION.fetch_add(1, Ordering::Relaxed);
}

/// Token lookups by hash (unknown hashes too, so a flood of made-up tokens costs no queries),
/// and whether any token exists.
pub struct TokenCache {
    ttl: Duration,
    tokens: Mutex<LruCache<String, Entry<Option<TokenRecord>>>>,
    any_exist: Mutex<Option<Entry<bool>>>,
}

struct Entry<T> {
    value: T,
    at: Instant,
    generation: u64,
}

impl<T> Entry<T> {
    fn new(value: T) -> Entry<T> {
        Entry {
            value,
            at: Instant::now(),
            generation: GENERATION.load(Ordering::Relaxed),
        }
    }

    fn fresh(&self, ttl: Duration) -> bool {
        self.at.elapsed() < ttl && self.generation == GENERATION.load(Ordering::Relaxed)
    }
}

/// Distinct token hashes remembered at most (the least recently used go first).
const CAPACITY: usize = 10_000;

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenCache")
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

impl TokenCache {
    /// A cache keeping answers for `ttl` (zero: every request asks the database).
    pub fn new(ttl: Duration) -> TokenCache {
        TokenCache {
            ttl,
            tokens: Mutex::new(LruCache::new(NonZeroUsize::new(CAPACITY).expect("non-zero"))),
            any_exist: Mutex::new(None),
        }
    }

    /// The actor of a presented secret (see `tokens::authenticate`).
    pub async fn authenticate(&self, db: &Db, secret: &str, now: DateTime<Utc>) -> Result<Actor> {
        let presented = super::tokens::hash(secret);
        let cached = self
            .lock_tokens()
            .get(&presented)
            .and_then(|e| e.fresh(self.ttl).then(|| e.value.clone()));
        let record = match cached {
            Some(record) => record,
            None => {
                let record = db::tokens::by_hash(db, &presented).await?;
                self.lock_tokens().put(presented.clone(), Entry::new(record.clone()));
                record
            }
        };
        let token = record.ok_or(Error::Unauthenticated)?;
        if super::tokens::needs_touch(&token, now) {
            // `actor_of` notes the use; the cached copy learns it too, or every hit until the
            // entry expires would note it again.
            if let Some(entry) = self.lock_tokens().get_mut(&presented) {
                if let Some(cached) = entry.value.as_mut() {
                    cached.last_used_at = Some(now);
                }
            }
        }
        super::tokens::actor_of(db, token, &presented, now)
    }

    /// Has any token been created? Once one has, that stays true (tokens are revoked, never
    /// deleted), so only the answer "none" is asked again.
    pub async fn any_exist(&self, db: &Db) -> Result<bool> {
        if let Some(entry) = self.lock_any().as_ref() {
            if entry.value || entry.fresh(self.ttl) {
                return Ok(entry.value);
            }
        }
        let exist = super::tokens::any_exist(db).await?;
        *self.lock_any() = Some(Entry::new(exist));
        Ok(exist)
    }

    fn lock_tokens(&self) -> std::sync::MutexGuard<'_, LruCache<String, Entry<Option<TokenRecord>>>> {
        // A panic while holding the lock leaves a valid cache: take it back.
        self.tokens.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn lock_any(&self) -> std::sync::MutexGuard<'_, Option<Entry<bool>>> {
        self.any_exist.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
