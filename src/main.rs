//! Entry point: config → telemetry → command. A failure is one line on stderr and exit code 1.
use expansion_api::{cli, telemetry};

/// See Cargo.toml: async-graphql allocates per resolved field, and mimalloc makes that cheap.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    // Whole-book reads are decoded on this runtime's threads, not on the request's actix worker.
    expansion_api::db::parallel::use_runtime(tokio::runtime::Handle::current());
    let cli = cli::Cli::parse_with_settings_help();
    let result = match cli.settings() {
        Ok(settings) => match telemetry::init_with_export(settings.log_format, &settings.otel) {
            // The guard lives until `run` returns, then flushes the spans not yet exported.
            Ok(_export) => cli::run(cli, settings).await,
            Err(err) => Err(err),
        },
        Err(err) => Err(err),
    };
    if let Err(err) = result {
        // `{:#}` keeps the causes on the same line: "cannot listen on …: Address in use".
        eprintln!("error: {err:#}");
        std::process::exit(1);
    }
}
