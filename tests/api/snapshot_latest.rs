//! `usage_snapshot_latest` / `health_snapshot_latest` hold each client's newest snapshot row. They
//! are kept by triggers, so every kind of write must leave them equal to the newest row computed
//! from the history: mutations, multi-row inserts, updates (of values and of dates) and deletes.
use crate::helpers::*;
use crate::on_both_backends;
use entity::{health_snapshot, usage_snapshot};
use sea_orm::{ConnectionTrait, FromQueryResult, Statement};
use serde_json::json;

/// The rows of `sql`, as `M`.
async fn rows<M: FromQueryResult>(app: &TestApp, sql: &str) -> Vec<M> {
    let statement = Statement::from_string(app.db.get_database_backend(), sql.to_owned());
    M::find_by_statement(statement).all(&app.db).await.expect(sql)
}

/// Each copy table equals the newest row per client of its history, column for column.
async fn assert_copies_match(app: &TestApp, step: &str) {
    const NEWEST_USAGE: &str = "SELECT s.* FROM usage_snapshot s WHERE s.period_start = \
        (SELECT MAX(m.period_start) FROM usage_snapshot m WHERE m.client_id = s.client_id) ORDER BY s.client_id";
    const NEWEST_HEALTH: &str = "SELECT s.* FROM health_snapshot s WHERE s.as_of = \
        (SELECT MAX(m.as_of) FROM health_snapshot m WHERE m.client_id = s.client_id) ORDER BY s.client_id";
    let usage: Vec<usage_snapshot::Model> = rows(app, "SELECT * FROM usage_snapshot_latest ORDER BY client_id").await;
    assert!(!usage.is_empty(), "{step}: the demo has usage");
    assert_eq!(
        usage,
        rows::<usage_snapshot::Model>(app, NEWEST_USAGE).await,
        "{step}: usage copy"
    );
    let health: Vec<health_snapshot::Model> =
        rows(app, "SELECT * FROM health_snapshot_latest ORDER BY client_id").await;
    assert!(!health.is_empty(), "{step}: the demo has health");
    assert_eq!(
        health,
        rows::<health_snapshot::Model>(app, NEWEST_HEALTH).await,
        "{step}: health copy"
    );
}

async fn execute(app: &TestApp, sql: &str) {
    app.db.execute_unprepared(sql).await.expect(sql);
}

on_both_backends! {
    async fn every_write_keeps_each_clients_newest_snapshot_copy(backend: Backend) {
        let app = spawn_app_with_demo(backend, 12).await.expect("app");
        assert_copies_match(&app, "after seeding").await;
        let newest: Vec<usage_snapshot::Model> = rows(&app, "SELECT * FROM usage_snapshot_latest ORDER BY client_id").await;
        let (first, second) = (&newest[0], &newest[1]);

        // A newer month through the API, then an older one (a backfill must not replace the copy).
        let record = "mutation($i: RecordUsageInput!) { recordUsage(input: $i) { periodStart } }";
        for month in ["2031-03-01", "2001-01-01"] {
            let input = json!({ "clientId": first.client_id, "periodStart": month, "seatsLicensed": 40,
                "activeUsers": 31, "usageRate": 0.775, "featureAdoption": 0.5 });
            let response = app.graphql(record, json!({ "i": input })).await;
            assert!(response["errors"].is_null(), "{response}");
            assert_copies_match(&app, &format!("recordUsage {month}")).await;
        }

        // One statement inserting several months for two clients (PostgreSQL: one statement trigger).
        execute(&app, &format!(
            "INSERT INTO usage_snapshot (client_id, period_start, seats_licensed, active_users, usage_rate, \
             feature_adoption, api_calls, logins, reports_exported) VALUES \
             ('{a}', '2032-01-01', 10, 5, 0.5, 0.1, 0, 0, 0), ('{a}', '2032-02-01', 10, 6, 0.6, 0.1, 0, 0, 0), \
             ('{b}', '1999-05-01', 10, 7, 0.7, 0.1, 0, 0, 0), ('{b}', '2033-07-01', 10, 8, 0.8, 0.1, 0, 0, 0)",
            a = first.client_id, b = second.client_id)).await;
        assert_copies_match(&app, "multi-row insert").await;

        // Updates: a value of the newest row, then the newest row's date moved into the past.
        execute(&app, &format!("UPDATE usage_snapshot SET active_users = 9 WHERE client_id = '{}' AND period_start = '2033-07-01'", second.client_id)).await;
        assert_copies_match(&app, "update of a value").await;
        execute(&app, &format!("UPDATE usage_snapshot SET period_start = '1990-01-01' WHERE client_id = '{}' AND period_start = '2033-07-01'", second.client_id)).await;
        assert_copies_match(&app, "update of the newest date").await;
        execute(&app, "UPDATE health_snapshot SET overall_score = overall_score / 2").await;
        assert_copies_match(&app, "update of every health row").await;

        // Deletes: the newest row (the next one takes its place), then a client's whole history.
        execute(&app, &format!("DELETE FROM usage_snapshot WHERE client_id = '{}' AND period_start = '2032-02-01'", first.client_id)).await;
        assert_copies_match(&app, "delete of the newest row").await;
        execute(&app, &format!("DELETE FROM usage_snapshot WHERE client_id = '{}'", second.client_id)).await;
        assert_copies_match(&app, "delete of a whole history").await;
        let left: Vec<usage_snapshot::Model> =
            rows(&app, &format!("SELECT * FROM usage_snapshot_latest WHERE client_id = '{}'", second.client_id)).await;
        assert!(left.is_empty(), "no copy without history");
    }
}

on_both_backends! {
    async fn a_client_whose_newest_snapshot_is_after_as_of_is_read_from_its_history(backend: Backend) {
        // The copy holds the newest row; for an asOf before it the processes must still see the
        // newest row on or before asOf. A future month is recorded for every client, and the
        // answers on the demo date (upsell, cross-sell, pipeline, forecast) must not change.
        let app = spawn_app_with_demo(backend, 12).await.expect("app");
        let query = "{ upsellOpportunities(asOf: \"2026-06-30\", minHealthScore: 0, minUsageThreshold: 0) { \
                summary { totalOpportunities totalExpansionValue } opportunities { clientId expansionValue healthScore } } \
            crossSellOpportunities(asOf: \"2026-06-30\") { summary { totalOpportunities totalPotentialArr } } \
            expansionOpportunities(asOf: \"2026-06-30\") { portfolio { totalOpportunities totalPipelineValue weightedValue } } \
            renewalForecast(asOf: \"2026-06-30\") { renewalsDue predictedRenewalRate } }";
        let before = app.graphql(query, json!({})).await;
        assert!(before["errors"].is_null(), "{before}");
        let clients: Vec<usage_snapshot::Model> = rows(&app, "SELECT * FROM usage_snapshot_latest ORDER BY client_id").await;
        let record = "mutation($i: RecordUsageInput!) { recordUsage(input: $i) { periodStart } }";
        let record_health = "mutation($i: RecordHealthScoreInput!) { recordHealthScore(input: $i) { asOf } }";
        for client in &clients {
            let input = json!({ "clientId": client.client_id, "periodStart": "2030-01-01", "seatsLicensed": 1,
                "activeUsers": 0, "usageRate": 0.0, "featureAdoption": 0.0 });
            let response = app.graphql(record, json!({ "i": input })).await;
            assert!(response["errors"].is_null(), "{response}");
            let input = json!({ "clientId": client.client_id, "asOf": "2030-01-01", "usageScore": 1, "engagementScore": 1,
                "supportScore": 1, "satisfactionScore": 1, "paymentScore": 1 });
            let response = app.graphql(record_health, json!({ "i": input })).await;
            assert!(response["errors"].is_null(), "{response}");
        }
        // The whole-book read itself: one row per client, the newest on or before asOf.
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).expect("date");
        let mut read = expansion_api::db::snapshots::latest_usage_all(&app.db, as_of).await.expect("read");
        read.sort_by(|a, b| a.client_id.cmp(&b.client_id));
        let expected: Vec<usage_snapshot::Model> = rows(&app, "SELECT s.* FROM usage_snapshot s WHERE s.period_start = \
            (SELECT MAX(m.period_start) FROM usage_snapshot m WHERE m.client_id = s.client_id AND m.period_start <= '2026-06-30') \
            ORDER BY s.client_id").await;
        let read: Vec<(String, i64)> = read.iter().map(|u| (u.client_id.clone(), u.id)).collect();
        let expected: Vec<(String, i64)> = expected.iter().map(|u| (u.client_id.clone(), u.id)).collect();
        assert_eq!(read, expected);
        let upsell = before["data"]["upsellOpportunities"]["opportunities"].as_array().expect("upsell");
        assert!(!upsell.is_empty(), "{before}");
        assert_eq!(app.graphql(query, json!({})).await, before);
    }
}

on_both_backends! {
    async fn the_copies_migration_rolls_back_and_applies_again(backend: Backend) {
        use migration::MigratorTrait;
        let app = spawn_app_with_demo(backend, 6).await.expect("app");
        // The copies are the last two migrations (the renewals' training snapshots, then these).
        migration::Migrator::down(&app.db, Some(2)).await.expect("down");
        let gone = app.db.execute_unprepared("SELECT * FROM usage_snapshot_latest").await;
        assert!(gone.is_err(), "the copy table is dropped");
        // Without the triggers, writes to the snapshots still work.
        execute(&app, "UPDATE usage_snapshot SET active_users = active_users").await;
        migration::Migrator::up(&app.db, None).await.expect("up again");
        assert_copies_match(&app, "after down and up").await;
    }
}

on_both_backends! {
    async fn concurrent_writers_of_one_clients_snapshots_all_succeed_and_keep_its_copy(backend: Backend) {
        // Inserts (through the API) and updates (plain statements, not retried) of one client's
        // usage, at once: each must succeed, and the copy must end as the newest row.
        let app = std::sync::Arc::new(spawn_app_with_demo(backend, 6).await.expect("app"));
        let newest: Vec<usage_snapshot::Model> = rows(&app, "SELECT * FROM usage_snapshot_latest ORDER BY client_id").await;
        let client = newest[0].client_id.clone();
        let record = "mutation($i: RecordUsageInput!) { recordUsage(input: $i) { periodStart } }";
        let mut tasks = Vec::new();
        for k in 0..8u32 {
            let (app, client) = (app.clone(), client.clone());
            tasks.push(tokio::spawn(async move {
                if k % 2 == 0 {
                    let month = format!("{}-{:02}-01", 2040 + k, k + 1);
                    let input = json!({ "clientId": client, "periodStart": month, "seatsLicensed": 10,
                        "activeUsers": k, "usageRate": 0.5, "featureAdoption": 0.5 });
                    let response = app.graphql(record, json!({ "i": input })).await;
                    assert!(response["errors"].is_null(), "{response}");
                } else {
                    execute(&app, &format!("UPDATE usage_snapshot SET api_calls = api_calls + 1 WHERE client_id = '{client}'")).await;
                }
            }));
        }
        for task in tasks {
            task.await.expect("writer");
        }
        assert_copies_match(&app, "concurrent writers").await;
        let copy: Vec<usage_snapshot::Model> =
            rows(&app, &format!("SELECT * FROM usage_snapshot_latest WHERE client_id = '{client}'")).await;
        assert_eq!(copy[0].period_start.to_string(), "2046-07-01");
    }
}
