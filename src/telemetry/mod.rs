//! Logs, traces and metrics. Logs: human-readable by default, JSON lines with `--log-format json`;
//! `RUST_LOG` filters; colour only when stderr is a terminal (log files and journald get plain
//! text). Traces: with `otel.endpoint` set, every request's span (request id, method, path,
//! operation, token name) and its SQL statements (as span events with their durations) are
//! exported over OTLP/HTTP (`otel`). Metrics: `meter`.
pub mod meter;
mod otel;

use crate::config_ops::OtelSettings;
use serde::{Deserialize, Serialize};
use std::io::IsTerminal;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

pub use otel::OtelGuard;

/// How log lines are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One readable line per event.
    #[default]
    Human,
    /// One JSON object per line (for log shippers).
    Json,
}

/// Installs the global subscriber (once; later calls are ignored so tests can call it freely).
pub fn init(format: LogFormat) {
    let _ = tracing_subscriber::registry().with(log_layer(format)).try_init();
}

/// Installs the global subscriber with trace export when `otel.endpoint` is set; keep the guard
/// until exit, dropping it flushes the spans not yet sent.
pub fn init_with_export(format: LogFormat, otel: &OtelSettings) -> anyhow::Result<Option<OtelGuard>> {
    let Some(endpoint) = otel.endpoint.as_deref() else {
        init(format);
        return Ok(None);
    };
    let service = otel.service_name.as_deref().unwrap_or("expansion-api");
    let (layer, guard) = otel::layer(endpoint, service)?;
    let _ = tracing_subscriber::registry()
        .with(log_layer(format))
        .with(layer)
        .try_init();
    Ok(Some(guard))
}

/// The log lines' layer, filtered by `RUST_LOG` (its filter applies to logs only, so the export
/// can see SQL statements the logs leave out).
fn log_layer<S>(format: LogFormat) -> Box<dyn Layer<S> + Send + Sync>
where
    S: tracing::Subscriber + Send + Sync + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let layer = tracing_subscriber::fmt::layer()
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => layer.json().with_filter(filter).boxed(),
        LogFormat::Human => layer.with_filter(filter).boxed(),
    }
}
