//! Liveness, readiness and Prometheus metrics.
//!
//! `/health` answers from the process alone (never the database), so an orchestrator restarts
//! only a process that is really stuck. `/ready` asks the database over a pool of its own and
//! gives up after `READY_TIMEOUT`, so it answers within a second however busy the request pool is.
use super::AppState;
use crate::db;
use crate::telemetry::meter;
use actix_web::{web, HttpResponse};
use std::time::Duration;

/// How long `/ready` waits for the database before answering 503.
const READY_TIMEOUT: Duration = Duration::from_millis(800);

/// `GET /health`: the process is up.
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

/// `GET /ready`: the database answers within `READY_TIMEOUT` (503 otherwise).
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let unavailable = |database: &str| {
        HttpResponse::ServiceUnavailable().json(serde_json::json!({ "status": "unavailable", "database": database }))
    };
    match tokio::time::timeout(READY_TIMEOUT, db::ping(&state.probe_db)).await {
        Ok(Ok(())) => HttpResponse::Ok().json(serde_json::json!({ "status": "ready", "database": "ok" })),
        Ok(Err(err)) => {
            tracing::warn!(error = ?err, "readiness check failed");
            unavailable("unreachable")
        }
        Err(_) => {
            tracing::warn!(
                timeout_ms = READY_TIMEOUT.as_millis() as u64,
                "readiness check timed out"
            );
            unavailable("timeout")
        }
    }
}

/// `GET /metrics`: the Prometheus text format (404 when `metrics.enabled` is false).
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let (size, idle, max) = db::pool::stats(&state.db);
    meter::pool(size, idle, max);
    meter::webhook_deliveries(&state.deliveries);
    match meter::render() {
        Some(body) => HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(body),
        None => HttpResponse::NotFound().body("metrics are off (metrics.enabled = false)\n"),
    }
}
