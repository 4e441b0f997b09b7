//! Bearer tokens: creating one (the secret is shown once, only its SHA-256 is kept), listing,
//! revoking, and turning a presented secret into the request's [`Actor`].
use crate::db::{self, tokens::TokenRecord, Db};
use crate::domain::access::Actor;
use crate::domain::Role;
use crate::error::{Error, Result};
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Every secret starts with this, so a leaked one is recognisable (secret scanners, logs).
pub const TOKEN_PREFIX: &str = "exp_";

/// `last_used_at` is written at most this often per token: a write per request would put every
/// read behind SQLite's write lock.
const TOUCH_EVERY: Duration = Duration::seconds(60);

/// A token just created: the secret (shown once, never stored) and its record.
pub struct CreatedToken {
    pub secret: String,
    pub record: TokenRecord,
}

/// Hex SHA-256 of a secret, as stored in `api_token.token_hash`.
pub fn hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new secret: `exp_` and 64 hex digits from two v4 UUIDs (244 bits of the OS's CSPRNG).
fn new_secret() -> String {
    let a = uuid::Uuid::new_v4().simple().to_string();
    let b = uuid::Uuid::new_v4().simple().to_string();
    format!("{TOKEN_PREFIX}{a}{b}")
}

/// `token create`: a name of 1–100 characters, a role, optionally the days until it expires.
pub async fn create(
    db: &Db,
    name: &str,
    role: Role,
    expires_days: Option<u32>,
    now: DateTime<Utc>,
) -> Result<CreatedToken> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(Error::bad_input(
            "name",
            "a token name must be one line of 1–100 characters",
            "1–100 characters",
        ));
    }
    if expires_days == Some(0) {
        return Err(Error::bad_input(
            "expires",
            "a token must live at least a day",
            "1 or more days",
        ));
    }
    let expires_at = expires_days.map(|days| now + Duration::days(i64::from(days)));
    let secret = new_secret();
    let record = db::tokens::insert(db, name, &hash(&secret), role, expires_at, now).await?;
    super::token_cache::invalidate();
    Ok(CreatedToken { secret, record })
}

/// `token list`.
pub async fn list(db: &Db) -> Result<Vec<TokenRecord>> {
    db::tokens::all(db).await
}

/// `token revoke NAME|ID`.
pub async fn revoke(db: &Db, name_or_id: &str, now: DateTime<Utc>) -> Result<TokenRecord> {
    let revoked = db::tokens::revoke(db, name_or_id, now).await?;
    super::token_cache::invalidate();
    Ok(revoked)
}

/// Has any token been created (the server is then closed to anonymous callers)?
pub async fn any_exist(db: &Db) -> Result<bool> {
    db::tokens::any_exist(db).await
}

/// The actor of a presented secret; an unknown, revoked or expired one is `UNAUTHENTICATED`.
///
/// The row is found through the unique index on the hash: what an index lookup's timing could
/// reveal is the hash, and the hash of a guess says nothing about the hash of the secret. The
/// stored hash is still compared in constant time, so no byte-by-byte comparison of ours does.
pub async fn authenticate(db: &Db, secret: &str, now: DateTime<Utc>) -> Result<Actor> {
    let presented = hash(secret);
    let token = db::tokens::by_hash(db, &presented)
        .await?
        .ok_or(Error::Unauthenticated)?;
    actor_of(db, token, &presented, now)
}

/// Is the token's `last_used_at` older than [`TOUCH_EVERY`]?
pub fn needs_touch(token: &TokenRecord, now: DateTime<Utc>) -> bool {
    token.last_used_at.is_none_or(|at| now - at >= TOUCH_EVERY)
}

/// The actor of `token`, found by the `presented` hash, at `now`: refused when revoked or
/// expired. Notes its use (at most once a minute).
pub fn actor_of(db: &Db, token: TokenRecord, presented: &str, now: DateTime<Utc>) -> Result<Actor> {
    let same: bool = token.token_hash.as_bytes().ct_eq(presented.as_bytes()).into();
    let expired = token.expires_at.is_some_and(|at| at <= now);
    if !same || token.revoked_at.is_some() || expired {
        return Err(Error::Unauthenticated);
    }
    if needs_touch(&token, now) {
        // Off the request's path: a failed bookkeeping write must not fail the request.
        let (db, id) = (db.clone(), token.id);
        tokio::spawn(async move {
            if let Err(err) = db::tokens::touch(&db, id, now).await {
                tracing::debug!(error = ?anyhow::Error::from(err), "could not note a token's last use");
            }
        });
    }
    Ok(Actor::token(token.id, &token.name, token.role))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_prefixed_long_and_distinct() {
        let (a, b) = (new_secret(), new_secret());
        assert!(a.starts_with(TOKEN_PREFIX) && a.len() == TOKEN_PREFIX.len() + 64);
        assert_ne!(a, b);
    }

    #[test]
    fn the_stored_hash_is_hex_sha256() {
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
