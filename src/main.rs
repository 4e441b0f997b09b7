//! Entry point: config → telemetry → command.
use clap::Parser;
use expansion_api::{cli, config::Settings, telemetry};

/// See Cargo.toml: async-graphql allocates per resolved field, and mimalloc makes that cheap.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = cli::Cli::parse();
    let mut settings = Settings::load(&cli.config)?;
    if let Some(format) = &cli.log_format {
        settings.log_format = format.clone();
    }
    telemetry::init(&settings.log_format);
    cli::run(cli, settings).await
}
