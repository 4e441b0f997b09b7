//! `POST /mcp`: MCP streamable HTTP with JSON responses (no server-initiated stream, so `GET` is 405).
use crate::http::graphql::request_context;
use crate::http::negotiation::MediaType;
use crate::http::AppState;
use actix_web::{http::header, web, HttpRequest, HttpResponse};

/// One JSON-RPC message or batch per request; notifications are accepted with 202.
pub async fn post(state: web::Data<AppState>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let actor = match crate::http::auth::actor(&state, &req).await {
        Ok(actor) => actor,
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
