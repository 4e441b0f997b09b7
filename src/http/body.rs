//! Reading a request body within its size limit and its time limit.
//!
//! The time limit (`limits.body_timeout_secs`) is for the whole body: a client trickling a byte
//! every few seconds never trips an idle timeout, yet holds its connection (and a worker's
//! attention) for as long as it likes. Past the limit the answer is 408 and the connection is
//! closed.
use super::reply::Refusal;
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpRequest};
use std::time::Duration;

/// The body of `req`: 413 over `limit` bytes (actix's `PayloadConfig`, which also decompresses),
/// 408 when it has not arrived within `timeout`.
pub async fn read(
    req: &HttpRequest,
    payload: web::Payload,
    limit: usize,
    timeout: Duration,
) -> Result<web::Bytes, Refusal> {
    let read = web::Bytes::from_request(req, &mut payload.into_inner());
    match tokio::time::timeout(timeout, read).await {
        Ok(Ok(body)) => Ok(body),
        Ok(Err(err)) => Err(match err.as_response_error().status_code() {
            StatusCode::PAYLOAD_TOO_LARGE => Refusal::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "PAYLOAD_TOO_LARGE",
                format!("the request body exceeds the limit of {limit} bytes"),
            ),
            _ => Refusal::bad_request(format!("the request body could not be read: {err}")),
        }),
        Err(_) => {
            tracing::info!("request body not received in time");
            Err(Refusal::new(
                StatusCode::REQUEST_TIMEOUT,
                "TIMEOUT",
                format!("the request body did not arrive within {}s", timeout.as_secs()),
            )
            .close())
        }
    }
}
