//! Typed settings: defaults < optional `expansion.toml` < environment (`EXPANSION_*`, with `__`
//! between nested keys, e.g. `EXPANSION_LIMITS__MAX_DEPTH=8`; and `DATABASE_URL`).
use crate::config_ops::{in_range, DatabaseSettings, MetricsSettings, OtelSettings, ShutdownSettings};
use crate::domain::health::HealthWeights;
use crate::error::Result;
use crate::processes::lifetime_value::ClvParams;
use crate::processes::negotiation::NegotiationConfig;
use crate::processes::renewals::{validate_offsets, DEFAULT_REMINDER_OFFSETS};
use crate::services::expansion::{CrossSellSettings, ExpansionSettings};
use crate::telemetry::LogFormat;
use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Everything the server can be configured with.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Database URL: SQLite file by default, `postgres://…` for production.
    pub database_url: String,
    /// Address to bind.
    pub bind: String,
    /// Port to listen on; 0 picks a free one (tests).
    pub port: u16,
    /// ISO currency of every amount (one per deployment).
    pub currency: String,
    /// Database connection pool size.
    pub max_connections: u32,
    /// Weights of the health components.
    pub health_weights: HealthWeights,
    /// Customer-lifetime-value parameters (121).
    pub clv: ClvParams,
    /// Expansion parameters (114–116).
    pub expansion: ExpansionSettings,
    /// Cross-sell (115) affordability.
    pub cross_sell: CrossSellSettings,
    /// Renewal reminders (117): offsets and the scheduler's timer.
    pub reminders: ReminderSettings,
    /// Negotiation strategies, discounts and term options (119).
    pub negotiation: NegotiationConfig,
    /// Query limits.
    pub limits: Limits,
    /// Event delivery: webhooks and the subscription feed.
    pub webhooks: WebhookSettings,
    /// The name clients reach this server by (e.g. `api.example.com`), besides loopback names:
    /// an open server refuses other `Host`s, `/mcp` other `Origin`s.
    pub public_host: Option<String>,
    /// Cross-origin browser access.
    pub cors: CorsSettings,
    /// Per-caller budget of query cost (per replica).
    pub rate_limit: RateLimitSettings,
    /// Seconds a token lookup is remembered (0–300; 0 = every request asks the database): a token
    /// revoked by another process stops working within this time, one revoked here at once.
    pub token_cache_secs: u64,
    /// Whether whole-book process answers are kept while the book is unchanged (see
    /// `services::cache`); off to measure the computation itself.
    pub process_cache: bool,
    /// Log format: `human` or `json`.
    pub log_format: LogFormat,
    /// `/metrics` on or off.
    pub metrics: MetricsSettings,
    /// Graceful shutdown.
    pub shutdown: ShutdownSettings,
    /// Database connection patience.
    pub database: DatabaseSettings,
    /// Trace export (OTLP).
    pub otel: OtelSettings,
}

/// Limits that keep one request from exhausting the server.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// Deepest allowed selection.
    pub max_depth: usize,
    /// Largest allowed cost of one operation (fields 1, connections `first` × their selection,
    /// whole-book process fields `process_cost`; see `graphql::cost`).
    pub max_complexity: usize,
    /// Most aliased fields in one operation.
    pub max_aliases: usize,
    /// Cost of one whole-book process field (114–121 without `clientId`).
    pub process_cost: usize,
    /// Seconds a request body may take to arrive in full.
    pub body_timeout_secs: u64,
    /// Largest request body in bytes.
    pub max_body_bytes: usize,
    /// Most operations in one batched request.
    pub max_batch: usize,
    /// Seconds one request may run.
    pub request_timeout_secs: u64,
    /// Whether the schema may be introspected.
    pub introspection: bool,
}

/// Which web origins (`https://app.example.com`) a browser may call the API from; none by default.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CorsSettings {
    /// Exact origins, scheme and host (and port when not the default).
    pub allowed_origins: Vec<String>,
}

/// A leaky bucket per token (per client address when anonymous): each operation takes its cost,
/// the bucket refills at `cost_per_second` up to `burst`. Kept in each replica's memory.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct RateLimitSettings {
    /// Refill rate; 0 turns rate limiting off.
    pub cost_per_second: u64,
    /// Bucket size: the most cost one caller can spend at once.
    pub burst: u64,
    /// Whether anonymous callers (an open server: no token exists, loopback only, so the
    /// developer's own machine) have buckets too, one per client address. Off by default: a
    /// local load test or script is not throttled until the server has tokens.
    pub anonymous: bool,
}

impl Default for RateLimitSettings {
    /// 50,000 cost per second with a burst of 500,000 per token: about 50 nested pages of 50
    /// clients (cost 950 each) or 50 whole-book process answers (1,000) a second, sustained.
    fn default() -> Self {
        RateLimitSettings {
            cost_per_second: 50_000,
            burst: 500_000,
            anonymous: false,
        }
    }
}

/// Renewal reminders: which ones exist and how often the scheduler creates the missing rows.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct ReminderSettings {
    /// Seconds between scheduler runs (it also runs once at startup); 0 turns the timer off.
    pub interval: u64,
    /// Days before the renewal date, each 1–730.
    pub offsets: Vec<i64>,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        ReminderSettings {
            interval: 3600,
            offsets: DEFAULT_REMINDER_OFFSETS.iter().map(|&o| i64::from(o)).collect(),
        }
    }
}

impl ReminderSettings {
    /// The offsets, checked, unique and largest first.
    pub fn offsets(&self) -> Result<Vec<u32>> {
        validate_offsets(&self.offsets)
    }
}

/// Event delivery: how the worker sends webhooks and how often the outbox is read.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct WebhookSettings {
    /// Whether this server runs the delivery worker (every replica may: they share the work).
    pub worker: bool,
    /// Milliseconds between reads of the outbox (subscription feed) and of due deliveries.
    pub poll_interval_ms: u64,
    /// Attempts of one delivery before it is `failed`.
    pub max_attempts: i32,
    /// First retry pause in milliseconds; doubles per attempt, with jitter.
    pub backoff_base_ms: u64,
    /// Longest retry pause in milliseconds.
    pub backoff_max_ms: u64,
    /// Seconds one POST may take (connecting included).
    pub timeout_secs: u64,
    /// Consecutive failed attempts after which an endpoint is disabled.
    pub disable_after_failures: i32,
    /// Deliveries sent at once by one worker.
    pub concurrency: usize,
    /// Let webhooks go to link-local and cloud-metadata addresses (refused by default).
    pub allow_link_local: bool,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        WebhookSettings {
            worker: true,
            poll_interval_ms: 100,
            max_attempts: 8,
            backoff_base_ms: 5_000,
            backoff_max_ms: 3_600_000,
            timeout_secs: 10,
            disable_after_failures: 50,
            concurrency: 16,
            allow_link_local: false,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 10,
            max_complexity: 5_000,
            max_aliases: 30,
            process_cost: 1_000,
            body_timeout_secs: 10,
            max_body_bytes: 1024 * 1024,
            max_batch: 10,
            request_timeout_secs: 30,
            introspection: true,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: "sqlite://./data/expansion.db?mode=rwc".to_owned(),
            bind: "127.0.0.1".to_owned(),
            port: 8080,
            currency: "USD".to_owned(),
            max_connections: 10,
            health_weights: HealthWeights::default(),
            clv: ClvParams::default(),
            expansion: ExpansionSettings::default(),
            cross_sell: CrossSellSettings::default(),
            reminders: ReminderSettings::default(),
            negotiation: NegotiationConfig::default(),
            limits: Limits::default(),
            webhooks: WebhookSettings::default(),
            public_host: None,
            cors: CorsSettings::default(),
            rate_limit: RateLimitSettings::default(),
            token_cache_secs: 5,
            process_cache: true,
            log_format: LogFormat::Human,
            metrics: MetricsSettings::default(),
            shutdown: ShutdownSettings::default(),
            database: DatabaseSettings::default(),
            otel: OtelSettings::default(),
        }
    }
}

impl Settings {
    /// Loads defaults, then `path` if it exists, then the environment. An unknown key or a value
    /// of the wrong type refuses to load with one line naming it (`config_errors`).
    pub fn load(path: &Path) -> anyhow::Result<Settings> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if path.exists() {
            figment = figment.merge(Toml::file(path));
        }
        let figment = figment
            // EXPANSION_CONFIG is the `--config` flag's variable and EXPANSION_TOKEN `mcp`'s token, not settings.
            .merge(Env::prefixed("EXPANSION_").ignore(&["config", "token"]).split("__"))
            .merge(Env::raw().only(&["DATABASE_URL"]).map(|_| "database_url".into()));
        crate::config_errors::refuse_unknown_keys(&figment)?;
        let settings: Settings = figment.extract().map_err(crate::config_errors::explain)?;
        in_range("max_connections", u64::from(settings.max_connections), 1, 1000)?;
        in_range("token_cache_secs", settings.token_cache_secs, 0, 300)?;
        if !(settings.currency.len() == 3 && settings.currency.bytes().all(|b| b.is_ascii_uppercase())) {
            anyhow::bail!(
                "config: `currency` = {:?} is not an ISO 4217 code (three capital letters, e.g. USD, EUR)",
                settings.currency
            );
        }
        settings.shutdown.validate()?;
        settings.database.validate()?;
        settings.otel.validate()?;
        let invalid = |e: crate::error::Error| anyhow::anyhow!("config: {}", e.message());
        settings.health_weights.validate().map_err(invalid)?;
        settings.clv.validate().map_err(invalid)?;
        settings.reminders.offsets().map_err(invalid)?;
        settings.negotiation.validate().map_err(invalid)?;
        crate::domain::validate::float_range(
            "expansion.bundle_discount",
            settings.expansion.bundle_discount,
            0.0,
            1.0,
        )
        .map_err(invalid)?;
        crate::domain::validate::float_range(
            "cross_sell.max_value_ratio",
            settings.cross_sell.max_value_ratio,
            0.0,
            100.0,
        )
        .map_err(invalid)?;
        Ok(settings)
    }

    /// What the expansion processes read: `expansion` with `cross_sell`'s affordability ratio.
    pub fn expansion_settings(&self) -> ExpansionSettings {
        ExpansionSettings {
            max_value_ratio: self.cross_sell.max_value_ratio,
            ..self.expansion
        }
    }

    /// The settings as printed at startup: the database password masked.
    pub fn masked(&self) -> Settings {
        let mut shown = self.clone();
        shown.database_url = mask_password(&self.database_url);
        shown
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn mask_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((credentials, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_masked_when_printed() {
        assert_eq!(
            mask_password("postgres://app:s3cret@db:5432/x"),
            "postgres://app:***@db:5432/x"
        );
        assert_eq!(
            mask_password("sqlite://./data/expansion.db?mode=rwc"),
            "sqlite://./data/expansion.db?mode=rwc"
        );
    }

    #[test]
    fn reminder_defaults_are_hourly_at_90_60_30_days() {
        let reminders = Settings::default().reminders;
        assert_eq!(reminders.interval, 3600);
        assert_eq!(reminders.offsets().expect("valid"), vec![90, 60, 30]);
    }

    #[test]
    #[allow(clippy::result_large_err)]
    fn bad_reminder_offsets_are_refused_at_load() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("EXPANSION_REMINDERS__OFFSETS", "[0]");
            assert!(Settings::load(Path::new("missing.toml")).is_err());
            Ok(())
        });
    }

    #[test]
    // figment's Jail API returns its large error type by value; not ours to shrink.
    #[allow(clippy::result_large_err)]
    fn environment_overrides_defaults() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("EXPANSION_PORT", "9090");
            jail.set_env("EXPANSION_LIMITS__MAX_DEPTH", "7");
            jail.set_env("DATABASE_URL", "postgres://u@h/db");
            jail.set_env("EXPANSION_REMINDERS__INTERVAL", "60");
            jail.set_env("EXPANSION_REMINDERS__OFFSETS", "[45, 14]");
            let settings = Settings::load(Path::new("missing.toml")).expect("loads");
            assert_eq!(settings.port, 9090);
            assert_eq!(settings.reminders.interval, 60);
            assert_eq!(settings.reminders.offsets().expect("valid"), vec![45, 14]);
            assert_eq!(settings.limits.max_depth, 7);
            assert_eq!(settings.database_url, "postgres://u@h/db");
            Ok(())
        });
    }
}
