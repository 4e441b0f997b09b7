//! Logging: human-readable by default, JSON lines with `--log-format json`; `RUST_LOG` filters.
use tracing_subscriber::EnvFilter;

/// Installs the global subscriber (once; later calls are ignored so tests can call it freely).
pub fn init(format: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
