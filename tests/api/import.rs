//! Bring your own book: `import` of CSV / JSON Lines files and its mirror `export`.
use crate::helpers::*;
use crate::on_both_backends;
use expansion_api::domain::health::HealthWeights;
use expansion_api::import::{read_text, source, ImportReport, Mode, SourceFile};
use expansion_api::services::import::{export, import, ImportOptions};
use expansion_api::services::RequestContext;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const AS_OF: &str = "2026-11-30";

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/import")
}

fn rc() -> RequestContext {
    RequestContext {
        now: chrono::Utc::now(),
        request_id: "test".into(),
        actor: expansion_api::domain::access::Actor::without_token("test"),
        client: "test".to_owned(),
    }
}

pub async fn import_files(app: &TestApp, files: &[SourceFile], options: ImportOptions) -> ImportReport {
    import(&app.db, &rc(), &HealthWeights::default(), files, options, &|_, _| {})
        .await
        .unwrap_or_else(|e| panic!("import failed: {}", e.message()))
}

async fn import_dir(app: &TestApp, dir: &Path) -> ImportReport {
    let (files, errors) = source::collect(&[dir.to_path_buf()], None);
    assert!(errors.is_empty(), "{errors:?}");
    import_files(app, &files, ImportOptions::default()).await
}

/// Every process's operation document (negotiation aside: it writes), with fixed arguments.
fn process_queries() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        (
            "upsellOpportunities",
            include_str!("../../operations/identify_upsell_opportunities.graphql"),
            json!({ "asOf": AS_OF, "minHealthScore": 50, "minUsageThreshold": 0.3 }),
        ),
        (
            "crossSellOpportunities",
            include_str!("../../operations/identify_crosssell_opportunities.graphql"),
            json!({ "asOf": AS_OF, "minFitScore": 0.1 }),
        ),
        (
            "expansionOpportunities",
            include_str!("../../operations/identify_expansion_opportunities.graphql"),
            json!({ "asOf": AS_OF }),
        ),
        (
            "renewals",
            include_str!("../../operations/track_renewals.graphql"),
            json!({ "asOf": AS_OF, "daysUntilRenewal": 365 }),
        ),
        (
            "renewalForecast",
            include_str!("../../operations/forecast_renewals.graphql"),
            json!({ "asOf": AS_OF, "forecastPeriodDays": 365 }),
        ),
        (
            "revenueExpansion",
            include_str!("../../operations/track_revenue_expansion.graphql"),
            json!({ "asOf": AS_OF, "periods": 4 }),
        ),
        (
            "customerLifetimeValue",
            include_str!("../../operations/optimize_customer_lifetime_value.graphql"),
            json!({ "asOf": AS_OF }),
        ),
    ]
}

async fn answers(app: &TestApp) -> Vec<Value> {
    let mut all = Vec::new();
    for (field, query, variables) in process_queries() {
        let response = app.graphql(query, variables).await;
        assert!(response["errors"].is_null(), "{field}: {response}");
        all.push(response["data"][field].clone());
    }
    all
}

/// The first array of `value` found depth-first that is non-empty, if any.
fn has_items(value: &Value) -> bool {
    match value {
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => map.values().any(has_items),
        _ => false,
    }
}

fn file(name: &str, text: &str) -> SourceFile {
    read_text(name, None, text).unwrap_or_else(|e| panic!("{e:?}"))
}

on_both_backends! {
    async fn the_example_book_imports_into_an_empty_database_and_every_process_answers(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let report = import_dir(&app, &examples()).await;
        assert!(report.is_valid(), "{report}");
        assert_eq!(app.count("client").await, 30);
        for (answer, (field, _, _)) in answers(&app).await.iter().zip(process_queries()) {
            assert!(has_items(answer), "{field} is empty: {answer}");
        }
        let client = app.graphql("{ renewals(asOf: \"2026-11-30\", daysUntilRenewal: 365) { renewals { clientId } } }", json!({})).await;
        let client_id = client["data"]["renewals"]["renewals"][0]["clientId"].as_str().expect("a renewal").to_owned();
        let negotiation = app
            .graphql(include_str!("../../operations/negotiate_renewals.graphql"), json!({ "clientId": client_id, "asOf": AS_OF }))
            .await;
        assert!(negotiation["errors"].is_null(), "{negotiation}");
        assert!(has_items(&negotiation["data"]), "{negotiation}");
    }
}

on_both_backends! {
    async fn an_exported_book_imported_into_an_empty_database_answers_every_process_identically(backend: Backend) {
        let source = spawn_app_with_demo(backend, 40).await.expect("app");
        let before = answers(&source).await;
        let dir = std::env::temp_dir().join(format!("export_{}", uuid::Uuid::new_v4().simple()));
        for format in ["csv", "jsonl"] {
            let rows = export(&source.db, &dir.join(format), format, None).await.expect("export");
            assert!(rows > 1000, "{rows} rows exported");
            let target = spawn_app(backend).await.expect("app");
            let report = import_dir(&target, &dir.join(format)).await;
            assert!(report.is_valid(), "{report}");
            assert_eq!(target.count("usage_snapshot").await, source.count("usage_snapshot").await);
            assert_eq!(target.count("revenue_event").await, source.count("revenue_event").await);
            assert_eq!(answers(&target).await, before, "{format}: the answers differ after export → import");
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}

on_both_backends! {
    async fn a_book_exported_as_of_a_past_day_imports_and_answers_revenue_on_that_day_as_the_whole_book_does(backend: Backend) {
        let source = spawn_app_with_demo(backend, 60).await.expect("app");
        let revenue = |as_of: &str| {
            (
                include_str!("../../operations/track_revenue_expansion.graphql"),
                json!({ "asOf": as_of, "periods": 4 }),
            )
        };
        let dir = std::env::temp_dir().join(format!("export_as_of_{}", uuid::Uuid::new_v4().simple()));
        for day in ["2025-03-31", "2026-06-15"] {
            let (query, variables) = revenue(day);
            let before = source.graphql(query, variables.clone()).await;
            assert!(before["errors"].is_null(), "{before}");
            let as_of = day.parse().expect("a date");
            export(&source.db, &dir.join(day), "csv", Some(as_of)).await.expect("export");
            let target = spawn_app(backend).await.expect("app");
            let report = import_dir(&target, &dir.join(day)).await;
            assert!(report.is_valid(), "{day}: {report}");
            assert!(target.count("usage_snapshot").await < source.count("usage_snapshot").await);
            let later = format!("period_start > '{day}'");
            assert_eq!(target.count_where("usage_snapshot", &later).await, 0);
            let after = target.graphql(query, variables).await;
            // The periods come from the ledger alone, so they must match to the cent. (The
            // answer's `pipeline` reads the opportunities open now, not on D: not compared.)
            let periods = |answer: &Value| answer["data"]["revenueExpansion"]["periods"].clone();
            assert!(periods(&before).as_array().is_some_and(|p| p.len() == 4), "{before}");
            assert_eq!(periods(&after), periods(&before), "{day}: revenue periods on the day differ");
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}

on_both_backends! {
    async fn importing_the_same_files_twice_changes_nothing_the_second_time(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let first = import_dir(&app, &examples()).await;
        assert!(first.counts.values().all(|c| c.inserted > 0), "{first}");
        let counts = app.snapshot_counts().await;
        let second = import_dir(&app, &examples()).await;
        assert!(second.counts.values().all(|c| c.inserted == 0 && c.updated == 0 && c.deleted == 0 && c.unchanged > 0), "{second}");
        let mut after = app.snapshot_counts().await;
        // The one audit row of the import itself.
        let audit = after.iter_mut().find(|(t, _)| t == "audit_log").expect("audit_log");
        audit.1 -= 1;
        assert_eq!(after, counts);
    }
}

on_both_backends! {
    async fn a_changed_row_is_updated_with_its_version_bumped_and_an_audit_row(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        import_dir(&app, &examples()).await;
        let clients = std::fs::read_to_string(examples().join("clients.csv")).expect("clients.csv");
        let changed = clients.replacen(",Morgan Silva,", ",Jordan Park,", 1);
        assert_ne!(changed, clients);
        let report = import_files(&app, &[file("clients.csv", &changed)], ImportOptions::default()).await;
        let counts = report.counts[&expansion_api::import::Entity::Clients];
        assert_eq!((counts.inserted, counts.updated, counts.unchanged), (0, 1, 29), "{report}");
        assert_eq!(app.count_where("client", "version = 2 AND csm_owner = 'Jordan Park'").await, 1);
        assert_eq!(app.count_where("audit_log", "operation = 'import'").await, 3);

        let insert_only = ImportOptions { mode: Mode::Insert, dry_run: false };
        let refused = import_files(&app, &[file("clients.csv", &clients)], insert_only).await;
        assert_eq!(refused.error_count, 30, "{refused}");
        assert!(refused.errors[0].to_string().starts_with("clients.csv:2: id: "), "{refused}");
    }
}

on_both_backends! {
    async fn a_dry_run_validates_and_reports_without_writing(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let (files, _) = source::collect(&[examples()], None);
        let report = import_files(&app, &files, ImportOptions { mode: Mode::Upsert, dry_run: true }).await;
        assert!(report.is_valid() && report.dry_run, "{report}");
        assert_eq!(report.counts[&expansion_api::import::Entity::Clients].inserted, 30);
        assert_eq!(app.count("client").await, 0);
        assert_eq!(app.count("audit_log").await, 0);
    }
}

const PRODUCTS: &str = "id,name,family,kind,tier_rank,pricing,annual_price\n\
tier_starter,Starter,platform,tier,1,per_seat,300.00\n\
addon_api,API Suite,integrations,addon,,flat,5000.00\n";
const CLIENTS: &str = "id,name,industry,tier,lifecycle_stage,status,customer_since\n\
acme,Acme,Retail,starter,active,active,2024-01-15\n";

on_both_backends! {
    async fn every_kind_of_bad_row_is_reported_with_its_file_line_and_column_and_nothing_is_written(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let before = app.snapshot_counts().await;
        let files = vec![
            // Given out of dependency order on purpose: references resolve whatever the order.
            file("contracts.csv", "id,client_id,contract_type,start_date,end_date,seats\n\
                CNT-1,acme,annual,2024-01-15,2025-01-14,10\n\
                CNT-2,acme,annual,2024-13-01,2025-01-14,10\n\
                CNT-3,ghost,annual,2024-01-15,2023-01-14,10\n\
                CNT-1,acme,annual,2024-01-15,2025-01-14,10\n"),
            file("contract_items.csv", "contract_id,product_id,quantity,arr\n\
                CNT-1,tier_starter,10,3000.001\n\
                CNT-1,tier_gold,10,3000.00\n\
                CNT-9,tier_starter,10,3000.00\n"),
            file("clients.csv", "id,name,industry,tier,lifecycle_stage,status,customer_since,shoe_size\n"),
            file("products.csv", PRODUCTS),
            file("health_snapshots.jsonl", "{\"client_id\":\"acme\",\"as_of\":\"2024-02-01\",\"usage_score\":101,\"engagement_score\":50,\"support_score\":50,\"satisfaction_score\":50,\"payment_score\":50}\n"),
            file("revenue_events.jsonl", "{\"client_id\":\"acme\",\"occurred_on\":\"2024-01-15\",\"kind\":\"windfall\",\"category\":\"other\",\"arr_delta\":\"3000.00\"}\n"),
            file("renewal_reminders.csv", "renewal_id,offset_days,due_date,status,completed_at,note\n\
                RNW-1,0,2024-12-15,due,,\n\
                RNW-1,60,2024-11-15,completed,2024-11-16T10:00:00Z,called\n\
                RNW-1,30,2024-12-15,due,2024-12-16T10:00:00Z,\n\
                RNW-1,90,2024-10-16,forgotten,,\n\
                RNW-1,60,2024-11-15,skipped,2024-11-20T10:00:00Z,\n\
                RNW-1,45,2024-11-30,completed,,\n"),
        ];
        let report = import_files(&app, &files, ImportOptions::default()).await;
        let lines: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
        let expect = [
            "contracts.csv:3: start_date: `2024-13-01` is not a date (allowed YYYY-MM-DD)",
            "contracts.csv:4: end_date: 2023-01-14 is not after startDate 2024-01-15",
            "contracts.csv:5: id: duplicate key \"CNT-1\" (first on line 2)",
            "contract_items.csv:2: arr: `3000.001` is not an amount",
            "clients.csv:1: shoe_size: unknown column `shoe_size` (allowed id, name, company_name",
            "health_snapshots.jsonl:1: usage_score: 101 is out of range (allowed 0–100)",
            "revenue_events.jsonl:1: kind: unknown value `windfall` (allowed new, expansion, contraction, churn, reactivation)",
            "renewal_reminders.csv:2: offset_days: 0 is out of range (allowed 1–730)",
            "renewal_reminders.csv:4: completed_at: a due reminder is not finished (allowed empty while status is scheduled or due)",
            "renewal_reminders.csv:5: status: unknown value `forgotten` (allowed scheduled, due, completed, skipped)",
            "renewal_reminders.csv:6: offset_days: duplicate key (\"RNW-1\", 60) (first on line 3)",
            "renewal_reminders.csv:7: completed_at: a completed reminder needs the time it was completed",
        ];
        for wanted in expect {
            assert!(lines.iter().any(|l| l.starts_with(wanted)), "missing {wanted:?} in {lines:#?}");
        }
        assert_eq!(report.error_count as usize, lines.len());
        assert_eq!(app.snapshot_counts().await, before);

        // With the values fixed, the references are checked across files.
        let files = vec![
            file("clients.csv", CLIENTS),
            file("products.csv", PRODUCTS),
            file("contracts.csv", "id,client_id,contract_type,start_date,end_date,seats\nCNT-1,ghost,annual,2024-01-15,2025-01-14,10\n"),
            file("contract_items.csv", "contract_id,product_id,quantity,arr\nCNT-1,tier_gold,10,3000.00\nCNT-9,tier_starter,10,3000.00\n"),
            file("renewal_reminders.csv", "renewal_id,offset_days,due_date,status\nRNW-404,90,2024-10-16,due\n"),
        ];
        let report = import_files(&app, &files, ImportOptions::default()).await;
        let lines: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
        for wanted in [
            "contracts.csv:2: client_id: unknown client `ghost`",
            "contract_items.csv:2: product_id: unknown product `tier_gold`",
            "contract_items.csv:3: contract_id: unknown contract `CNT-9`",
            "renewal_reminders.csv:2: renewal_id: unknown renewal `RNW-404`",
        ] {
            assert!(lines.iter().any(|l| l.starts_with(wanted)), "missing {wanted:?} in {lines:#?}");
        }
        assert_eq!(app.snapshot_counts().await, before);
    }
}

on_both_backends! {
    async fn a_ledger_that_does_not_add_up_to_the_active_contract_is_refused_naming_the_client(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let before = app.snapshot_counts().await;
        let files = vec![
            file("products.csv", PRODUCTS),
            file("clients.csv", CLIENTS),
            file("contracts.csv", "id,client_id,contract_type,start_date,end_date,seats\nCNT-1,acme,annual,2024-01-15,2025-01-14,10\n"),
            file("contract_items.csv", "contract_id,product_id,quantity,arr\nCNT-1,tier_starter,10,3000.00\n"),
            file("revenue_events.csv", "client_id,occurred_on,kind,category,arr_delta,contract_id\nacme,2024-01-15,new,other,2500.00,CNT-1\n"),
        ];
        let report = import_files(&app, &files, ImportOptions::default()).await;
        assert_eq!(report.error_count, 1, "{report}");
        assert!(report.errors[0].to_string().contains("client acme: the ledger sums to $2,500.00 but its active contract CNT-1 is worth $3,000.00"), "{report}");
        assert_eq!(app.snapshot_counts().await, before);

        // Fixed, it imports, and the contract gets its open renewal as createContract would give it.
        let mut files = files;
        files[4] = file("revenue_events.csv", "client_id,occurred_on,kind,category,arr_delta,contract_id\nacme,2024-01-15,new,other,3000.00,CNT-1\n");
        let report = import_files(&app, &files, ImportOptions::default()).await;
        assert!(report.is_valid(), "{report}");
        assert_eq!(app.count_where("renewal", "status = 'open' AND contract_id = 'CNT-1' AND target_arr_cents = 300000").await, 1);
    }
}

on_both_backends! {
    async fn import_book_over_the_api_reports_bad_rows_as_typed_data_and_imports_good_ones(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        const IMPORT: &str = "mutation($files: [ImportFileInput!]!) { importBook(files: $files) { valid dryRun rows errorCount errors { file line column text } entities { entity inserted updated unchanged } } }";
        let bad = json!({ "files": [{ "name": "clients.jsonl", "content": "{\"id\":\"acme\",\"name\":\"Acme\",\"industry\":\"Retail\",\"tier\":\"gold\",\"lifecycle_stage\":\"active\",\"status\":\"active\",\"customer_since\":\"2024-01-15\"}\n" }] });
        let response = app.graphql(IMPORT, bad).await;
        let report = &response["data"]["importBook"];
        assert_eq!(report["valid"], false, "{response}");
        assert_eq!(report["errors"][0]["file"], "clients.jsonl");
        assert_eq!(report["errors"][0]["line"], 1);
        assert_eq!(report["errors"][0]["column"], "tier");
        assert_eq!(app.count("client").await, 0);

        let good = json!({ "files": [
            { "name": "products.csv", "content": PRODUCTS },
            { "name": "clients.csv", "content": CLIENTS },
        ] });
        let response = app.graphql(IMPORT, good).await;
        let report = &response["data"]["importBook"];
        assert_eq!(report["valid"], true, "{response}");
        assert_eq!(report["entities"][1]["entity"], "clients");
        assert_eq!(report["entities"][1]["inserted"], 1);
        assert_eq!(app.count("client").await, 1);
    }
}

/// Every table an import writes, with its row count: the shared snapshot plus opportunities.
async fn book_counts(app: &TestApp) -> (Vec<(String, i64)>, i64) {
    (app.snapshot_counts().await, app.count("opportunity").await)
}

on_both_backends! {
    async fn an_import_killed_mid_write_leaves_the_database_exactly_as_before(backend: Backend) {
        use tokio::io::{AsyncBufReadExt, BufReader};
        let source = spawn_app_with_demo(backend, 600).await.expect("app");
        let dir = std::env::temp_dir().join(format!("killed_import_{}", uuid::Uuid::new_v4().simple()));
        export(&source.db, &dir, "csv", None).await.expect("export");
        let target = spawn_app(backend).await.expect("app");
        // Something already there, so "as before" is not just "empty".
        let first = import_files(&target, &[file("products.csv", &std::fs::read_to_string(dir.join("products.csv")).expect("products"))], ImportOptions::default()).await;
        assert!(first.is_valid(), "{first}");
        let before = book_counts(&target).await;

        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_expansion-api"))
            .arg("import")
            .arg(&dir)
            .env("DATABASE_URL", &target.database_url)
            .env("RUST_LOG", "info")
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("import started");
        let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
        // The writer logs each tenth of the rows it has written (a large chunk can skip a tenth),
        // inside the one transaction. The first such line below 100 % is the moment to kill: most
        // of a 600-client book (~36k rows) is then still unwritten, a wide margin over the time
        // SIGKILL takes to land.
        let mut seen = Vec::new();
        loop {
            let line = lines.next_line().await.expect("read").unwrap_or_else(|| panic!("import ended before it logged progress: {seen:#?}"));
            let percent = line
                .split_once("progress: importing ")
                .and_then(|(_, rest)| rest.split('%').next())
                .and_then(|p| p.parse::<u32>().ok());
            match percent {
                Some(p) if p < 100 => break,
                Some(_) => panic!("the import reached 100 % before any earlier progress line: {seen:#?}"),
                None => seen.push(line),
            }
        }
        child.start_kill().expect("SIGKILL sent");
        let status = child.wait().await.expect("reaped");
        assert!(!status.success(), "the import was killed, not finished: {status}");

        assert_eq!(book_counts(&target).await, before, "a killed import left rows behind");
        // And nothing is locked or half-done: the same import then runs to the end.
        let (files, errors) = source::collect(std::slice::from_ref(&dir), None);
        assert!(errors.is_empty(), "{errors:?}");
        let report = import_files(&target, &files, ImportOptions::default()).await;
        assert!(report.is_valid(), "{report}");
        assert_eq!(target.count("client").await, source.count("client").await);
        std::fs::remove_dir_all(&dir).ok();
    }
}

on_both_backends! {
    async fn an_imported_reminder_keeps_its_worked_status_and_a_changed_one_is_updated_in_place(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        assert!(import_dir(&app, &examples()).await.is_valid());
        let seeded = app.count("renewal_reminder").await;
        assert_eq!(seeded, 20, "examples/import/renewal_reminders.csv holds 20 reminders");
        assert_eq!(app.count_where("renewal_reminder", "status = 'skipped' AND note IS NOT NULL").await, 3);
        // RNW-4's current reminder, done the day after it came due.
        let done = file(
            "renewal_reminders.csv",
            "renewal_id,offset_days,due_date,status,completed_at,note\nRNW-4,60,2026-11-22,completed,2026-11-23T09:30:00Z,sent the renewal quote\n",
        );
        let report = import_files(&app, &[done], ImportOptions::default()).await;
        let counts = &report.counts[&expansion_api::import::Entity::RenewalReminders];
        assert_eq!((counts.inserted, counts.updated), (0, 1), "{report}");
        assert_eq!(app.count("renewal_reminder").await, seeded, "updated in place, not added");
        let row = "renewal_id = 'RNW-4' AND offset_days = 60 AND status = 'completed' AND note = 'sent the renewal quote'";
        assert_eq!(app.count_where("renewal_reminder", row).await, 1);
        assert_eq!(app.count_where("audit_log", "operation = 'import' AND CAST(target_ids AS TEXT) LIKE '%RNW-4/60%'").await, 1);
    }
}
