//! `expansion-api mcp`: MCP over stdio for desktop agents — one JSON-RPC message per line in,
//! one per line out; logs go to stderr.
//!
//! The caller's token comes from `EXPANSION_TOKEN` and is checked for every message, so a token
//! revoked mid-session stops working. Without one, stdio is allowed only while no token exists
//! (the same open mode as a loopback HTTP server: only who can start the process can talk to it).
use crate::domain::access::Actor;
use crate::error::Error;
use crate::http::AppState;
use crate::services::{tokens, RequestContext};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// Serves stdin → stdout until stdin closes, as the holder of `token`.
pub async fn serve(state: &AppState, token: Option<String>) -> anyhow::Result<()> {
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    let mut stdout = tokio::io::stdout();
    while let Some(line) = lines.next_line().await? {
        if line.trim().is_empty() {
            continue;
        }
        let now = chrono::Utc::now();
        let reply = match serde_json::from_str(&line) {
            Ok(message) => match actor(state, token.as_deref(), now).await {
                Ok(actor) => {
                    let context = RequestContext {
                        now,
                        request_id: uuid::Uuid::new_v4().to_string(),
                        actor,
                        client: "stdio".to_owned(),
                    };
                    super::handle(state, &context, message).await
                }
                Err(err) => {
                    let code = if matches!(err, Error::Unauthenticated) {
                        "UNAUTHENTICATED"
                    } else {
                        "SERVICE_UNAVAILABLE"
                    };
                    super::refuse(&message, code, &err.message())
                }
            },
            Err(err) => Some(
                serde_json::json!({ "jsonrpc": "2.0", "id": null, "error": { "code": -32700, "message": format!("parse error: {err}") } }),
            ),
        };
        if let Some(reply) = reply {
            stdout.write_all(reply.to_string().as_bytes()).await?;
            stdout.write_all(b"\n").await?;
            stdout.flush().await?;
        }
    }
    Ok(())
}

async fn actor(state: &AppState, token: Option<&str>, now: chrono::DateTime<chrono::Utc>) -> Result<Actor, Error> {
    match token {
        Some(secret) => tokens::authenticate(&state.gate.db, secret, now).await,
        None if state.gate.tokens_exist().await? => Err(Error::Unauthenticated),
        None => Ok(Actor::without_token("stdio")),
    }
}
