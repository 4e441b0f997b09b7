//! Importing a book: every file parsed and validated in memory, merged with the stored book and
//! written in ONE transaction that ends with the ledger invariant checked in SQL. Any bad row,
//! or a ledger that does not add up, writes nothing; a dry run validates and reports only.
use super::RequestContext;
use crate::db::{self, Db};
use crate::domain::health::HealthWeights;
use crate::error::Result;
use crate::import::parse_context;
use crate::import::report::At;
use crate::import::{plan, ImportReport, Mode, RowError, SourceFile};
use crate::services::retry;

/// How to import.
#[derive(Clone, Copy, Debug, Default)]
pub struct ImportOptions {
    pub mode: Mode,
    pub dry_run: bool,
}

/// Imports `files`. Bad input is not an `Err`: it comes back as a report with its row errors
/// (and nothing written); `Err` is a failure of the database or the server.
pub async fn import(
    db: &Db,
    rc: &RequestContext,
    weights: &HealthWeights,
    files: &[SourceFile],
    options: ImportOptions,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<ImportReport> {
    retry::transient(|| import_once(db, rc, weights, files, options, progress)).await
}

async fn import_once(
    db: &Db,
    rc: &RequestContext,
    weights: &HealthWeights,
    files: &[SourceFile],
    options: ImportOptions,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<ImportReport> {
    let ctx = parse_context(rc.now, *weights);
    if options.dry_run {
        let existing = db::bulk::load_book(db).await?;
        return Ok(match plan(&existing, files, options.mode, &ctx) {
            Ok(plan) => ImportReport {
                dry_run: true,
                ..plan.report
            },
            Err(report) => report,
        });
    }
    // The stored book is read inside the write transaction: nothing changes under the plan.
    let txn = db::write::begin(db).await?;
    let existing = db::bulk::load_book(&txn).await?;
    let plan = match plan(&existing, files, options.mode, &ctx) {
        Ok(plan) => plan,
        Err(report) => return Ok(report),
    };
    drop(existing);
    let changes = db::bulk::Changes {
        insert: &plan.insert,
        update: &plan.update,
        delete_items: &plan.delete_items,
        delete_events: &plan.delete_events,
    };
    db::bulk::apply(&txn, &changes, &rc.actor, &rc.request_id, rc.now, progress).await?;
    let violations = db::bulk::ledger_violations(&txn).await?;
    if !violations.is_empty() {
        let mut report = plan.report;
        let at = At {
            file: "revenue_events".into(),
            line: 0,
        };
        report.add_errors(violations.into_iter().map(|(client, ledger, contracted)| {
            RowError::new(
                &at,
                "arr_delta",
                format!(
                    "client {client}: the ledger sums to {} but its active contract is worth {}",
                    ledger.text(),
                    contracted.text()
                ),
                Some("events summing to the ARR of the client's active contract".into()),
            )
        }));
        return Ok(report); // dropped: rolled back
    }
    txn.commit().await?;
    if plan.report.rows >= BULK_ROWS {
        db::bulk::refresh_planner_statistics(db).await?;
    }
    Ok(plan.report)
}

/// Rows read from the files from which an import counts as a bulk load: the planner statistics
/// are refreshed after it (a few hundred ms on 50,000 clients; not worth it for a small import).
const BULK_ROWS: u64 = 10_000;

/// `expansion-api import`: reads the files, imports them, prints the report; returns the exit
/// code (0 imported or valid, 2 invalid input).
pub async fn run_cli(
    settings: &crate::config::Settings,
    paths: &[std::path::PathBuf],
    dry_run: bool,
    mode: &str,
    entity: Option<&str>,
) -> anyhow::Result<i32> {
    use crate::import::{source, Entity};
    let entity = match entity {
        None => None,
        Some(name) => Some(
            Entity::from_name(name).ok_or_else(|| anyhow::anyhow!("--entity {name}: allowed {}", Entity::allowed()))?,
        ),
    };
    let (files, errors) = source::collect(paths, entity);
    if !errors.is_empty() {
        let mut report = ImportReport::default();
        report.add_errors(errors);
        eprint!("{report}");
        return Ok(2);
    }
    let db = db::connect(&settings.database_url, 2, &db::SqlStatementCounter::default()).await?;
    db::migrate(&db).await?;
    let rc = RequestContext {
        now: chrono::Utc::now(),
        request_id: uuid::Uuid::new_v4().to_string(),
        actor: crate::domain::access::Actor::without_token("cli"),
        client: "cli".to_owned(),
    };
    let options = ImportOptions {
        mode: if mode == "insert" { Mode::Insert } else { Mode::Upsert },
        dry_run,
    };
    let started = std::time::Instant::now();
    let progress = crate::progress::Progress::new("importing");
    let report = import(&db, &rc, &settings.health_weights, &files, options, &|d, t| {
        progress.update(d, t)
    })
    .await
    .map_err(anyhow::Error::from)?;
    progress.finish();
    if !report.is_valid() {
        eprint!("{report}");
        return Ok(2);
    }
    print!("{report}");
    let elapsed = started.elapsed().as_secs_f64();
    tracing::info!(
        rows = report.rows,
        elapsed_s = elapsed,
        rows_per_s = (report.rows as f64 / elapsed.max(1e-9)) as u64,
        "import finished"
    );
    Ok(0)
}

/// `expansion-api export`: the whole stored book into `dir` in `format` (`csv` or `jsonl`), or the
/// book as it stood at the end of `as_of` (`import::as_of`).
pub async fn export(
    db: &Db,
    dir: &std::path::Path,
    format: &str,
    as_of: Option<chrono::NaiveDate>,
) -> anyhow::Result<u64> {
    let format = if format == "jsonl" {
        crate::import::Format::JsonLines
    } else {
        crate::import::Format::Csv
    };
    let mut book = db::bulk::load_book(db).await.map_err(anyhow::Error::from)?;
    if let Some(day) = as_of {
        book = crate::import::as_of::book_as_of(&book, day);
    }
    crate::import::export::write_dir(&book, dir, format)
}
