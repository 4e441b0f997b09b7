//! A request id per request: taken from `x-request-id` when the caller sends a sane one, else a
//! new UUID; echoed in the response and attached to every log line of the request, whose last
//! line (`served`) has the method, path, operation name, status and duration.
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::HttpMessage;
use tracing::Instrument;

/// The id of the current request (request extension).
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

const HEADER: &str = "x-request-id";

/// Middleware: assigns the id, opens the request's tracing span, echoes the header.
pub async fn assign(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let given = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let id = given
        .filter(|v| (1..=64).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    // `operation` is filled in by the GraphQL handler once it knows the operation's name, `token`
    // (the token's name, never its secret) once the caller is authenticated.
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %req.method(),
        path = %req.path(),
        operation = tracing::field::Empty,
        token = tracing::field::Empty,
    );
    let started = std::time::Instant::now();
    let mut res = next.call(req).instrument(span.clone()).await?;
    let status = res.status().as_u16();
    crate::telemetry::meter::http_response(status);
    span.in_scope(|| {
        tracing::info!(
            status,
            duration_ms = started.elapsed().as_micros() as f64 / 1000.0,
            "served"
        )
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(HeaderName::from_static(HEADER), value);
    }
    Ok(res)
}
