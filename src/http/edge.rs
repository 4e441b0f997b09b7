//! The browser-facing edge: CORS from the allow-list, `Origin` checks for `/mcp` and the subscription
//! WebSocket, and the security headers every response carries.
use super::auth;
use crate::config::CorsSettings;
use actix_cors::Cors;
use actix_web::dev::RequestHead;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::DefaultHeaders;

/// CORS: the listed origins (exactly as configured) may call the API with credentials; so may the
/// server's own origin (a browser sends `Origin` on same-origin POSTs too, e.g. from GraphiQL).
/// Any other origin's preflight and request are refused. Preflights are answered here.
pub fn cors(settings: &CorsSettings, public_host: Option<String>) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(["GET", "POST"])
        .allowed_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT])
        .allowed_header("x-request-id")
        .expose_headers([header::RETRY_AFTER, header::WWW_AUTHENTICATE])
        .expose_headers(["x-request-id"])
        .supports_credentials()
        .max_age(600);
    for origin in &settings.allowed_origins {
        cors = cors.allowed_origin(origin);
    }
    cors.allowed_origin_fn(move |origin, head| is_own_origin(origin, head, public_host.as_deref()))
}

/// Is `origin` this server itself: the request's own `Host`, or a loopback or public name?
fn is_own_origin(origin: &HeaderValue, head: &RequestHead, public_host: Option<&str>) -> bool {
    let Some(authority) = origin.to_str().ok().and_then(|o| o.split_once("://")).map(|(_, a)| a) else {
        return false;
    };
    let host = head.headers().get(header::HOST).and_then(|h| h.to_str().ok());
    host.is_some_and(|host| host.eq_ignore_ascii_case(authority)) || auth::is_own_host_of(public_host, authority)
}

/// Do `/mcp` and the subscription WebSocket accept a request with this `Origin` (the MCP spec
/// requires the check against DNS rebinding; CORS does not cover WebSockets)? No `Origin` (not a
/// browser) is fine; else the server's own or a listed one.
pub fn origin_allowed(origin: Option<&str>, allowed: &[String], public_host: Option<&str>) -> bool {
    let Some(origin) = origin else {
        return true;
    };
    allowed.iter().any(|a| a.eq_ignore_ascii_case(origin))
        || origin
            .split_once("://")
            .is_some_and(|(_, authority)| auth::is_own_host_of(public_host, authority))
}

/// [`origin_allowed`] for `req`: a 403 refusal saying what the foreign `Origin` may not `do_what`.
pub fn check_origin(
    state: &super::AppState,
    req: &actix_web::HttpRequest,
    do_what: &str,
) -> Result<(), super::reply::Refusal> {
    let origin = req.headers().get(header::ORIGIN).map(|o| o.to_str().unwrap_or("?"));
    if origin_allowed(origin, &state.allowed_origins, state.gate.public_host.as_deref()) {
        return Ok(());
    }
    let message = format!("this Origin may not {do_what}");
    Err(super::reply::Refusal::new(
        actix_web::http::StatusCode::FORBIDDEN,
        "FORBIDDEN",
        message,
    ))
}

/// Headers on every response: no sniffing, no referrer, no framing, and `no-store` unless the
/// route says otherwise (the GraphiQL assets are cacheable; everything else may carry data).
pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::CACHE_CONTROL, "no-store"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mcp_accepts_no_origin_its_own_and_listed_ones_only() {
        let listed = vec!["https://app.example.com".to_owned()];
        assert!(origin_allowed(None, &listed, None));
        assert!(origin_allowed(Some("http://localhost:5173"), &listed, None));
        assert!(origin_allowed(Some("https://app.example.com"), &listed, None));
        assert!(!origin_allowed(Some("https://evil.example"), &listed, None));
        assert!(origin_allowed(
            Some("https://api.example.com"),
            &[],
            Some("api.example.com")
        ));
    }
}
