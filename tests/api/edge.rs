//! The browser-facing edge: CORS from the allow-list, CSRF-safe content types, `/mcp` origins,
//! and the security headers on every response.
use crate::helpers::*;
use crate::on_both_backends;
use serde_json::json;

const LISTED: &str = "https://app.example.com";

async fn preflight(app: &TestApp, origin: &str) -> reqwest::Response {
    app.http
        .request(reqwest::Method::OPTIONS, format!("{}/graphql", app.address))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "authorization, content-type")
        .send()
        .await
        .expect("sent")
}

on_both_backends! {
    async fn a_listed_origin_gets_its_preflight_answered_with_credentials_and_others_do_not(backend: Backend) {
        let app = spawn_app_with(backend, |s| s.cors.allowed_origins = vec![LISTED.to_owned()]).await.expect("app");
        let allowed = preflight(&app, LISTED).await;
        assert!(allowed.status().is_success(), "{}", allowed.status());
        let header = |r: &reqwest::Response, name: &str| r.headers().get(name).map(|v| v.to_str().expect("ascii").to_owned());
        assert_eq!(header(&allowed, "access-control-allow-origin").as_deref(), Some(LISTED));
        assert_eq!(header(&allowed, "access-control-allow-credentials").as_deref(), Some("true"));
        let refused = preflight(&app, "https://evil.example").await;
        assert!(header(&refused, "access-control-allow-origin").is_none());
        assert!(!refused.status().is_success(), "{}", refused.status());
    }
}

on_both_backends! {
    async fn text_plain_form_and_untyped_posts_are_415_and_write_nothing(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let mutation = r#"mutation { createProduct(input: { id: "api", name: "API Suite", family: "integrations", kind: ADDON, pricing: FLAT, annualPrice: "1500" }) { id } }"#;
        let body = json!({ "query": mutation }).to_string();
        for content_type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""] {
            let mut request = app.http.post(format!("{}/graphql", app.address)).body(body.clone());
            if !content_type.is_empty() {
                request = request.header("content-type", content_type);
            }
            let response = request.send().await.expect("sent");
            assert_eq!(response.status().as_u16(), 415, "{content_type:?}");
            let json: serde_json::Value = response.json().await.expect("JSON error body");
            assert_eq!(error_code(&json), "UNSUPPORTED_MEDIA_TYPE");
        }
        assert_eq!(app.count("product").await, 0);
        assert_eq!(app.count("audit_log").await, 0);
    }
}

on_both_backends! {
    async fn mcp_refuses_a_foreign_origin(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let ping = json!({ "jsonrpc": "2.0", "id": 1, "method": "ping" });
        let send = |origin: &'static str| app.http.post(format!("{}/mcp", app.address)).header("origin", origin).json(&ping).send();
        assert_eq!(send("https://evil.example").await.expect("sent").status().as_u16(), 403);
        let own = send("http://127.0.0.1").await.expect("sent");
        assert_eq!(own.status().as_u16(), 200);
    }
}

on_both_backends! {
    async fn every_response_carries_the_security_headers_and_graphiql_its_policy(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let response = app.http.post(format!("{}/graphql", app.address)).json(&json!({ "query": "{ __typename }" })).send().await.expect("sent");
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["referrer-policy"], "no-referrer");
        assert_eq!(headers["cache-control"], "no-store");
        let page = app.http.get(format!("{}/graphql", app.address)).header("accept", "text/html").send().await.expect("sent");
        let policy = page.headers()["content-security-policy"].to_str().expect("ascii").to_owned();
        assert!(policy.starts_with("default-src 'self'; script-src 'self' 'sha256-"), "{policy}");
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        let asset = app.http.get(format!("{}/graphiql/assets/graphiql.min.js", app.address)).send().await.expect("sent");
        assert_eq!(asset.headers()["cache-control"], "public, max-age=86400", "assets stay cacheable");
    }
}
