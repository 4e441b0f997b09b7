//! Automatic persisted queries (Apollo protocol): a client sends `extensions.persistedQuery
//! {version: 1, sha256Hash}` without the query; on a miss it gets `PERSISTED_QUERY_NOT_FOUND` and
//! sends query and hash once, after which the hash alone is enough. Resolved here, before
//! execution, so the GET rules (no mutations) see the real document.
//!
//! The cache is per process and bounded: a replica that has not seen a hash answers a miss, and the
//! client registers it again — nothing another replica needs lives only here.
use crate::telemetry::meter;
use async_graphql::Request;
use lru::LruCache;
use sha2::{Digest, Sha256};
use std::num::NonZeroUsize;
use std::sync::Mutex;

/// Registered queries by SHA-256 (hex).
pub struct PersistedQueries {
    cache: Mutex<LruCache<String, String>>,
}

/// Why a persisted-query request cannot run.
#[derive(Debug, PartialEq, Eq)]
pub enum PersistedQueryError {
    /// The hash is not registered here: send the query with it.
    NotFound,
    /// The query's hash is not the one sent, or the extension is malformed.
    Invalid(String),
}

impl PersistedQueries {
    /// A cache of at most `capacity` queries.
    pub fn new(capacity: usize) -> Self {
        let capacity = NonZeroUsize::new(capacity.max(1)).unwrap_or(NonZeroUsize::MIN);
        PersistedQueries {
            cache: Mutex::new(LruCache::new(capacity)),
        }
    }

    /// Fills in the query of a hash-only request, or registers a query sent with its hash.
    /// Requests without the extension pass unchanged.
    pub fn resolve(&self, mut request: Request) -> Result<Request, PersistedQueryError> {
        let Some(extension) = request.extensions.remove("persistedQuery") else {
            return Ok(request);
        };
        let extension = extension
            .into_json()
            .map_err(|e| PersistedQueryError::Invalid(e.to_string()))?;
        if extension.get("version").and_then(|v| v.as_i64()) != Some(1) {
            return Err(PersistedQueryError::Invalid("persistedQuery.version must be 1".into()));
        }
        let Some(hash) = extension
            .get("sha256Hash")
            .and_then(|v| v.as_str())
            .map(str::to_ascii_lowercase)
        else {
            return Err(PersistedQueryError::Invalid(
                "persistedQuery.sha256Hash is missing".into(),
            ));
        };
        let mut cache = self
            .cache
            .lock()
            .map_err(|_| PersistedQueryError::Invalid("cache unavailable".into()))?;
        if request.query.trim().is_empty() {
            let Some(query) = cache.get(&hash) else {
                meter::apq("miss");
                return Err(PersistedQueryError::NotFound);
            };
            meter::apq("hit");
            request.query = query.clone();
            return Ok(request);
        }
        let actual = format!("{:x}", Sha256::digest(request.query.as_bytes()));
        if actual != hash {
            return Err(PersistedQueryError::Invalid(format!(
                "sha256Hash {hash} does not match the query ({actual})"
            )));
        }
        cache.put(hash, request.query.clone());
        meter::apq("registered");
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::Value;

    fn with_extension(query: &str, hash: &str) -> Request {
        let mut request = Request::new(query);
        let extension = serde_json::json!({ "version": 1, "sha256Hash": hash });
        request
            .extensions
            .insert("persistedQuery".into(), Value::from_json(extension).expect("value"));
        request
    }

    #[test]
    fn a_hash_is_found_after_its_query_was_registered() {
        let cache = PersistedQueries::new(8);
        let query = "{ products { id } }";
        let hash = format!("{:x}", Sha256::digest(query.as_bytes()));
        assert_eq!(
            cache.resolve(with_extension("", &hash)).err(),
            Some(PersistedQueryError::NotFound)
        );
        assert_eq!(
            cache.resolve(with_extension(query, &hash)).expect("registered").query,
            query
        );
        assert_eq!(cache.resolve(with_extension("", &hash)).expect("hit").query, query);
    }

    #[test]
    fn a_wrong_hash_is_refused() {
        let cache = PersistedQueries::new(8);
        assert!(matches!(
            cache.resolve(with_extension("{ products { id } }", "abc")),
            Err(PersistedQueryError::Invalid(_))
        ));
    }
}
