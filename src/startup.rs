//! Building and running the server: database, migrations, optional demo data, schema, listener.
use crate::config::Settings;
use crate::db::{self, Db, SqlStatementCounter};
use crate::graphql::build_schema;
use crate::http::{self, AppState};
use crate::scheduler::delivery::DeliveryWorker;
use crate::scheduler::feed::EventFeed;
use crate::scheduler::ReminderScheduler;
use crate::seed;
use actix_web::dev::Server;
use actix_web::{middleware, web, App, HttpServer};
use std::net::{IpAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// A bound, ready-to-run server.
pub struct Application {
    port: u16,
    server: Server,
    db: Db,
    sql_statements: SqlStatementCounter,
    reminders: ReminderScheduler,
    grace: Duration,
    feed: EventFeed,
    deliveries: Arc<crate::scheduler::delivery::DeliveryCounters>,
    /// The outbox poller's and delivery worker's own pool (their statements stay out of the
    /// request counters and never wait behind a busy request pool).
    events_db: Db,
    webhooks: crate::config::WebhookSettings,
    /// Turns true when the scheduler's first run (reminders, scheduled events) is over.
    first_run: watch::Sender<bool>,
    /// Statements of the feed and the webhook worker (their own pool).
    background_sql: SqlStatementCounter,
}

/// What `serve` was asked for beyond the settings.
#[derive(Clone, Debug, Default)]
pub struct ServeOptions {
    /// Seed demo data into an empty database first.
    pub demo: bool,
}

impl Application {
    /// Connects, migrates, seeds (when asked and empty), builds the schema and binds the port
    /// (0 = any free port, for tests). The first scheduler run starts with
    /// [`Application::run_until_stopped`], in the background.
    pub async fn build(settings: &Settings, options: &ServeOptions) -> anyhow::Result<Application> {
        // Bound first: a port in use is said at once, before migrations run.
        let listener = listen(&settings.bind, settings.port)?;
        let port = listener.local_addr()?.port();
        if settings.metrics.enabled {
            crate::telemetry::meter::install();
        }
        crate::services::cache::set_enabled(settings.process_cache);
        let sql_statements = SqlStatementCounter::default();
        let timeouts = settings.database.timeouts();
        let db = db::pool::connect_with(
            &settings.database_url,
            settings.max_connections,
            &sql_statements,
            timeouts,
        )
        .await?;
        db::migrate(&db).await?;
        let tokens_exist = crate::services::tokens::any_exist(&db).await?;
        refuse_open_network_bind(&settings.bind, tokens_exist)?;
        if options.demo {
            seed::seed_demo_if_empty(&db, &seed::DemoOptions::default()).await?;
        }
        let offsets = settings
            .reminders
            .offsets()
            .map_err(|e| anyhow::anyhow!("config: {}", e.message()))?;
        let reminders = ReminderScheduler {
            db: db.clone(),
            offsets: offsets.clone(),
            interval: Duration::from_secs(settings.reminders.interval),
        };
        // The side pools, opened at once (each costs a connection round or two; one after the other
        // they were most of the cold start on PostgreSQL):
        // - `/ready` asks over a connection of its own, so it never queues behind the request pool;
        // - the token checks have their own two;
        // - the feed has one, and the webhook worker one per delivery sent at once (up to 8).
        let events_pool = 2 + settings.webhooks.concurrency.clamp(1, 8) as u32;
        let (background_sql, probe_sql) = (SqlStatementCounter::default(), SqlStatementCounter::default());
        let (probe, auth_db, events_db) = tokio::try_join!(
            db::pool::connect_with(&settings.database_url, 1, &probe_sql, timeouts),
            auth_pool(settings, &db),
            db::pool::connect_with(&settings.database_url, events_pool, &background_sql, timeouts),
        )?;
        let mut state = app_state(settings, db.clone(), auth_db, sql_statements.clone())?;
        state.probe_db = probe;
        let (feed, deliveries) = (state.feed.clone(), state.deliveries.clone());
        let state = web::Data::new(state);
        let body_limit = settings.limits.max_body_bytes;
        let grace_secs = settings.shutdown.grace_secs;
        let (cors, public_host) = (settings.cors.clone(), settings.public_host.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(web::PayloadConfig::new(body_limit))
                .wrap(http::edge::cors(&cors, public_host.clone()))
                .wrap(http::edge::security_headers())
                .wrap(middleware::Compress::default())
                .wrap(middleware::from_fn(http::request_id::assign))
                .configure(http::routes)
        })
        .listen(listener)?
        // Signals are ours (`run_until_stopped`): SIGINT drains like SIGTERM instead of cutting.
        .disable_signals()
        .shutdown_timeout(grace_secs)
        .run();
        Ok(Application {
            port,
            server,
            db,
            sql_statements,
            reminders,
            grace: Duration::from_secs(grace_secs),
            feed,
            deliveries,
            events_db,
            webhooks: settings.webhooks.clone(),
            first_run: watch::channel(false).0,
            background_sql,
        })
    }

    /// Counter of the statements the event feed and the webhook worker sent (an idle server
    /// should send almost none).
    pub fn background_sql_statements(&self) -> SqlStatementCounter {
        self.background_sql.clone()
    }

    /// Turns true once the scheduler's first run is over (it starts with `run_until_stopped`).
    pub fn first_scheduler_run(&self) -> watch::Receiver<bool> {
        self.first_run.subscribe()
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The database pool (tests read through it).
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Counter of SQL statements sent (tests of the N+1 rule read it).
    pub fn sql_statements(&self) -> SqlStatementCounter {
        self.sql_statements.clone()
    }

    /// Serves until SIGTERM or SIGINT, then stops accepting and lets in-flight requests finish
    /// for up to `shutdown.grace_secs`. The reminder timer, the event feed and the webhook
    /// delivery worker run alongside; the timer finishes a run in progress and stops with the
    /// server, the feed and the worker are stopped (a delivery cut short is retried: at-least-once).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let timer = self.reminders.spawn_timer(stopped, self.first_run);
        let poll = Duration::from_millis(self.webhooks.poll_interval_ms.max(10));
        let mut background: Vec<tokio::task::JoinHandle<()>> =
            vec![self.feed.spawn_poller(self.events_db.clone(), poll)];
        if self.webhooks.worker {
            let worker = DeliveryWorker::new(
                self.events_db.clone(),
                self.webhooks.clone(),
                self.feed.new_events.clone(),
                self.deliveries.clone(),
            )
            .map_err(std::io::Error::other)?;
            background.push(worker.spawn());
        }
        let handle = self.server.handle();
        let grace = self.grace;
        let signals = tokio::spawn(async move {
            shutdown_signal().await;
            tracing::info!(
                grace_secs = grace.as_secs(),
                "shutting down: no new connections, finishing in-flight requests"
            );
            handle.stop(true).await;
        });
        let result = self.server.await;
        signals.abort();
        let _ = stop.send(true);
        for task in background {
            task.abort();
        }
        if tokio::time::timeout(grace, timer).await.is_err() {
            tracing::warn!("the reminder scheduler did not stop within the grace period");
        }
        tracing::info!("stopped");
        result
    }
}

/// SIGTERM (orchestrators) or SIGINT (Ctrl-C).
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Binds `bind:port`; the error names both and what usually causes it.
fn listen(bind: &str, port: u16) -> anyhow::Result<TcpListener> {
    TcpListener::bind((bind, port)).map_err(|err| {
        let hint = match err.kind() {
            std::io::ErrorKind::AddrInUse => {
                "; another process listens there: stop it or choose another --port (EXPANSION_PORT)"
            }
            std::io::ErrorKind::PermissionDenied => {
                "; ports below 1024 need privileges: choose another --port (EXPANSION_PORT)"
            }
            std::io::ErrorKind::AddrNotAvailable => "; this machine has no such address: check --bind (EXPANSION_BIND)",
            _ => "",
        };
        anyhow::anyhow!("cannot listen on {bind}:{port}: {err}{hint}")
    })
}

/// The pool tokens are looked up in: two connections of its own, so authentication (and with it a
/// quick 401, 429 or `QUERY_TOO_COMPLEX`) never waits behind queries that hold the main pool, and
/// the main pool's statements are the operations' own. An in-memory SQLite database cannot be
/// opened twice, so it shares the main pool.
pub async fn auth_pool(settings: &Settings, db: &Db) -> anyhow::Result<Db> {
    if settings.database_url.contains(":memory:") {
        return Ok(db.clone());
    }
    db::connect(&settings.database_url, 2, &SqlStatementCounter::default()).await
}

/// The state every request handler shares (also what `expansion-api mcp` serves over stdio).
pub fn app_state(
    settings: &Settings,
    db: Db,
    auth_db: Db,
    sql_statements: SqlStatementCounter,
) -> anyhow::Result<AppState> {
    let offsets = settings
        .reminders
        .offsets()
        .map_err(|e| anyhow::anyhow!("config: {}", e.message()))?;
    // Sentences write amounts in the deployment's currency (domain::money_text).
    crate::domain::money_text::set_currency(&settings.currency);
    let feed = EventFeed::default();
    Ok(AppState {
        schema: build_schema(db.clone(), settings, offsets, feed.clone()),
        probe_db: db.clone(),
        feed,
        deliveries: Arc::default(),
        db,
        limits: settings.limits.clone(),
        clv: settings.clv,
        sql_statements,
        persisted: http::persisted::PersistedQueries::new(1000),
        gate: http::auth::Gate::new(
            settings.public_host.clone(),
            auth_db,
            std::time::Duration::from_secs(settings.token_cache_secs),
        ),
        rate_limiter: http::rate_limit::RateLimiter::new(settings.rate_limit),
        allowed_origins: settings.cors.allowed_origins.clone(),
    })
}

/// Without any token the server is open, so it may only listen on a loopback address; once a
/// token exists every request needs one and any address will do.
fn refuse_open_network_bind(bind: &str, tokens_exist: bool) -> anyhow::Result<()> {
    if tokens_exist {
        return Ok(());
    }
    let loopback = bind == "localhost" || bind.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if !loopback {
        anyhow::bail!(
            "refusing to bind {bind}: without authentication the server only listens on a loopback address \
             (create a token first: `expansion-api token create --name … --role …`)"
        );
    }
    tracing::warn!(
        "running without authentication: open to anyone who can reach {bind} (development only); \
         creating a token closes it"
    );
    Ok(())
}
