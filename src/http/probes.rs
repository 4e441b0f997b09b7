//! Liveness, readiness and Prometheus metrics.
use super::AppState;
use crate::db;
use actix_web::{web, HttpResponse};
use std::sync::atomic::Ordering;

/// `GET /health`: the process is up.
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

/// `GET /ready`: the database answers (503 otherwise).
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    match db::ping(&state.db).await {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({ "status": "ready", "database": "ok" })),
        Err(err) => {
            tracing::warn!(error = ?err, "readiness check failed");
            HttpResponse::ServiceUnavailable()
                .json(serde_json::json!({ "status": "unavailable", "database": "unreachable" }))
        }
    }
}

/// `GET /metrics`: counters in the Prometheus text format.
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let body = format!(
        "# HELP expansion_sql_statements_total SQL statements sent to the database.\n\
         # TYPE expansion_sql_statements_total counter\n\
         expansion_sql_statements_total {}\n\
         # HELP expansion_graphql_requests_total GraphQL operations executed.\n\
         # TYPE expansion_graphql_requests_total counter\n\
         expansion_graphql_requests_total {}\n\
         # HELP expansion_webhook_attempts_total Webhook delivery attempts by this server, by outcome.\n\
         # TYPE expansion_webhook_attempts_total counter\n\
         expansion_webhook_attempts_total{{outcome=\"delivered\"}} {}\n\
         expansion_webhook_attempts_total{{outcome=\"retried\"}} {}\n\
         expansion_webhook_attempts_total{{outcome=\"failed\"}} {}\n\
         # HELP expansion_webhook_endpoints_disabled_total Endpoints this server disabled after repeated failures.\n\
         # TYPE expansion_webhook_endpoints_disabled_total counter\n\
         expansion_webhook_endpoints_disabled_total {}\n",
        state.sql_statements.get(),
        state.graphql_requests.load(Ordering::Relaxed),
        state.deliveries.delivered.load(Ordering::Relaxed),
        state.deliveries.retried.load(Ordering::Relaxed),
        state.deliveries.failed.load(Ordering::Relaxed),
        state.deliveries.endpoints_disabled.load(Ordering::Relaxed),
    );
    HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(body)
}
