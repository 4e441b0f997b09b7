//! `POST /mcp`: MCP streamable HTTP with JSON responses (no server-initiated stream, so `GET` is 405).
use crate::http::edge;
use crate::http::graphql::request_context;
use crate::http::negotiation::MediaType;
use crate::http::reply::Refusal;
use crate::http::AppState;
use actix_web::http::StatusCode;
use actix_web::{http::header, web, HttpRequest, HttpResponse};

/// One JSON-RPC message or batch per request; notifications are accepted with 202.
pub async fn post(state: web::Data<AppState>, req: HttpRequest, payload: web::Payload) -> HttpResponse {
    if let Err(refusal) = edge::check_origin(&state, &req, "use /mcp") {
        return refusal.respond(MediaType::Json);
    }
    if !crate::http::negotiation::has_json_body(&req) {
        let message = "an MCP message must be JSON: send `Content-Type: application/json`";
        return Refusal::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE", message)
            .respond(MediaType::Json);
    }
    let actor = match crate::http::auth::actor(&state, &req).await {
        Ok(actor) => actor,
        Err(refusal) => return refusal.respond(MediaType::Json),
    };
    let timeout = std::time::Duration::from_secs(state.limits.body_timeout_secs);
    let body = match crate::http::body::read(&req, payload, state.limits.max_body_bytes, timeout).await {
        Ok(body) => body,
        Err(refusal) => return refusal.respond(MediaType::Json),
    };
    let message: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(message) => message,
        Err(err) => {
            let reply = serde_json::json!({ "jsonrpc": "2.0", "id": null, "error": { "code": -32700, "message": format!("parse error: {err}") } });
            return HttpResponse::BadRequest().json(reply);
        }
    };
    match super::handle(&state, &request_context(&req, actor), message).await {
        Some(reply) => HttpResponse::Ok().json(reply),
        None => HttpResponse::Accepted().finish(),
    }
}

/// `GET`/`DELETE` and the rest: this server opens no SSE stream and keeps no sessions.
pub async fn not_allowed() -> HttpResponse {
    HttpResponse::MethodNotAllowed()
        .insert_header((header::ALLOW, "POST"))
        .finish()
}
