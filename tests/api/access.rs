//! Tokens and roles on every entry point: who may read and write, unknown, revoked and expired
//! tokens, the open loopback mode and its end, MCP with and without a token, the audit actor.
use crate::helpers::*;
use crate::on_both_backends;
use serde_json::{json, Value};

const PRODUCT: &str = r#"mutation { createProduct(input: { id: "api", name: "API Suite", family: "integrations", kind: ADDON, pricing: FLAT, annualPrice: "1500" }) { id } }"#;

/// (operation, what VIEWER, CSM and ADMIN get: `ok` or the first error's code).
const MATRIX: &[(&str, [&str; 3])] = &[
    ("{ products { id } }", ["ok", "ok", "ok"]),
    ("{ clients(first: 1) { totalCount } }", ["ok", "ok", "ok"]),
    (
        r#"mutation { completeReminder(id: "999") { id } }"#,
        ["FORBIDDEN", "NOT_FOUND", "NOT_FOUND"],
    ),
    (
        r#"mutation { negotiateRenewal(clientId: "nobody") { id } }"#,
        ["FORBIDDEN", "NOT_FOUND", "NOT_FOUND"],
    ),
    (
        r#"mutation { closeRenewal(renewalId: "RNW-999", finalArr: "1.00") { renewal { id } } }"#,
        ["FORBIDDEN", "NOT_FOUND", "NOT_FOUND"],
    ),
    (
        r#"mutation { updateOpportunity(id: "EXP-999", expectedVersion: 1, input: {}) { id } }"#,
        ["FORBIDDEN", "NOT_FOUND", "NOT_FOUND"],
    ),
    (
        r#"mutation { updateClient(id: "nobody", expectedVersion: 1, input: {}) { id } }"#,
        ["FORBIDDEN", "FORBIDDEN", "NOT_FOUND"],
    ),
    (PRODUCT, ["FORBIDDEN", "FORBIDDEN", "ok"]),
    // Webhooks are ADMIN's, reading included (URLs and delivery logs say where events go).
    ("{ webhookEndpoints { id } }", ["FORBIDDEN", "FORBIDDEN", "ok"]),
    (
        r#"{ webhookDeliveries(endpointId: "999") { totalCount } }"#,
        ["FORBIDDEN", "FORBIDDEN", "NOT_FOUND"],
    ),
    (
        r#"mutation { deleteWebhookEndpoint(id: "999") }"#,
        ["FORBIDDEN", "FORBIDDEN", "NOT_FOUND"],
    ),
    (
        r#"mutation { redeliverWebhook(deliveryId: "999") { id } }"#,
        ["FORBIDDEN", "FORBIDDEN", "NOT_FOUND"],
    ),
    (
        r#"mutation { createWebhookEndpoint(url: "https://hooks.example.com/x", events: [OPPORTUNITY_WON]) { secret } }"#,
        ["FORBIDDEN", "FORBIDDEN", "ok"],
    ),
];

fn outcome(response: &Value) -> String {
    match response["errors"].as_array() {
        None => "ok".to_owned(),
        Some(_) => error_code(response).to_owned(),
    }
}

on_both_backends! {
    async fn each_role_may_do_what_its_role_allows_and_is_told_the_role_it_lacks(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let tokens = [
            app.create_token("vera", "VIEWER").await,
            app.create_token("casey", "CSM").await,
            app.create_token("avery", "ADMIN").await,
        ];
        for (operation, expected) in MATRIX {
            for (token, want) in tokens.iter().zip(expected) {
                let response = app.graphql_as(token, operation, json!({})).await;
                assert_eq!(outcome(&response), *want, "{operation}: {response}");
            }
        }
        let refused = app.graphql_as(&tokens[1], PRODUCT, json!({})).await;
        assert_eq!(refused["errors"][0]["message"], "createProduct needs the ADMIN role; this token has CSM");
    }
}

async fn status_of(app: &TestApp, authorization: Option<&str>) -> (u16, Option<String>, Value) {
    let mut request = app
        .http
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": "{ products { id } }" }));
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    let response = request.send().await.expect("sent");
    let status = response.status().as_u16();
    let challenge = response
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().expect("ascii").to_owned());
    (status, challenge, response.json().await.expect("json"))
}

on_both_backends! {
    async fn unknown_revoked_and_expired_tokens_are_401_with_a_bearer_challenge(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let good = app.create_token("good", "VIEWER").await;
        let revoked = app.create_token("gone", "ADMIN").await;
        expansion_api::services::tokens::revoke(&app.db, "gone", chrono::Utc::now()).await.expect("revoked");
        let long_ago = chrono::Utc::now() - chrono::Duration::days(3);
        let expired = expansion_api::services::tokens::create(&app.db, "old", expansion_api::domain::Role::Admin, Some(1), long_ago)
            .await
            .expect("created")
            .secret;
        assert_eq!(status_of(&app, Some(&format!("Bearer {good}"))).await.0, 200);
        for secret in ["exp_made_up".to_owned(), revoked, expired] {
            let (status, challenge, body) = status_of(&app, Some(&format!("Bearer {secret}"))).await;
            assert_eq!((status, challenge.as_deref()), (401, Some("Bearer")), "{body}");
            assert_eq!(error_code(&body), "UNAUTHENTICATED");
        }
        let (status, _, _) = status_of(&app, Some("Basic dXNlcjpwYXNz")).await;
        assert_eq!(status, 401, "another scheme is not ignored");
    }
}

on_both_backends! {
    async fn anonymous_callers_are_served_until_a_token_exists_then_refused(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        assert_eq!(status_of(&app, None).await.0, 200, "open on loopback while no token exists");
        app.create_token("first", "VIEWER").await;
        let (status, challenge, body) = status_of(&app, None).await;
        assert_eq!((status, challenge.as_deref()), (401, Some("Bearer")), "{body}");
        let get = app.http.get(format!("{}/graphql?query=%7B__typename%7D", app.address)).send().await.expect("sent");
        assert_eq!(get.status().as_u16(), 401, "GET too");
        let (mcp_status, _) = mcp(&app, None).await;
        assert_eq!(mcp_status, 401, "and /mcp");
    }
}

on_both_backends! {
    async fn an_open_server_refuses_a_foreign_host(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let response = app
            .http
            .post(format!("{}/graphql", app.address))
            .header("host", "attacker.example")
            .json(&json!({ "query": "{ products { id } }" }))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status().as_u16(), 403);
        let body: Value = response.json().await.expect("json");
        assert_eq!(error_code(&body), "FORBIDDEN");
    }
}

on_both_backends! {
    async fn the_audit_row_names_the_actor_token_and_never_its_secret(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let secret = app.create_token("avery-admin", "ADMIN").await;
        let created = app.graphql_as(&secret, PRODUCT, json!({})).await;
        assert_eq!(created["data"]["createProduct"]["id"], "api", "{created}");
        let id = app.count_where("api_token", "name = 'avery-admin'").await;
        assert_eq!(id, 1);
        assert_eq!(
            app.count_where("audit_log", "operation = 'createProduct' AND actor = 'avery-admin' AND actor_token_id = (SELECT id FROM api_token WHERE name = 'avery-admin')").await,
            1
        );
        assert_eq!(app.count_where("audit_log", &format!("actor LIKE '%{}%'", &secret[4..20])).await, 0);
    }
}

const CALL: &str = "negotiate_renewals";

/// The `code` of a failed tool call (MCP answers once, as text).
fn tool_code(reply: &Value) -> Value {
    let text = reply["result"]["content"][0]["text"]
        .as_str()
        .unwrap_or_else(|| panic!("{reply}"));
    serde_json::from_str::<Value>(text).expect("JSON text")["code"].clone()
}

/// POSTs a `tools/call` of `negotiate_renewals` (a writing tool) to `/mcp`.
async fn mcp(app: &TestApp, token: Option<&str>) -> (u16, Value) {
    let message = json!({ "jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": { "name": CALL, "arguments": { "client_id": "nobody" } } });
    let mut request = app.http.post(format!("{}/mcp", app.address)).json(&message);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("sent");
    let status = response.status().as_u16();
    (status, response.json().await.expect("json"))
}

on_both_backends! {
    async fn mcp_over_http_needs_a_token_and_a_writing_role_for_writing_tools(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let viewer = app.create_token("agent-v", "VIEWER").await;
        let csm = app.create_token("agent-c", "CSM").await;
        assert_eq!(mcp(&app, None).await.0, 401);
        assert_eq!(mcp(&app, Some("exp_unknown")).await.0, 401);
        let (status, body) = mcp(&app, Some(&viewer)).await;
        assert_eq!(status, 200);
        assert_eq!(tool_code(&body), "FORBIDDEN", "{body}");
        let (_, body) = mcp(&app, Some(&csm)).await;
        assert_eq!(tool_code(&body), "NOT_FOUND", "the CSM got past the guard: {body}");
    }
}

/// Runs `expansion-api mcp` on `url` with `token` and returns the reply to one `tools/call`.
async fn stdio_call(url: &str, token: Option<&str>) -> Value {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_expansion-api"));
    command
        .arg("mcp")
        .env("DATABASE_URL", url)
        .env_remove("EXPANSION_TOKEN");
    if let Some(token) = token {
        command.env("EXPANSION_TOKEN", token);
    }
    let mut child = command
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("mcp started");
    let mut stdin = child.stdin.take().expect("stdin");
    let message = json!({ "jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": { "name": CALL, "arguments": { "client_id": "nobody" } } });
    stdin.write_all(format!("{message}\n").as_bytes()).await.expect("write");
    stdin.flush().await.expect("flush");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let line = tokio::time::timeout(std::time::Duration::from_secs(60), lines.next_line())
        .await
        .expect("in time")
        .expect("read")
        .expect("a line");
    drop(stdin);
    let _ = child.wait().await;
    serde_json::from_str(&line).expect("JSON line")
}

on_both_backends! {
    async fn mcp_over_stdio_takes_its_token_from_expansion_token(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let open = stdio_call(&app.database_url, None).await;
        assert_eq!(tool_code(&open), "NOT_FOUND", "open while no token exists: {open}");
        let viewer = app.create_token("desk-v", "VIEWER").await;
        let csm = app.create_token("desk-c", "CSM").await;
        let anonymous = stdio_call(&app.database_url, None).await;
        assert!(anonymous["error"]["message"].as_str().is_some_and(|m| m.starts_with("UNAUTHENTICATED")), "{anonymous}");
        let unknown = stdio_call(&app.database_url, Some("exp_nope")).await;
        assert!(unknown["error"]["message"].as_str().is_some_and(|m| m.starts_with("UNAUTHENTICATED")), "{unknown}");
        let forbidden = stdio_call(&app.database_url, Some(&viewer)).await;
        assert_eq!(tool_code(&forbidden), "FORBIDDEN", "{forbidden}");
        let allowed = stdio_call(&app.database_url, Some(&csm)).await;
        assert_eq!(tool_code(&allowed), "NOT_FOUND", "{allowed}");
    }
}

on_both_backends! {
    async fn a_used_token_revoked_here_is_refused_at_once_and_revoked_elsewhere_within_the_cache_time(backend: Backend) {
        let app = spawn_app_with(backend, |s| s.token_cache_secs = 2).await.expect("app");
        let here = app.create_token("here", "VIEWER").await;
        let elsewhere = app.create_token("elsewhere", "VIEWER").await;
        for secret in [&here, &elsewhere] {
            assert_eq!(status_of(&app, Some(&format!("Bearer {secret}"))).await.0, 200, "remembered now");
        }
        expansion_api::services::tokens::revoke(&app.db, "here", chrono::Utc::now()).await.expect("revoked");
        assert_eq!(status_of(&app, Some(&format!("Bearer {here}"))).await.0, 401, "this process forgets at once");

        // Another process (the `token` CLI) revokes the other one: the server learns it when its
        // cached lookup expires.
        let revoked = std::process::Command::new(env!("CARGO_BIN_EXE_expansion-api"))
            .args(["token", "revoke", "elsewhere"])
            .env("DATABASE_URL", &app.database_url)
            .output()
            .expect("token revoke ran");
        assert!(revoked.status.success(), "{}", String::from_utf8_lossy(&revoked.stderr));
        let started = std::time::Instant::now();
        while status_of(&app, Some(&format!("Bearer {elsewhere}"))).await.0 == 200 {
            assert!(started.elapsed() < std::time::Duration::from_secs(4), "still accepted after the cache time");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}
