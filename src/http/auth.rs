//! Who asks: the bearer token of a request becomes its [`Actor`], before anything else runs.
//!
//! - `Authorization: Bearer exp_…` → the token's actor; an unknown, revoked or expired token is
//!   401 `UNAUTHENTICATED` with `WWW-Authenticate: Bearer`, never ignored.
//! - No token: allowed only while the server runs open — no token has ever been created, and
//!   (startup guarantees it) it is bound to loopback. The `Host` must then be a loopback name or
//!   `public_host`: a page on another site that rebinds its DNS name to 127.0.0.1 gets 403.
//!   Once a token exists, anonymous requests are 401.
//!
//! What the actor may do is decided on the schema fields (`graphql::guards`), not here.
use super::reply::Refusal;
use super::AppState;
use crate::db::Db;
use crate::domain::access::Actor;
use crate::error::Error;
use crate::services::token_cache::TokenCache;
use actix_web::http::{header, StatusCode};
use actix_web::HttpRequest;
use std::sync::Arc;

/// What authentication needs: its own pool (`startup::auth_pool`), the configured public host,
/// and what it remembers of tokens (`services::token_cache`).
#[derive(Clone, Debug)]
pub struct Gate {
    pub db: Db,
    pub public_host: Option<String>,
    cache: Arc<TokenCache>,
}

impl Gate {
    /// A gate for a server reachable as `public_host` (besides its loopback names), remembering
    /// token lookups for `cache_ttl`.
    pub fn new(public_host: Option<String>, db: Db, cache_ttl: std::time::Duration) -> Gate {
        Gate {
            db,
            public_host,
            cache: Arc::new(TokenCache::new(cache_ttl)),
        }
    }

    /// Does a token exist? (Once one does, remembered for good.)
    pub async fn tokens_exist(&self) -> Result<bool, Error> {
        self.cache.any_exist(&self.db).await
    }

    /// Is `host` (a `Host` header or an `Origin`'s authority) this server's own name?
    pub fn is_own_host(&self, host: &str) -> bool {
        is_own_host_of(self.public_host.as_deref(), host)
    }
}

/// The actor of `req`, or the refusal to answer with.
pub async fn actor(state: &AppState, req: &HttpRequest) -> Result<Actor, Refusal> {
    actor_of(&state.gate, bearer(req)?, host_of(req)).await
}

/// The actor holding `secret` (a bearer token), or without one the anonymous actor of an open
/// server reached as `host`.
/// The request's span (and with it every log line and trace of the request) names the actor.
pub async fn actor_of(gate: &Gate, secret: Option<&str>, host: &str) -> Result<Actor, Refusal> {
    let actor = match secret {
        Some(secret) => gate
            .cache
            .authenticate(&gate.db, secret, chrono::Utc::now())
            .await
            .map_err(refusal)?,
        None => anonymous(gate, host).await?,
    };
    tracing::Span::current().record("token", tracing::field::display(&actor.name));
    Ok(actor)
}

/// The `Host` header of `req` (empty when absent).
pub fn host_of(req: &HttpRequest) -> &str {
    req.headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
}

/// The secret of an `Authorization: Bearer …` header; a header of another scheme is refused.
pub fn bearer(req: &HttpRequest) -> Result<Option<&str>, Refusal> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    bearer_secret(value.to_str().unwrap_or_default())
}

/// The secret of an `Authorization` value (`Bearer <token>`).
pub fn bearer_secret(value: &str) -> Result<Option<&str>, Refusal> {
    match value.trim().split_once(' ') {
        Some((scheme, secret)) if scheme.eq_ignore_ascii_case("bearer") && !secret.trim().is_empty() => {
            Ok(Some(secret.trim()))
        }
        _ => Err(unauthenticated("the Authorization header must be `Bearer <token>`")),
    }
}

async fn anonymous(gate: &Gate, host: &str) -> Result<Actor, Refusal> {
    if gate.tokens_exist().await.map_err(refusal)? {
        return Err(unauthenticated(
            "a bearer token is required: send `Authorization: Bearer <token>`",
        ));
    }
    if !gate.is_own_host(host) {
        return Err(Refusal::new(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            format!(
                "Host `{host}` is not this server's: an open server answers only to loopback names (set `public_host`)"
            ),
        ));
    }
    Ok(Actor::without_token("anonymous"))
}

/// 401 with the challenge RFC 6750 asks for.
fn unauthenticated(message: &str) -> Refusal {
    Refusal::new(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", message).header(header::WWW_AUTHENTICATE, "Bearer")
}

fn refusal(err: Error) -> Refusal {
    match err {
        Error::Unauthenticated => unauthenticated("the bearer token is unknown, revoked or expired"),
        Error::Unavailable(cause) => {
            tracing::warn!(error = ?cause, "database busy while authenticating");
            Refusal::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "SERVICE_UNAVAILABLE",
                "the database is busy, try again",
            )
            .header(header::RETRY_AFTER, "1")
        }
        other => {
            let message = other.message();
            tracing::error!(error = ?anyhow::Error::from(other), "authentication failed");
            Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_SERVER_ERROR", message)
        }
    }
}

/// Is `host` a loopback name or `public_host` (ports ignored)?
pub fn is_own_host_of(public_host: Option<&str>, host: &str) -> bool {
    let name = host_name(host);
    is_loopback_name(name) || public_host.is_some_and(|public| host_name(public).eq_ignore_ascii_case(name))
}

/// `example.com:8080` → `example.com`; `[::1]:8080` → `::1`.
fn host_name(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or_default();
    }
    host.rsplit_once(':').map_or(host, |(name, port)| {
        if port.bytes().all(|b| b.is_ascii_digit()) {
            name
        } else {
            host
        }
    })
}

/// `localhost`, `*.localhost`, 127.0.0.0/8 and ::1.
pub fn is_loopback_name(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_with_and_without_ports_are_own_hosts() {
        let public = Some("api.example.com");
        for host in [
            "localhost:8080",
            "127.0.0.1",
            "127.0.0.2:80",
            "[::1]:8080",
            "API.example.com:443",
        ] {
            assert!(is_own_host_of(public, host), "{host}");
        }
        for host in ["evil.example", "127.0.0.1.evil.example", "", "example.com"] {
            assert!(!is_own_host_of(public, host), "{host}");
        }
    }
}
