//! Time limits that release what they hold: a request over `limits.request_timeout_secs` is
//! `TIMEOUT` and writes nothing; a request that cannot get a pooled connection within
//! `database.acquire_timeout_secs` is `SERVICE_UNAVAILABLE` (HTTP 503, `Retry-After`), never
//! `INTERNAL_SERVER_ERROR`. The database is made to wait by a lock held from outside the server.
use crate::helpers::*;
use crate::on_both_backends;
use sea_orm::sqlx::{self, Connection};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const CREATE_PRODUCT: &str = r#"mutation { createProduct(input: { id: "slow", name: "Slow Suite", family: "integrations", kind: ADDON, pricing: FLAT, annualPrice: "1500" }) { id } }"#;

/// A connection of the test's own that holds the product table's write lock until dropped.
enum Lock {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

async fn lock_products(app: &TestApp, backend: Backend) -> Lock {
    match backend {
        Backend::Sqlite => {
            let mut connection = sqlx::SqliteConnection::connect(&app.database_url)
                .await
                .expect("second SQLite connection");
            sqlx::query("BEGIN IMMEDIATE")
                .execute(&mut connection)
                .await
                .expect("write lock");
            Lock::Sqlite(connection)
        }
        Backend::Postgres => {
            let mut connection = sqlx::PgConnection::connect(&app.database_url)
                .await
                .expect("second PostgreSQL connection");
            sqlx::query("BEGIN").execute(&mut connection).await.expect("begin");
            sqlx::query("LOCK TABLE product IN ACCESS EXCLUSIVE MODE")
                .execute(&mut connection)
                .await
                .expect("table lock");
            Lock::Postgres(connection)
        }
    }
}

async fn release(lock: Lock) {
    match lock {
        Lock::Sqlite(mut c) => drop(sqlx::query("ROLLBACK").execute(&mut c).await.expect("rollback")),
        Lock::Postgres(mut c) => drop(sqlx::query("ROLLBACK").execute(&mut c).await.expect("rollback")),
    }
}

fn codes(response: &Value) -> Vec<String> {
    response["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["extensions"]["code"].as_str().unwrap_or("none").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

on_both_backends! {
    async fn a_request_over_its_time_limit_is_timeout_writes_nothing_and_frees_its_connection(backend: Backend) {
        let app = spawn_app_with(backend, |s| s.limits.request_timeout_secs = 1).await.expect("app");
        let lock = lock_products(&app, backend).await;

        let started = Instant::now();
        let timed_out = app.graphql(CREATE_PRODUCT, json!({})).await;
        assert_eq!(codes(&timed_out), ["TIMEOUT"], "{timed_out}");
        assert!(started.elapsed() < Duration::from_secs(5), "answered at the limit, not after the lock");
        assert_eq!(timed_out["errors"][0]["message"], "request exceeded the 1s time limit");

        release(lock).await;
        // The abandoned transaction is rolled back; the server still has its connections.
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(app.count("product").await, 0, "the timed-out mutation wrote nothing");
        let again = app.graphql(CREATE_PRODUCT, json!({})).await;
        assert_eq!(again["data"]["createProduct"]["id"], "slow", "{again}");
    }
}

on_both_backends! {
    async fn an_exhausted_pool_is_503_service_unavailable_with_retry_after(backend: Backend) {
        let app = spawn_app_with(backend, |s| {
            s.max_connections = 1;
            s.database.acquire_timeout_secs = 1;
        })
        .await
        .expect("app");
        // The test takes the server's only pooled connection itself (TestApp.db is that pool).
        let held = sea_orm::TransactionTrait::begin(&app.db).await.expect("the pool's connection");

        let started = Instant::now();
        let response = app
            .http
            .post(format!("{}/graphql", app.address))
            .json(&json!({ "query": "{ a: products { id } b: products { id } c: clients(first: 1) { totalCount } }" }))
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status().as_u16(), 503);
        assert_eq!(response.headers()["retry-after"], "1");
        let body: Value = response.json().await.expect("json");
        let codes = codes(&body);
        assert!(!codes.is_empty() && codes.iter().all(|c| c == "SERVICE_UNAVAILABLE"), "{body}");
        assert!(started.elapsed() < Duration::from_secs(5), "answered after the acquire timeout, not later");

        held.rollback().await.expect("released");
        let after = app.graphql(CREATE_PRODUCT, json!({})).await;
        assert_eq!(after["data"]["createProduct"]["id"], "slow", "served again once a connection is free: {after}");
    }
}
