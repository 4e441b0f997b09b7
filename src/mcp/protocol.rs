//! JSON-RPC 2.0 messages of MCP for a tools-only server.
use super::tools;
use crate::http::{graphql::execute, AppState};
use crate::services::RequestContext;
use serde_json::{json, Map, Value};

/// The protocol version we speak; an initialize asking for one of `SUPPORTED` gets it echoed.
pub const PROTOCOL_VERSION: &str = "2025-06-18";
const SUPPORTED: &[&str] = &["2025-06-18", "2025-03-26", "2024-11-05"];

/// Answers one JSON-RPC message (or batch); `None` when nothing is to be sent back (notifications).
pub async fn handle(state: &AppState, context: &RequestContext, message: Value) -> Option<Value> {
    match message {
        Value::Array(messages) => {
            let mut replies = Vec::new();
            for message in messages {
                if let Some(reply) = Box::pin(handle(state, context, message)).await {
                    replies.push(reply);
                }
            }
            (!replies.is_empty()).then_some(Value::Array(replies))
        }
        Value::Object(message) => handle_one(state, context, message).await,
        _ => Some(error(
            Value::Null,
            -32600,
            "invalid request: expected a JSON-RPC object",
        )),
    }
}

async fn handle_one(state: &AppState, context: &RequestContext, message: Map<String, Value>) -> Option<Value> {
    let id = message.get("id").cloned();
    let Some(method) = message.get("method").and_then(Value::as_str) else {
        // A response from the client (we send no requests) or garbage.
        return id.map(|id| error(id, -32600, "invalid request: no method"));
    };
    let id = match id {
        Some(id) => id,
        None => return None, // a notification: initialized, cancelled, … nothing to answer
    };
    let params = message.get("params").cloned().unwrap_or(Value::Null);
    let result = match method {
        "initialize" => Ok(initialize(&params)),
        "ping" => Ok(json!({})),
        "tools/list" => Ok(json!({ "tools": tools::list() })),
        "tools/call" => call(state, context, &params).await,
        other => Err((-32601, format!("method not found: {other}"))),
    };
    Some(match result {
        Ok(result) => json!({ "jsonrpc": "2.0", "id": id, "result": result }),
        Err((code, message)) => error(id, code, &message),
    })
}

fn initialize(params: &Value) -> Value {
    let asked = params
        .get("protocolVersion")
        .and_then(Value::as_str)
        .unwrap_or(PROTOCOL_VERSION);
    let version = if SUPPORTED.contains(&asked) {
        asked
    } else {
        PROTOCOL_VERSION
    };
    json!({
        "protocolVersion": version,
        "capabilities": { "tools": { "listChanged": false } },
        "serverInfo": { "name": "expansion-api", "version": env!("CARGO_PKG_VERSION") },
        "instructions": "Renewal and expansion answers computed from the book of business. Every tool takes as_of (YYYY-MM-DD) for reproducible answers; money is a decimal string in major units.",
    })
}

/// Runs a tool: its operation through the schema; GraphQL errors become `isError` results.
async fn call(state: &AppState, context: &RequestContext, params: &Value) -> Result<Value, (i64, String)> {
    let name = params
        .get("name")
        .and_then(Value::as_str)
        .ok_or((-32602, "tools/call needs a tool `name`".to_owned()))?;
    let operation = tools::find(name).ok_or_else(|| (-32602, format!("unknown tool: {name}")))?;
    let empty = Map::new();
    let arguments = match params.get("arguments") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(arguments)) => arguments,
        Some(_) => {
            crate::telemetry::meter::mcp_tool_call(operation.tool, false);
            return Ok(tool_result(failed("BAD_USER_INPUT", "`arguments` must be an object")));
        }
    };
    let variables = match tools::variables(operation, arguments) {
        Ok(variables) => variables,
        Err(message) => {
            crate::telemetry::meter::mcp_tool_call(operation.tool, false);
            return Ok(tool_result(failed("BAD_USER_INPUT", &message)));
        }
    };
    let request = async_graphql::Request::new(operation.document)
        .operation_name(operation.operation_name)
        .variables(async_graphql::Variables::from_json(variables));
    let response = execute(state, context, request).await;
    crate::telemetry::meter::mcp_tool_call(operation.tool, response.errors.is_empty());
    if let Some(error) = response.errors.first() {
        let extension = |name: &str| error.extensions.as_ref().and_then(|e| e.get(name)).cloned();
        let code = extension("code").map(|c| c.to_string().trim_matches('"').to_owned());
        let mut body = failed(
            code.as_deref().unwrap_or("INTERNAL_SERVER_ERROR"),
            &in_tool_terms(operation, &error.message),
        );
        // The bad arguments, named as the tool names them (`as_of`, not `$asOf`).
        if let Some(fields) = extension("fields").and_then(|f| f.into_json().ok()) {
            let text = in_tool_terms(operation, &fields.to_string());
            body["fields"] = serde_json::from_str(&text).unwrap_or(fields);
        }
        return Ok(tool_result(body));
    }
    let data = response.data.into_json().unwrap_or(Value::Null);
    // `{status: "success", …}` with the fields of the operation's one root field.
    // Operations alias any field of their own named `status`, so nothing shadows ours.
    let mut body = Map::new();
    body.insert("status".into(), json!("success"));
    if let Some(Value::Object(root)) = data.as_object().and_then(|d| d.values().next()).cloned() {
        body.extend(root.into_iter().filter(|(key, _)| key != "status"));
    }
    Ok(tool_result(Value::Object(body)))
}

/// Error text about the operation's variables rewritten with the tool's argument names.
fn in_tool_terms(operation: &crate::operations::Operation, text: &str) -> String {
    let mut text = text.to_owned();
    // Longest variable first, so `$clientIds` is not cut by `$clientId`.
    let mut arguments: Vec<_> = operation.arguments.iter().collect();
    arguments.sort_by_key(|a| std::cmp::Reverse(a.variable.len()));
    for argument in arguments {
        text = text.replace(&format!("${}", argument.variable), argument.name);
    }
    text
}

fn failed(code: &str, message: &str) -> Value {
    json!({ "status": "failed", "error": format!("{code}: {message}"), "code": code })
}

/// The answer once, as JSON text: the tools declare no `outputSchema`, so a `structuredContent` copy
/// would only double what an agent reads and pays for.
fn tool_result(body: Value) -> Value {
    let is_error = body["status"] == "failed";
    json!({ "content": [{ "type": "text", "text": body.to_string() }], "isError": is_error })
}

fn error(id: Value, code: i64, message: &str) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } })
}

/// The answer to a message whose caller was refused (stdio without a valid `EXPANSION_TOKEN`):
/// the same error for every request in it, nothing for notifications.
pub fn refuse(message: &Value, code: &str, text: &str) -> Option<Value> {
    let refuse_one = |m: &Value| {
        m.get("id")
            .map(|id| error(id.clone(), -32001, &format!("{code}: {text}")))
    };
    match message {
        Value::Array(messages) => {
            let replies: Vec<Value> = messages.iter().filter_map(refuse_one).collect();
            (!replies.is_empty()).then_some(Value::Array(replies))
        }
        other => refuse_one(other),
    }
}
