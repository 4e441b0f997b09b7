//! Operational settings: metrics, shutdown and the database connection's patience. Kept apart
//! from `config` so that the product settings there read on their own.
use serde::{Deserialize, Serialize};

/// Trace export over OTLP/HTTP (protobuf): off unless `endpoint` is set.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OtelSettings {
    /// The collector's traces URL, e.g. `http://otel-collector:4318/v1/traces`; unset = no export.
    pub endpoint: Option<String>,
    /// `service.name` of the exported spans (default `expansion-api`).
    pub service_name: Option<String>,
}

impl OtelSettings {
    /// The endpoint, if set, must be an http(s) URL.
    pub fn validate(&self) -> anyhow::Result<()> {
        if let Some(endpoint) = &self.endpoint {
            anyhow::ensure!(
                endpoint.starts_with("http://") || endpoint.starts_with("https://"),
                "config: `otel.endpoint` = {endpoint:?} is not an http(s) URL: allowed e.g. http://collector:4318/v1/traces"
            );
        }
        Ok(())
    }
}

/// `/metrics` (Prometheus).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct MetricsSettings {
    /// Whether metrics are recorded and served on `/metrics`.
    pub enabled: bool,
}

impl Default for MetricsSettings {
    fn default() -> Self {
        MetricsSettings { enabled: true }
    }
}

/// Stopping on SIGTERM or SIGINT.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct ShutdownSettings {
    /// Seconds in-flight requests may take to finish once the server stops accepting (0–3600).
    pub grace_secs: u64,
}

impl Default for ShutdownSettings {
    fn default() -> Self {
        ShutdownSettings { grace_secs: 30 }
    }
}

/// How long the server waits for its database.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct DatabaseSettings {
    /// Seconds to wait for the first connection at startup before giving up (1–300).
    pub connect_timeout_secs: u64,
    /// Seconds a request waits for a pooled connection before it is answered
    /// `SERVICE_UNAVAILABLE` (HTTP 503) (1–300).
    pub acquire_timeout_secs: u64,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        DatabaseSettings {
            connect_timeout_secs: 5,
            acquire_timeout_secs: 10,
        }
    }
}

impl ShutdownSettings {
    /// The grace period, checked.
    pub fn validate(&self) -> anyhow::Result<()> {
        in_range("shutdown.grace_secs", self.grace_secs, 0, 3600)
    }
}

impl DatabaseSettings {
    /// The timeouts, checked.
    pub fn validate(&self) -> anyhow::Result<()> {
        in_range("database.connect_timeout_secs", self.connect_timeout_secs, 1, 300)?;
        in_range("database.acquire_timeout_secs", self.acquire_timeout_secs, 1, 300)
    }

    /// The pool's timeouts.
    pub fn timeouts(&self) -> crate::db::pool::PoolTimeouts {
        crate::db::pool::PoolTimeouts {
            connect: std::time::Duration::from_secs(self.connect_timeout_secs),
            acquire: std::time::Duration::from_secs(self.acquire_timeout_secs),
        }
    }
}

/// `key` = `value` must lie in `low..=high`; the error names the key, the value and the range.
pub fn in_range(key: &str, value: u64, low: u64, high: u64) -> anyhow::Result<()> {
    anyhow::ensure!(
        (low..=high).contains(&value),
        "config: `{key}` = {value} is out of range: allowed {low}–{high}"
    );
    Ok(())
}
