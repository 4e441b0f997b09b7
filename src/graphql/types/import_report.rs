//! The report of `importBook`: what the CLI prints, as typed data.
use crate::import::{self, EntityCounts, RowError};
use async_graphql::SimpleObject;

/// What an import did (or, for a dry run or a refused import, would have done).
#[derive(SimpleObject)]
pub struct ImportReport {
    /// True when every row was valid; false means nothing was written.
    pub valid: bool,
    /// True for a dry run: validated, nothing written.
    pub dry_run: bool,
    /// Rows read from the files.
    pub rows: u64,
    /// Per entity, the rows inserted, updated and unchanged.
    pub entities: Vec<ImportEntityCounts>,
    /// The first 100 problems, in file order.
    pub errors: Vec<ImportRowError>,
    /// Problems found in all.
    pub error_count: u64,
}

/// Rows of one entity by what the import did with them.
#[derive(SimpleObject)]
pub struct ImportEntityCounts {
    /// The entity, as its file is named (`clients`, `usage_snapshots`, …).
    pub entity: String,
    /// New rows.
    pub inserted: u64,
    /// Rows whose stored values changed.
    pub updated: u64,
    /// Rows equal to the stored ones.
    pub unchanged: u64,
    /// Contract items and ledger events no longer in the files (replaced per contract / client).
    pub deleted: u64,
}

/// One bad value of one row.
#[derive(SimpleObject)]
pub struct ImportRowError {
    /// The file, as named in the request.
    pub file: String,
    /// Line in the file (1-based; 0 = the file or the book as a whole).
    pub line: u64,
    /// The column (empty when the row as a whole is wrong).
    pub column: String,
    /// What is wrong.
    pub message: String,
    /// What is allowed.
    pub allowed: Option<String>,
    /// `file:line: column: message (allowed …)`, as the CLI prints it.
    pub text: String,
}

impl From<import::ImportReport> for ImportReport {
    fn from(r: import::ImportReport) -> Self {
        let count = |(entity, c): (&import::Entity, &EntityCounts)| ImportEntityCounts {
            entity: entity.name().to_owned(),
            inserted: c.inserted,
            updated: c.updated,
            unchanged: c.unchanged,
            deleted: c.deleted,
        };
        let error = |e: RowError| ImportRowError {
            text: e.to_string(),
            file: e.file,
            line: e.line,
            column: e.column,
            message: e.message,
            allowed: e.allowed,
        };
        ImportReport {
            valid: r.is_valid(),
            dry_run: r.dry_run,
            rows: r.rows,
            entities: r.counts.iter().map(count).collect(),
            error_count: r.error_count,
            errors: r.errors.into_iter().map(error).collect(),
        }
    }
}
