//! The command line: `serve`, `migrate`, `seed`, `export-schema`, `mcp`, `token`.
use crate::config::Settings;
use crate::db::{self, SqlStatementCounter};
use crate::seed::{self, DemoOptions};
use crate::startup::{Application, ServeOptions};
use crate::telemetry::LogFormat;
use chrono::NaiveDate;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::path::{Path, PathBuf};

/// expansion-api: GraphQL API for renewals and expansion.
#[derive(Parser, Debug)]
#[command(version, about)]
pub struct Cli {
    /// Configuration file; it must exist when given (without it, `./expansion.toml` is read if
    /// present). Environment variables override it.
    #[arg(long, global = true, env = "EXPANSION_CONFIG")]
    pub config: Option<PathBuf>,
    /// Log format (overrides the `log_format` setting).
    #[arg(long, global = true, value_enum)]
    pub log_format: Option<LogFormat>,
    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the HTTP server (migrations run first).
    Serve {
        /// Seed demo data when the database is empty.
        #[arg(long)]
        demo: bool,
        /// Address to bind (default from config: 127.0.0.1).
        #[arg(long)]
        bind: Option<String>,
        /// Port (default from config: 8080).
        #[arg(long)]
        port: Option<u16>,
    },
    /// Run pending migrations and exit.
    Migrate,
    /// Seed demo data.
    Seed {
        /// Seed the deterministic demo book (the only kind so far).
        #[arg(long)]
        demo: bool,
        /// Number of clients.
        #[arg(long, default_value_t = 500)]
        clients: usize,
        /// Random seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// The book's "today" (default: today, UTC).
        #[arg(long)]
        as_of: Option<NaiveDate>,
    },
    /// Import a book from CSV / JSON Lines files (docs/import.md): all or nothing, in one
    /// transaction. Exit code 0 imported, 2 invalid input (every bad row reported), 1 other failure.
    Import {
        /// Files, or directories of `<entity>.csv` / `<entity>.jsonl` files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Validate and report without writing.
        #[arg(long)]
        dry_run: bool,
        /// `upsert` updates rows whose key exists; `insert` refuses them.
        #[arg(long, default_value = "upsert", value_parser = ["upsert", "insert"])]
        mode: String,
        /// The entity of every file given (default: named by each file's name).
        #[arg(long)]
        entity: Option<String>,
    },
    /// Export the whole book into a directory, one file per entity, in the import formats.
    Export {
        /// Directory to write (created if missing).
        dir: PathBuf,
        /// `csv` or `jsonl`.
        #[arg(long, default_value = "csv", value_parser = ["csv", "jsonl"])]
        format: String,
        /// Write the book as it stood at the end of this day (YYYY-MM-DD): later facts are left out
        /// and later closings reopened (docs/import.md, "Exporting a past day").
        #[arg(long)]
        as_of: Option<NaiveDate>,
    },
    /// Print the GraphQL schema (SDL).
    ExportSchema,
    /// Speak MCP over stdio (for desktop agents): JSON-RPC lines on stdin/stdout.
    Mcp {
        /// The caller's bearer token (needed once any token exists).
        #[arg(long, env = "EXPANSION_TOKEN", hide_env_values = true)]
        token: Option<String>,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
}

/// `token create|list|revoke`.
#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create a token and print its secret (shown this once; only its SHA-256 is stored).
    Create {
        /// A unique name (who or what uses it).
        #[arg(long)]
        name: String,
        /// VIEWER (queries), CSM (+ account work) or ADMIN (everything).
        #[arg(long, value_parser = parse_role)]
        role: crate::domain::Role,
        /// Days until the token expires (default: never).
        #[arg(long)]
        expires: Option<u32>,
    },
    /// List tokens: name, role, created, last used, expiry — never the secret.
    List,
    /// Revoke a token by name or id.
    Revoke {
        /// The token's name or id.
        name_or_id: String,
    },
}

fn parse_role(text: &str) -> Result<crate::domain::Role, String> {
    crate::domain::Role::parse("role", &text.to_ascii_lowercase()).map_err(|e| e.message())
}

impl Cli {
    /// Parses the command line; `serve --help` ends with every setting and its variable.
    pub fn parse_with_settings_help() -> Cli {
        let command =
            Cli::command().mut_subcommand("serve", |serve| serve.after_help(crate::config_errors::help_table()));
        Cli::from_arg_matches(&command.get_matches()).unwrap_or_else(|err| err.exit())
    }

    /// The settings: defaults, the config file, the environment, then `--log-format`.
    pub fn settings(&self) -> anyhow::Result<Settings> {
        let mut settings = match &self.config {
            Some(path) if !path.is_file() => anyhow::bail!(
                "config: the file {} given with --config (or EXPANSION_CONFIG) does not exist",
                path.display()
            ),
            Some(path) => Settings::load(path)?,
            None => Settings::load(Path::new("expansion.toml"))?,
        };
        if let Some(format) = self.log_format {
            settings.log_format = format;
        }
        Ok(settings)
    }
}

/// Runs the parsed command.
pub async fn run(cli: Cli, mut settings: Settings) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve { demo, bind, port } => {
            settings.bind = bind.unwrap_or(settings.bind);
            settings.port = port.unwrap_or(settings.port);
            tracing::info!(settings = ?settings.masked(), "starting");
            let app = Application::build(&settings, &ServeOptions { demo }).await?;
            tracing::info!("listening on http://{}:{}/graphql", settings.bind, app.port());
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            let db = connect(&settings, 1, &SqlStatementCounter::default()).await?;
            db::migrate(&db).await?;
            tracing::info!("migrations applied");
        }
        Command::Seed {
            demo,
            clients,
            seed,
            as_of,
        } => {
            anyhow::ensure!(demo, "only demo seeding exists: pass --demo");
            anyhow::ensure!((1..=1_000_000).contains(&clients), "--clients must be 1–1000000");
            let db = connect(&settings, 2, &SqlStatementCounter::default()).await?;
            db::migrate(&db).await?;
            let defaults = DemoOptions::default();
            let options = DemoOptions {
                clients,
                seed,
                as_of: as_of.unwrap_or(defaults.as_of),
            };
            seed::seed_demo_if_empty(&db, &options).await?;
        }
        Command::Import {
            paths,
            dry_run,
            mode,
            entity,
        } => {
            let code = crate::services::import::run_cli(&settings, &paths, dry_run, &mode, entity.as_deref()).await?;
            if code != 0 {
                std::process::exit(code);
            }
        }
        Command::Export { dir, format, as_of } => {
            let db = db::connect(&settings.database_url, 2, &SqlStatementCounter::default()).await?;
            db::migrate(&db).await?;
            let rows = crate::services::import::export(&db, &dir, &format, as_of).await?;
            tracing::info!(rows, dir = %dir.display(), "book exported");
        }
        Command::ExportSchema => print!("{}", crate::graphql::sdl()),
        Command::Mcp { token } => {
            let counter = SqlStatementCounter::default();
            let db = connect(&settings, settings.max_connections, &counter).await?;
            db::migrate(&db).await?;
            let auth_db = crate::startup::auth_pool(&settings, &db).await?;
            let state = crate::startup::app_state(&settings, db, auth_db, counter)?;
            crate::mcp::stdio::serve(&state, token).await?;
        }
        Command::Token { command } => {
            let db = db::connect(&settings.database_url, 1, &SqlStatementCounter::default()).await?;
            db::migrate(&db).await?;
            crate::cli_tokens::run(&db, command).await?;
        }
    }
    Ok(())
}

/// The pool for a command, with the configured connect timeout.
async fn connect(settings: &Settings, max: u32, counter: &SqlStatementCounter) -> anyhow::Result<db::Db> {
    db::pool::connect_with(&settings.database_url, max, counter, settings.database.timeouts()).await
}
