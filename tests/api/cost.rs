//! Query cost: reported on every response, aliases capped before any SQL, process fields priced
//! as the whole-book reads they are, and the per-caller budget answering 429.
use crate::helpers::*;
use crate::on_both_backends;
use serde_json::{json, Value};

on_both_backends! {
    async fn every_response_reports_its_cost_and_the_budget_left(backend: Backend) {
        let open = spawn_app(backend).await.expect("app");
        let page = "{ clients(first: 10) { nodes { id name } } }";
        let anonymous = open.graphql(page, json!({})).await;
        let cost = &anonymous["extensions"]["cost"];
        assert_eq!((cost["requested"].as_u64(), cost["remaining"].as_u64()), (Some(40), Some(500_000)), "no bucket: {anonymous}");
        let app = open.with_token(&open.create_token("reader", "VIEWER").await);
        let response = app.graphql(page, json!({})).await;
        let cost = &response["extensions"]["cost"];
        // clients: 10 × (1 + nodes (1 + id 1 + name 1)) = 40.
        assert_eq!(cost["requested"], 40, "{response}");
        assert_eq!(cost["limit"], 500_000);
        assert_eq!(cost["remaining"], 500_000 - 40);
        assert!(cost["resetSeconds"].as_u64().is_some_and(|s| s <= 1));
        let forecast = app.graphql("{ renewalForecast { summary { totalRenewals } } }", json!({})).await;
        assert!(forecast["extensions"]["cost"]["requested"].as_u64().is_some_and(|c| c >= 1_000), "{forecast}");
    }
}

on_both_backends! {
    async fn a_thousand_aliases_are_refused_before_any_sql_runs(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let token = app.create_token("bulk", "VIEWER").await;
        let fields: String = (0..1000).map(|i| format!("a{i}: renewalForecast {{ summary {{ totalRenewals }} }} ")).collect();
        let query = format!("{{ {fields} }}");
        assert!(query.len() > 50_000, "the ~60 KB request of the issue");
        app.graphql_as(&token, "{ __typename }", json!({})).await; // the token's first use is noted
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let before = app.sql_statements.get();
        let started = std::time::Instant::now();
        let response = app.graphql_as(&token, &query, json!({})).await;
        let elapsed = started.elapsed();
        let statements = app.sql_statements.get() - before;
        assert_eq!(error_code(&response), "QUERY_TOO_COMPLEX", "{response}");
        assert_eq!(response["errors"][0]["extensions"]["aliases"], 1000);
        assert_eq!(response["errors"][0]["extensions"]["limit"], 30);
        assert_eq!(statements, 0, "no statement on the operations' pool (the token is looked up in its own)");
        eprintln!("1,000-alias request refused in {elapsed:?}");
    }
}

async fn post_status(app: &TestApp, query: &str) -> (u16, Option<String>, Value) {
    let mut request = app.http.post(format!("{}/graphql", app.address));
    if let Some(token) = &app.bearer {
        request = request.bearer_auth(token);
    }
    let response = request.json(&json!({ "query": query })).send().await.expect("sent");
    let status = response.status().as_u16();
    let retry = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().expect("ascii").to_owned());
    (status, retry, response.json().await.expect("json"))
}

on_both_backends! {
    async fn a_tokens_budget_answers_429_with_retry_after_once_spent(backend: Backend) {
        let app = spawn_app_with(backend, |s| {
            s.rate_limit.cost_per_second = 1;
            s.rate_limit.burst = 100;
        })
        .await
        .expect("app");
        let app = app.with_token(&app.create_token("busy", "VIEWER").await);
        let page = "{ clients(first: 20) { nodes { id } } }"; // 20 × 3 = 60
        assert_eq!(post_status(&app, page).await.0, 200);
        let (status, retry, body) = post_status(&app, page).await;
        assert_eq!(status, 429, "{body}");
        assert_eq!(error_code(&body), "RATE_LIMITED");
        assert!(retry.and_then(|r| r.parse::<u64>().ok()).is_some_and(|s| (1..=60).contains(&s)));
        let (status, _, _) = post_status(&app, "{ __typename }").await;
        assert_eq!(status, 200, "a cheap operation still fits");
        let other = app.with_token(&app.create_token("quiet", "VIEWER").await);
        assert_eq!(post_status(&other, page).await.0, 200, "another token has its own bucket");
    }
}

on_both_backends! {
    async fn anonymous_callers_of_an_open_server_have_a_bucket_per_address_only_when_configured(backend: Backend) {
        let page = "{ clients(first: 20) { nodes { id } } }";
        let unlimited = spawn_app_with(backend, |s| {
            s.rate_limit.cost_per_second = 1;
            s.rate_limit.burst = 100;
        })
        .await
        .expect("app");
        for _ in 0..3 {
            assert_eq!(post_status(&unlimited, page).await.0, 200, "no bucket by default");
        }
        let limited = spawn_app_with(backend, |s| {
            s.rate_limit.cost_per_second = 1;
            s.rate_limit.burst = 100;
            s.rate_limit.anonymous = true;
        })
        .await
        .expect("app");
        assert_eq!(post_status(&limited, page).await.0, 200);
        assert_eq!(post_status(&limited, page).await.0, 429, "the address's bucket is spent");
    }
}
