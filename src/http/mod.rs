//! HTTP: `/graphql` (POST; GET for queries and GraphiQL), `/health`, `/ready`, `/metrics`, and the
//! GraphiQL assets. Per-request state (loaders, clock, request id) is attached here.
pub mod auth;
pub mod body;
pub mod edge;
pub mod graphiql;
pub mod graphql;
pub mod negotiation;
pub mod operations;
mod params;
pub mod persisted;
mod probes;
pub mod rate_limit;
pub mod reply;
pub mod request_id;
mod subscriptions;

use crate::config::Limits;
use crate::db::{Db, SqlStatementCounter};
use crate::graphql::AppSchema;
use actix_web::{guard, web};
use std::sync::Arc;

pub use request_id::RequestId;

/// Shared by every worker.
pub struct AppState {
    pub schema: AppSchema,
    pub db: Db,
    /// A pool of one connection for `/ready` (the request pool may be busy).
    pub probe_db: Db,
    pub limits: Limits,
    pub clv: crate::processes::lifetime_value::ClvParams,
    pub sql_statements: SqlStatementCounter,
    pub persisted: persisted::PersistedQueries,
    /// The events subscriptions stream.
    pub feed: crate::scheduler::feed::EventFeed,
    /// This server's webhook delivery counters (`/metrics`).
    pub deliveries: Arc<crate::scheduler::delivery::DeliveryCounters>,
    pub gate: auth::Gate,
    pub rate_limiter: rate_limit::RateLimiter,
    /// `cors.allowed_origins`, which `/mcp` also accepts as `Origin`s.
    pub allowed_origins: Vec<String>,
}

/// Registers every route.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/graphql")
            .route(web::post().to(graphql::post))
            .route(
                web::get()
                    .guard(guard::fn_guard(subscriptions::is_upgrade))
                    .to(subscriptions::websocket),
            )
            .route(web::get().to(graphql::get))
            .route(web::route().to(graphql::method_not_allowed)),
    )
    .route("/health", web::get().to(probes::health))
    .route("/ready", web::get().to(probes::ready))
    .route("/metrics", web::get().to(probes::metrics))
    .route("/operations", web::get().to(operations::list))
    .service(
        web::resource("/mcp")
            .route(web::post().to(crate::mcp::http::post))
            .route(web::route().to(crate::mcp::http::not_allowed)),
    )
    .configure(graphiql::configure);
}
