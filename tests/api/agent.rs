//! The agent interface: named operations, MCP over HTTP and stdio, automatic persisted queries.
use crate::helpers::*;
use crate::on_both_backends;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// The tools every MCP client must find, with an argument set that succeeds on demo data.
fn successful_calls(client_id: &str) -> Vec<(&'static str, Value)> {
    let as_of = chrono::Utc::now().date_naive().to_string();
    let calls = vec![
        (
            "identify_upsell_opportunities",
            json!({ "min_health_score": 60, "as_of": as_of }),
        ),
        (
            "identify_crosssell_opportunities",
            json!({ "product_family": "all", "min_fit_score": 0.3, "as_of": as_of }),
        ),
        (
            "identify_expansion_opportunities",
            json!({ "client_id": client_id, "opportunity_types": ["tier_upgrade", "cross_sell"], "as_of": as_of }),
        ),
        (
            "track_renewals",
            json!({ "client_id": client_id, "days_until_renewal": 400, "as_of": as_of }),
        ),
        (
            "forecast_renewals",
            json!({ "forecast_period_days": 180, "include_risk_analysis": true, "as_of": as_of }),
        ),
        (
            "negotiate_renewals",
            json!({ "client_id": client_id, "negotiation_strategy": "competitive_defense", "as_of": as_of }),
        ),
        (
            "track_revenue_expansion",
            json!({ "time_period": "quarterly", "periods": 2, "as_of": as_of }),
        ),
        (
            "optimize_customer_lifetime_value",
            json!({ "optimization_focus": "balanced", "as_of": as_of }),
        ),
        (
            "list_events",
            json!({ "types": ["opportunity.won", "reminder_due"], "limit": 5 }),
        ),
    ];
    assert_eq!(calls.len(), 9, "one call per tool");
    calls
}

pub async fn rpc(app: &TestApp, message: Value) -> (u16, Value) {
    let response = app
        .http
        .post(format!("{}/mcp", app.address))
        .json(&message)
        .send()
        .await
        .expect("sent");
    let status = response.status().as_u16();
    let body = response.text().await.expect("body");
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

/// The JSON answer of a `tools/call` reply (its one text content).
pub fn tool_body(reply: &Value) -> Value {
    let text = reply["result"]["content"][0]["text"]
        .as_str()
        .unwrap_or_else(|| panic!("no text content: {reply}"));
    serde_json::from_str(text).expect("JSON text")
}

pub async fn first_active_client(app: &TestApp) -> String {
    let response = app
        .graphql(
            // An active client with an open renewal, so every tool (negotiation too) has an answer.
            "{ clients(first: 1, filter: { status: ACTIVE, renewalBefore: \"2999-01-01\" }, orderBy: ID_ASC) { nodes { id } } }",
            json!({}),
        )
        .await;
    response["data"]["clients"]["nodes"][0]["id"]
        .as_str()
        .expect("an active client")
        .to_owned()
}

on_both_backends! {
    async fn every_operation_document_answers_on_demo_data(backend: Backend) {
        let app = spawn_app_with_demo(backend, 40).await.expect("app");
        let listed: Value = app.http.get(format!("{}/operations", app.address)).send().await.expect("sent").json().await.expect("json");
        let operations = listed["operations"].as_array().expect("operations").clone();
        assert_eq!(operations.len(), expansion_api::operations::OPERATIONS.len());
        for op in operations {
            assert!(op["description"].as_str().is_some_and(|d| !d.is_empty()));
            if op["mutation"] == true {
                continue; // run through its MCP tool below, with its required arguments
            }
            let body = json!({ "query": op["document"], "operationName": op["name"], "variables": {} });
            let response: Value = app.http.post(format!("{}/graphql", app.address)).json(&body).send().await.expect("sent").json().await.expect("json");
            assert!(response["errors"].is_null(), "{}: {response}", op["name"]);
            assert!(response["data"].as_object().is_some_and(|d| !d.is_empty()));
        }
    }
}

on_both_backends! {
    async fn mcp_over_http_lists_and_calls_the_tools(backend: Backend) {
        let app = spawn_app_with_demo(backend, 40).await.expect("app");
        let (status, init) = rpc(&app, json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": { "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": { "name": "test", "version": "1" } } })).await;
        assert_eq!(status, 200);
        assert_eq!(init["result"]["protocolVersion"], "2025-06-18");
        let (status, _) = rpc(&app, json!({ "jsonrpc": "2.0", "method": "notifications/initialized" })).await;
        assert_eq!(status, 202);
        let (_, list) = rpc(&app, json!({ "jsonrpc": "2.0", "id": 2, "method": "tools/list" })).await;
        let tools = list["result"]["tools"].as_array().expect("tools").clone();
        assert_eq!(tools.len(), expansion_api::operations::OPERATIONS.len());
        for tool in &tools {
            assert_eq!(tool["inputSchema"]["type"], "object", "{tool}");
            // Every process answers as of a date; the event list reads what already happened.
            let dated = tool["name"] != "list_events";
            assert_eq!(tool["inputSchema"]["properties"]["as_of"].is_object(), dated, "{tool}");
        }
        let client = first_active_client(&app).await;
        for (id, (name, arguments)) in successful_calls(&client).into_iter().enumerate() {
            let (_, reply) = rpc(&app, json!({ "jsonrpc": "2.0", "id": 10 + id, "method": "tools/call", "params": { "name": name, "arguments": arguments } })).await;
            let result = &reply["result"];
            assert_eq!(result["isError"], false, "{name}: {reply}");
            assert_eq!(tool_body(&reply)["status"], "success", "{name}");
            assert!(result["structuredContent"].is_null(), "the answer is sent once, as text");
        }
        let (_, bad) = rpc(&app, json!({ "jsonrpc": "2.0", "id": 50, "method": "tools/call",
            "params": { "name": "track_revenue_expansion", "arguments": { "periods": 0 } } })).await;
        assert_eq!(bad["result"]["isError"], true, "{bad}");
        assert_eq!(tool_body(&bad)["status"], "failed");
        assert_eq!(tool_body(&bad)["code"], "BAD_USER_INPUT");
        let (_, bad_scalars) = rpc(&app, json!({ "jsonrpc": "2.0", "id": 53, "method": "tools/call",
            "params": { "name": "identify_crosssell_opportunities", "arguments": { "min_fit_score": "x", "as_of": "2026-02-30" } } })).await;
        let failure = &tool_body(&bad_scalars);
        assert_eq!(failure["code"], "BAD_USER_INPUT", "{bad_scalars}");
        let mut fields: Vec<&str> = failure["fields"].as_array().expect("fields").iter().map(|f| f["field"].as_str().expect("field")).collect();
        fields.sort();
        assert_eq!(fields, ["as_of", "min_fit_score"], "named as the tool names them: {bad_scalars}");
        assert!(failure["error"].as_str().expect("error").contains("as_of: `2026-02-30` is not a date"), "{bad_scalars}");
        let (_, unknown) = rpc(&app, json!({ "jsonrpc": "2.0", "id": 51, "method": "tools/call", "params": { "name": "nope" } })).await;
        assert_eq!(unknown["error"]["code"], -32602);
        let (_, ping) = rpc(&app, json!({ "jsonrpc": "2.0", "id": 52, "method": "ping" })).await;
        assert_eq!(ping["result"], json!({}));
    }
}

on_both_backends! {
    async fn persisted_queries_miss_then_register_then_hit(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let query = "{ products { id } }";
        let hash = format!("{:x}", Sha256::digest(query.as_bytes()));
        let extension = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
        let url = format!("{}/graphql", app.address);
        let miss: Value = app.http.post(&url).json(&json!({ "extensions": extension })).send().await.expect("sent").json().await.expect("json");
        assert_eq!(error_code(&miss), "PERSISTED_QUERY_NOT_FOUND");
        assert_eq!(miss["errors"][0]["message"], "PersistedQueryNotFound");
        let register: Value = app.http.post(&url).json(&json!({ "query": query, "extensions": extension })).send().await.expect("sent").json().await.expect("json");
        assert_eq!(register["data"]["products"], json!([]), "{register}");
        let hit: Value = app.http.post(&url).json(&json!({ "extensions": extension })).send().await.expect("sent").json().await.expect("json");
        assert_eq!(hit["data"]["products"], json!([]), "{hit}");
        let get_url = format!("{url}?extensions={}", urlencode(&extension.to_string()));
        let over_get: Value = app.http.get(get_url).send().await.expect("sent").json().await.expect("json");
        assert_eq!(over_get["data"]["products"], json!([]), "{over_get}");
    }
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mcp_over_stdio_answers_json_rpc_lines() {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let path = std::env::temp_dir().join(format!("exp_test_mcp_{}.db", uuid::Uuid::new_v4().simple()));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let seeded = std::process::Command::new(env!("CARGO_BIN_EXE_expansion-api"))
        .args(["seed", "--demo", "--clients", "30", "--seed", "7"])
        .env("DATABASE_URL", &url)
        .output()
        .expect("seed ran");
    assert!(seeded.status.success(), "{}", String::from_utf8_lossy(&seeded.stderr));
    let mut child = spawn_mcp_stdio(&url, None);
    let mut stdin = child.stdin.take().expect("stdin");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let messages = [
        json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": { "name": "t", "version": "1" } } }),
        json!({ "jsonrpc": "2.0", "method": "notifications/initialized" }),
        json!({ "jsonrpc": "2.0", "id": 2, "method": "tools/list" }),
        json!({ "jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": { "name": "track_revenue_expansion", "arguments": { "periods": 2 } } }),
        json!({ "jsonrpc": "2.0", "id": 4, "method": "tools/call", "params": { "name": "track_revenue_expansion", "arguments": { "periods": 99 } } }),
        json!({ "jsonrpc": "2.0", "id": 5, "method": "tools/call", "params": { "name": "nope", "arguments": {} } }),
    ];
    for message in &messages {
        stdin.write_all(format!("{message}\n").as_bytes()).await.expect("write");
    }
    stdin.flush().await.expect("flush");
    let mut replies = Vec::new();
    while replies.len() < 5 {
        let line = tokio::time::timeout(std::time::Duration::from_secs(60), lines.next_line())
            .await
            .expect("in time")
            .expect("read")
            .expect("a line");
        replies.push(serde_json::from_str::<Value>(&line).expect("JSON line"));
    }
    assert_eq!(replies[0]["result"]["serverInfo"]["name"], "expansion-api");
    assert_eq!(
        replies[1]["result"]["tools"].as_array().map(Vec::len),
        Some(expansion_api::operations::OPERATIONS.len())
    );
    assert_eq!(tool_body(&replies[2])["status"], "success", "{}", replies[2]);
    assert_eq!(tool_body(&replies[3])["code"], "BAD_USER_INPUT");
    assert_eq!(replies[4]["error"]["code"], -32602);
    drop(stdin);
    let _ = child.wait().await;
    let _ = std::fs::remove_file(path);
}
