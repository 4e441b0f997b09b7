//! `expansion-api mcp`: MCP over stdio for desktop agents — one JSON-RPC message per line in,
//! one per line out; logs go to stderr.
use crate::http::AppState;
use crate::services::RequestContext;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// Serves stdin → stdout until stdin closes.
pub async fn serve(state: &AppState) -> anyhow::Result<()> {
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    let mut stdout = tokio::io::stdout();
    while let Some(line) = lines.next_line().await? {
        if line.trim().is_empty() {
            continue;
        }
        let context = RequestContext {
            now: chrono::Utc::now(),
            request_id: uuid::Uuid::new_v4().to_string(),
            actor: "stdio".to_owned(),
        };
        let reply = match serde_json::from_str(&line) {
            Ok(message) => super::handle(state, &context, message).await,
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
