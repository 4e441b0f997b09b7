//! `usage_snapshot_at_renewal` / `health_snapshot_at_renewal` hold, for every renewal, its client's
//! newest snapshot dated on or before renewal_date − 30 days (the forecast's training read). They
//! are kept by triggers on both the renewals and the snapshots, so every kind of write to either
//! must leave them equal to that row computed from the history.
use crate::helpers::*;
use crate::on_both_backends;
use entity::{health_snapshot, usage_snapshot};
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement};
use serde_json::json;

#[derive(Debug, PartialEq, FromQueryResult)]
struct Keyed {
    renewal_id: String,
}

/// The rows of `sql`, as `M`.
async fn rows<M: FromQueryResult>(app: &TestApp, sql: &str) -> Vec<M> {
    let statement = Statement::from_string(app.db.get_database_backend(), sql.to_owned());
    M::find_by_statement(statement).all(&app.db).await.expect(sql)
}

async fn execute(app: &TestApp, sql: &str) {
    app.db.execute_unprepared(sql).await.expect(sql);
}

/// Each renewal's newest `table` row on or before its cutoff, computed from the history, with the
/// renewal's id; ordered by renewal.
fn expected_sql(backend: DbBackend, table: &str, date: &str) -> String {
    let cutoff = match backend {
        DbBackend::Postgres => "r.renewal_date - 30".to_owned(),
        _ => "date(r.renewal_date, '-30 days')".to_owned(),
    };
    format!(
        "SELECT s.*, r.id AS renewal_id FROM renewal r JOIN {table} s ON s.client_id = r.client_id AND s.{date} = \
         (SELECT MAX(m.{date}) FROM {table} m WHERE m.client_id = r.client_id AND m.{date} <= {cutoff}) ORDER BY r.id"
    )
}

/// `<table>_at_renewal` equals the row computed from the history, column for column and renewal
/// for renewal; returns how many renewals have a copy.
async fn assert_copy_matches<M>(app: &TestApp, table: &str, date: &str, step: &str) -> usize
where
    M: FromQueryResult + PartialEq + std::fmt::Debug,
{
    let copy = format!("SELECT * FROM {table}_at_renewal ORDER BY renewal_id");
    let expected = expected_sql(app.db.get_database_backend(), table, date);
    let copied: Vec<M> = rows(app, &copy).await;
    assert!(
        !copied.is_empty(),
        "{step}: the demo's renewals have {table} rows before their cutoff"
    );
    assert_eq!(copied, rows::<M>(app, &expected).await, "{step}: {table} copy");
    assert_eq!(
        rows::<Keyed>(app, &copy).await,
        rows::<Keyed>(app, &expected).await,
        "{step}: {table} copy renewals"
    );
    copied.len()
}

/// Both copy tables match ([`assert_copy_matches`]); returns how many renewals have a usage copy.
async fn assert_copies_match(app: &TestApp, step: &str) -> usize {
    assert_copy_matches::<health_snapshot::Model>(app, "health_snapshot", "as_of", step).await;
    assert_copy_matches::<usage_snapshot::Model>(app, "usage_snapshot", "period_start", step).await
}

/// A renewal of `client` (its id and date) and one of its contracts.
#[derive(Debug, FromQueryResult)]
struct RenewalOf {
    id: String,
    contract_id: String,
    client_id: String,
}

on_both_backends! {
    async fn every_write_to_renewals_or_snapshots_keeps_each_renewals_training_snapshot(backend: Backend) {
        let app = spawn_app_with_demo(backend, 12).await.expect("app");
        assert_copies_match(&app, "after seeding").await;
        let renewals: Vec<RenewalOf> =
            rows(&app, "SELECT id, contract_id, client_id FROM renewal WHERE status <> 'open' ORDER BY id").await;
        let (first, second) = (&renewals[0], &renewals[renewals.len() - 1]);

        // A backfilled month through the API, older than every cutoff: it becomes the copy of a
        // renewal only where the client had nothing earlier, so the copies are compared, not assumed.
        let record = "mutation($i: RecordUsageInput!) { recordUsage(input: $i) { periodStart } }";
        for month in ["1995-01-01", "2031-03-01"] {
            let input = json!({ "clientId": first.client_id, "periodStart": month, "seatsLicensed": 40,
                "activeUsers": 31, "usageRate": 0.775, "featureAdoption": 0.5 });
            let response = app.graphql(record, json!({ "i": input })).await;
            assert!(response["errors"].is_null(), "{response}");
            assert_copies_match(&app, &format!("recordUsage {month}")).await;
        }

        // A month just before a renewal's cutoff replaces its copy (one statement, two clients).
        let cutoff_month = |client: &str| format!(
            "(SELECT {} FROM renewal WHERE client_id = '{client}' AND status <> 'open' ORDER BY renewal_date DESC LIMIT 1)",
            match backend { Backend::Postgres => "renewal_date - 31", Backend::Sqlite => "date(renewal_date, '-31 days')" });
        for (table, columns, values) in [
            ("usage_snapshot", "period_start, seats_licensed, active_users, usage_rate, feature_adoption, api_calls, logins, reports_exported",
             "10, 5, 0.5, 0.1, 0, 0, 0"),
            ("health_snapshot", "as_of, usage_score, engagement_score, support_score, satisfaction_score, payment_score, overall_score, trend",
             "1, 2, 3, 4, 5, 3.0, 'declining'"),
        ] {
            let date = columns.split(',').next().expect("date column");
            execute(&app, &format!(
                "DELETE FROM {table} WHERE (client_id = '{a}' AND {date} = {ca}) OR (client_id = '{b}' AND {date} = {cb})",
                a = first.client_id, b = second.client_id, ca = cutoff_month(&first.client_id), cb = cutoff_month(&second.client_id))).await;
            execute(&app, &format!(
                "INSERT INTO {table} (client_id, {columns}) SELECT '{a}', {ca}, {values} UNION ALL SELECT '{b}', {cb}, {values}",
                a = first.client_id, b = second.client_id, ca = cutoff_month(&first.client_id), cb = cutoff_month(&second.client_id))).await;
        }
        assert_copies_match(&app, "insert just before a cutoff").await;

        // Snapshot updates: values, then a date moved past every cutoff; deletes.
        execute(&app, "UPDATE health_snapshot SET overall_score = overall_score / 2").await;
        assert_copies_match(&app, "update of every health row").await;
        execute(&app, &format!("UPDATE usage_snapshot SET period_start = '2040-01-01' WHERE client_id = '{}' AND period_start = {}",
            second.client_id, cutoff_month(&second.client_id))).await;
        assert_copies_match(&app, "update of a date").await;
        execute(&app, &format!("DELETE FROM usage_snapshot WHERE client_id = '{}' AND period_start < '2026-01-01'", first.client_id)).await;
        assert_copies_match(&app, "delete of part of a history").await;

        // Renewals: a date moved (its cutoff moves), a client moved, an insert and a delete.
        execute(&app, &format!("UPDATE renewal SET renewal_date = '2020-03-15' WHERE id = '{}'", first.id)).await;
        assert_copies_match(&app, "renewal date moved").await;
        execute(&app, &format!("UPDATE renewal SET client_id = '{}' WHERE id = '{}'", first.client_id, second.id)).await;
        assert_copies_match(&app, "renewal client moved").await;
        execute(&app, &format!(
            "INSERT INTO renewal (id, contract_id, client_id, renewal_date, target_arr_cents, status, outcome_arr_cents, \
             closed_at, created_at) VALUES ('ren_copy_test', '{}', '{}', '2025-09-01', 100, 'churned', 0, \
             '2025-09-01T00:00:00Z', '2025-09-01T00:00:00Z')",
            second.contract_id, second.client_id)).await;
        let before_delete = assert_copies_match(&app, "renewal inserted").await;
        execute(&app, "DELETE FROM renewal WHERE id = 'ren_copy_test'").await;
        assert_eq!(assert_copies_match(&app, "renewal deleted").await, before_delete - 1);
    }
}

on_both_backends! {
    async fn concurrent_writers_of_one_clients_renewals_and_snapshots_keep_its_copies(backend: Backend) {
        // Snapshot inserts (through the API), snapshot updates and renewal date changes (plain
        // statements, not retried) of one client at once: each must succeed, and the copies must
        // end equal to what the history says.
        let app = std::sync::Arc::new(spawn_app_with_demo(backend, 6).await.expect("app"));
        let renewals: Vec<RenewalOf> =
            rows(&app, "SELECT id, contract_id, client_id FROM renewal WHERE status <> 'open' ORDER BY id").await;
        let client = renewals[0].client_id.clone();
        let of_client: Vec<String> = renewals.iter().filter(|r| r.client_id == client).map(|r| r.id.clone()).collect();
        let record = "mutation($i: RecordUsageInput!) { recordUsage(input: $i) { periodStart } }";
        let mut tasks = Vec::new();
        for k in 0..9u32 {
            let (app, client, renewal) = (app.clone(), client.clone(), of_client[k as usize % of_client.len()].clone());
            tasks.push(tokio::spawn(async move {
                match k % 3 {
                    0 => {
                        // Years before the demo's history, each below some cutoff.
                        let month = format!("{}-{:02}-01", 1990 + k, k + 1);
                        let input = json!({ "clientId": client, "periodStart": month, "seatsLicensed": 10,
                            "activeUsers": k, "usageRate": 0.5, "featureAdoption": 0.5 });
                        let response = app.graphql(record, json!({ "i": input })).await;
                        assert!(response["errors"].is_null(), "{response}");
                    }
                    1 => execute(&app, &format!("UPDATE usage_snapshot SET api_calls = api_calls + 1 WHERE client_id = '{client}'")).await,
                    _ => execute(&app, &format!("UPDATE renewal SET renewal_date = '{}-06-15' WHERE id = '{renewal}'", 2019 + k)).await,
                }
            }));
        }
        for task in tasks {
            task.await.expect("writer");
        }
        assert_copies_match(&app, "concurrent writers").await;
    }
}

on_both_backends! {
    async fn the_training_copies_migration_rolls_back_and_applies_again(backend: Backend) {
        use migration::MigratorTrait;
        let app = spawn_app_with_demo(backend, 6).await.expect("app");
        migration::Migrator::down(&app.db, Some(1)).await.expect("down");
        let gone = app.db.execute_unprepared("SELECT * FROM usage_snapshot_at_renewal").await;
        assert!(gone.is_err(), "the copy table is dropped");
        // Without the triggers, writes to renewals and snapshots still work.
        execute(&app, "UPDATE usage_snapshot SET active_users = active_users").await;
        execute(&app, "UPDATE renewal SET renewal_date = renewal_date").await;
        migration::Migrator::up(&app.db, None).await.expect("up again");
        assert_copies_match(&app, "after down and up").await;
    }
}
