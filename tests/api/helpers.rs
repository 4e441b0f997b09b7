//! `spawn_app`: the real server on a random port with a fresh database of its own — a SQLite file,
//! or a new PostgreSQL database when `TEST_DATABASE_URL` is set.
use expansion_api::config::Settings;
use expansion_api::db::SqlStatementCounter;
use expansion_api::seed::{seed_demo, DemoOptions};
use expansion_api::startup::{Application, ServeOptions};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{json, Value};

/// Which database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running server and a direct line to its database.
#[derive(Clone)]
pub struct TestApp {
    pub address: String,
    /// The database URL, so a second server (a replica) can share the database.
    pub database_url: String,
    pub db: DatabaseConnection,
    pub sql_statements: SqlStatementCounter,
    /// The event feed's and webhook worker's statements.
    pub background_sql_statements: SqlStatementCounter,
    pub http: reqwest::Client,
    /// The token `graphql` sends (`with_token`); none by default.
    pub bearer: Option<String>,
}

/// The PostgreSQL server tests create their databases on, if any. Under `CI=true` it must be set:
/// CI fails rather than silently skipping PostgreSQL.
pub fn postgres_url() -> Option<String> {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but TEST_DATABASE_URL is not set: PostgreSQL tests would not run"
            );
            None
        }
    }
}

/// A fresh, empty database URL for one test.
async fn fresh_database(backend: Backend) -> Option<String> {
    let name = format!("exp_test_{}", uuid::Uuid::new_v4().simple());
    match backend {
        Backend::Sqlite => {
            let path = std::env::temp_dir().join(format!("{name}.db"));
            Some(format!("sqlite://{}?mode=rwc", path.display()))
        }
        Backend::Postgres => {
            let admin_url = postgres_url()?;
            let admin = Database::connect(&admin_url)
                .await
                .expect("connect to TEST_DATABASE_URL");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            admin.close().await.ok();
            let (base, _) = admin_url
                .rsplit_once('/')
                .expect("TEST_DATABASE_URL ends with /<database>");
            Some(format!("{base}/{name}"))
        }
    }
}

/// Starts the server on a fresh database; `None` when the backend is not available here.
pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, |_| {}).await
}

/// Starts the server on a fresh database with settings changed by `configure`.
pub async fn spawn_app_with(backend: Backend, configure: impl FnOnce(&mut Settings)) -> Option<TestApp> {
    if std::env::var("TEST_LOG").is_ok() {
        expansion_api::telemetry::init(expansion_api::telemetry::LogFormat::Human);
    }
    let url = fresh_database(backend).await?;
    let mut settings = test_settings(url);
    configure(&mut settings);
    Some(start_with(settings).await)
}

fn test_settings(url: String) -> Settings {
    Settings {
        database_url: url,
        port: 0,
        max_connections: 5,
        ..Settings::default()
    }
}

/// Starts a server on the database at `url`.
async fn start(url: String) -> TestApp {
    start_configured(url, |_| {}).await
}

/// Starts a server on the database at `url` with settings changed by `configure`.
async fn start_configured(url: String, configure: impl FnOnce(&mut Settings)) -> TestApp {
    let mut settings = test_settings(url);
    configure(&mut settings);
    start_with(settings).await
}

async fn start_with(settings: Settings) -> TestApp {
    let url = settings.database_url.clone();
    let app = Application::build(&settings, &ServeOptions::default())
        .await
        .expect("build app");
    let address = format!("http://127.0.0.1:{}", app.port());
    let sql_statements = app.sql_statements();
    let background_sql_statements = app.background_sql_statements();
    let db = app.db().clone();
    let mut first_run = app.first_scheduler_run();
    tokio::spawn(app.run_until_stopped());
    // The tests read what the startup run wrote (reminders, scheduled events): wait for it, as
    // the server itself does not (it serves at once).
    first_run
        .wait_for(|done| *done)
        .await
        .expect("the scheduler's first run");
    TestApp {
        address,
        database_url: url,
        db,
        sql_statements,
        background_sql_statements,
        http: reqwest::Client::new(),
        bearer: None,
    }
}

/// Starts the server with the demo book of `clients` clients (seed 7, dated today).
pub async fn spawn_app_with_demo(backend: Backend, clients: usize) -> Option<TestApp> {
    let app = spawn_app(backend).await?;
    let options = DemoOptions {
        clients,
        seed: 7,
        ..DemoOptions::default()
    };
    seed_demo(&app.db, &options).await.expect("seed demo data");
    Some(app)
}

impl TestApp {
    /// A second server on the same database, as another replica would be (it runs its own
    /// startup jobs).
    pub async fn spawn_replica(&self) -> TestApp {
        start(self.database_url.clone()).await
    }

    /// A replica with settings changed by `configure`.
    pub async fn spawn_replica_configured(&self, configure: impl FnOnce(&mut Settings)) -> TestApp {
        start_configured(self.database_url.clone(), configure).await
    }

    /// POSTs a GraphQL operation (with this handle's token, if any) and returns the JSON response.
    pub async fn graphql(&self, query: &str, variables: Value) -> Value {
        self.post_graphql(self.bearer.as_deref(), query, variables).await
    }

    /// The same server, with `graphql` sending `token`.
    pub fn with_token(&self, token: &str) -> TestApp {
        TestApp {
            bearer: Some(token.to_owned()),
            ..self.clone()
        }
    }

    /// POSTs a GraphQL operation with `Authorization: Bearer <token>`.
    pub async fn graphql_as(&self, token: &str, query: &str, variables: Value) -> Value {
        self.post_graphql(Some(token), query, variables).await
    }

    async fn post_graphql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut request = self.http.post(format!("{}/graphql", self.address));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("request sent")
            .json()
            .await
            .expect("JSON response")
    }

    /// Creates a token (`VIEWER`, `CSM` or `ADMIN`) as `token create` does and returns its secret.
    pub async fn create_token(&self, name: &str, role: &str) -> String {
        let role = expansion_api::domain::Role::parse("role", &role.to_ascii_lowercase()).expect("role");
        expansion_api::services::tokens::create(&self.db, name, role, None, chrono::Utc::now())
            .await
            .unwrap_or_else(|e| panic!("token: {}", e.message()))
            .secret
    }

    /// Rows in `table`, read directly from the database.
    pub async fn count(&self, table: &str) -> i64 {
        let backend = self.db.get_database_backend();
        let row = self
            .db
            .query_one_raw(Statement::from_string(
                backend,
                format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM {table}"),
            ))
            .await
            .expect("count query")
            .expect("one row");
        row.try_get::<i64>("", "n").expect("count")
    }

    /// Rows in `table` matching the SQL condition `condition`.
    pub async fn count_where(&self, table: &str, condition: &str) -> i64 {
        self.count(&format!("{table} WHERE {condition}")).await
    }

    /// Every row count a mutation could touch, to prove a refused one wrote nothing.
    pub async fn snapshot_counts(&self) -> Vec<(String, i64)> {
        let mut counts = Vec::new();
        for table in [
            "client",
            "contact",
            "product",
            "contract",
            "contract_item",
            "renewal",
            "usage_snapshot",
            "health_snapshot",
            "revenue_event",
            "audit_log",
            "renewal_reminder",
            "negotiation",
            "negotiation_offer",
            "event_outbox",
            "webhook_delivery",
        ] {
            counts.push((table.to_owned(), self.count(table).await));
        }
        counts
    }
}

/// `expansion-api mcp` on the database at `url`, holding `token` (`EXPANSION_TOKEN`), with
/// piped stdin and stdout.
pub fn spawn_mcp_stdio(url: &str, token: Option<&str>) -> tokio::process::Child {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_expansion-api"));
    command
        .arg("mcp")
        .env("DATABASE_URL", url)
        .env_remove("EXPANSION_TOKEN");
    if let Some(token) = token {
        command.env("EXPANSION_TOKEN", token);
    }
    command
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("mcp started")
}

/// The `extensions.code` of the first error.
pub fn error_code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {response}"))
}

/// Runs a test body on SQLite and, when configured, on PostgreSQL: two `#[tokio::test]`s.
#[macro_export]
macro_rules! on_both_backends {
    ($(#[$meta:meta])* async fn $name:ident($backend:ident: Backend) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[allow(unused_imports)]
            use $crate::helpers::*;

            async fn run($backend: Backend) $body

            $(#[$meta])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                run(Backend::Sqlite).await;
            }

            $(#[$meta])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                if postgres_url().is_none() {
                    eprintln!("TEST_DATABASE_URL not set: PostgreSQL variant skipped");
                    return;
                }
                run(Backend::Postgres).await;
            }
        }
    };
}

/// A `Money` value (`"72000.50"`) in cents.
pub fn cents(value: &Value) -> i64 {
    let text = value.as_str().unwrap_or_else(|| panic!("not money: {value}"));
    let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
    let sign = if whole.starts_with('-') { -1 } else { 1 };
    let whole: i64 = whole.trim_start_matches('-').parse().expect("whole units");
    let fraction: i64 = format!("{fraction:0<2}")[..2].parse().expect("cents");
    sign * (whole * 100 + fraction)
}

/// A `Date` value.
pub fn date(value: &Value) -> chrono::NaiveDate {
    let text = value.as_str().unwrap_or_else(|| panic!("not a date: {value}"));
    text.parse().expect("ISO date")
}
