//! Operations (DESIGN §8): `/metrics` parsed as Prometheus text, `/ready` with a busy pool,
//! `/health` without the database.
use crate::helpers::*;
use crate::on_both_backends;
use prometheus_parse::{Scrape, Value as Metric};
use sea_orm::TransactionTrait;
use serde_json::json;
use std::time::{Duration, Instant};

async fn scrape(app: &TestApp) -> Scrape {
    let response = app
        .http
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    let text = response.text().await.expect("text");
    Scrape::parse(text.lines().map(|l| Ok(l.to_owned()))).expect("Prometheus text format")
}

/// Observations of the histogram `name` whose labels include `labels` (0 when absent).
fn histogram_count(scrape: &Scrape, name: &str, labels: &[(&str, &str)]) -> f64 {
    scrape
        .samples
        .iter()
        .filter(|s| s.metric == name && labels.iter().all(|(k, v)| s.labels.get(k) == Some(v)))
        .map(|s| match &s.value {
            Metric::Histogram(buckets) => buckets.iter().map(|b| b.count).fold(0.0, f64::max),
            _ => 0.0,
        })
        .sum()
}

/// The value of the counter or gauge `name` with `labels`.
fn value(scrape: &Scrape, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    scrape
        .samples
        .iter()
        .find(|s| s.metric == name && labels.iter().all(|(k, v)| s.labels.get(k) == Some(v)))
        .map(|s| match s.value {
            Metric::Counter(v) | Metric::Gauge(v) | Metric::Untyped(v) => v,
            _ => f64::NAN,
        })
}

on_both_backends! {
    async fn metrics_scrape_parses_and_counts_operations_sql_statuses_and_errors(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let before = scrape(&app).await;
        let named = [("operation", "MetricsProbe"), ("outcome", "ok")];
        let failed = [("operation", "anonymous"), ("outcome", "error")];
        app.graphql("query MetricsProbe { products { id } }", json!({})).await;
        app.graphql("query MetricsProbe { products { id } }", json!({})).await;
        app.graphql("{ noSuchField }", json!({})).await;
        let after = scrape(&app).await;
        let grew = |name: &str, labels: &[(&str, &str)]| {
            histogram_count(&after, name, labels) - histogram_count(&before, name, labels)
        };
        assert!(grew("expansion_graphql_operation_duration_seconds", &named) >= 2.0, "named operations are timed");
        assert!(grew("expansion_graphql_operation_duration_seconds", &failed) >= 1.0, "failures are timed as errors");
        assert!(grew("expansion_sql_statement_duration_seconds", &[("outcome", "ok")]) >= 1.0);
        let errors = value(&after, "expansion_graphql_errors_total", &[("code", "BAD_USER_INPUT")]).expect("errors by code");
        assert!(errors >= 1.0);
        assert!(value(&after, "expansion_http_responses_total", &[("status", "200")]).expect("by status") >= 3.0);
        assert!(value(&after, "expansion_db_pool_max_connections", &[]).expect("pool limit") >= 1.0);
        assert!(value(&after, "expansion_db_pool_connections", &[("state", "idle")]).is_some());
        assert!(value(&after, "expansion_scheduler_runs_total", &[("outcome", "ok")]).expect("startup run") >= 1.0);
        assert!(value(&after, "expansion_sql_statements_total", &[]).expect("statement count") >= 1.0);
    }
}

on_both_backends! {
    async fn metrics_count_persisted_query_misses_and_mcp_tool_calls(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let before = scrape(&app).await;
        let extension = json!({ "persistedQuery": { "version": 1, "sha256Hash": "00".repeat(32) } });
        app.http.post(format!("{}/graphql", app.address)).json(&json!({ "extensions": extension })).send().await.expect("sent");
        let call = json!({ "jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": { "name": "track_revenue_expansion", "arguments": { "periods": 0 } } });
        app.http.post(format!("{}/mcp", app.address)).json(&call).send().await.expect("sent");
        let after = scrape(&app).await;
        let delta = |name: &str, labels: &[(&str, &str)]| {
            value(&after, name, labels).unwrap_or(0.0) - value(&before, name, labels).unwrap_or(0.0)
        };
        assert!(delta("expansion_apq_total", &[("result", "miss")]) >= 1.0);
        let tool = [("tool", "track_revenue_expansion"), ("outcome", "error")];
        assert!(delta("expansion_mcp_tool_calls_total", &tool) >= 1.0);
    }
}

on_both_backends! {
    async fn ready_answers_within_a_second_while_every_pooled_connection_is_taken(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        // The test server's pool has 5 connections; hold them all.
        let mut held = Vec::new();
        for _ in 0..5 {
            held.push(app.db.begin().await.expect("connection"));
        }
        let started = Instant::now();
        let response = app.http.get(format!("{}/ready", app.address)).send().await.expect("sent");
        assert!(started.elapsed() < Duration::from_secs(1), "took {:?}", started.elapsed());
        assert_eq!(response.status().as_u16(), 200);
        drop(held);
    }
}

on_both_backends! {
    async fn health_sends_no_sql(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let before = app.sql_statements.get();
        for _ in 0..3 {
            let response = app.http.get(format!("{}/health", app.address)).send().await.expect("sent");
            assert_eq!(response.status().as_u16(), 200);
        }
        assert_eq!(app.sql_statements.get(), before);
    }
}
