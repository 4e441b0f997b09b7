//! What an import says back: every bad row as `file:line: column: message (allowed …)`, and per
//! entity how many rows were inserted, updated or unchanged.
use super::Entity;
use crate::error::Error;
use std::collections::BTreeMap;
use std::fmt;

/// Row errors kept in a report at most; the total is always counted.
pub const MAX_REPORTED_ERRORS: usize = 100;

/// Where a row came from: its file and line (1-based; 0 = the file as a whole).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct At {
    pub file: String,
    pub line: u64,
}

/// One problem with one value of one row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub file: String,
    pub line: u64,
    pub column: String,
    pub message: String,
    pub allowed: Option<String>,
}

impl RowError {
    /// A problem at `at` in `column`.
    pub fn new(at: &At, column: &str, message: impl Into<String>, allowed: Option<String>) -> Self {
        RowError {
            file: at.file.clone(),
            line: at.line,
            column: column.to_owned(),
            message: message.into(),
            allowed,
        }
    }

    /// The domain's `BAD_USER_INPUT` errors of a row, each with the column its field is read from
    /// (`arrDelta` → `arr_delta`, `items.arr` → `arr`).
    pub fn from_domain(at: &At, err: Error) -> Vec<RowError> {
        match err {
            Error::BadUserInputs(all) => all.into_iter().flat_map(|e| RowError::from_domain(at, e)).collect(),
            Error::BadUserInput {
                field,
                message,
                allowed,
            } => vec![RowError::new(at, &column_of(&field), message, allowed)],
            other => vec![RowError::new(at, "", other.message(), None)],
        }
    }
}

/// The snake_case column of a camelCase input field.
fn column_of(field: &str) -> String {
    let field = field.rsplit('.').next().unwrap_or(field);
    let mut column = String::with_capacity(field.len() + 4);
    for c in field.chars() {
        if c.is_ascii_uppercase() {
            column.push('_');
            column.push(c.to_ascii_lowercase());
        } else {
            column.push(c);
        }
    }
    column
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        if !self.column.is_empty() {
            write!(f, ": {}", self.column)?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(allowed) = &self.allowed {
            write!(f, " (allowed {allowed})")?;
        }
        Ok(())
    }
}

/// Rows of one entity by what the import did with them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EntityCounts {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Contract items and ledger events are replaced per contract / client: rows no longer in
    /// the file.
    pub deleted: u64,
}

/// The outcome of an import (or a dry run).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub counts: BTreeMap<Entity, EntityCounts>,
    /// The first [`MAX_REPORTED_ERRORS`] problems, in file order.
    pub errors: Vec<RowError>,
    /// Problems found in all.
    pub error_count: u64,
    pub dry_run: bool,
    /// Rows read from the files.
    pub rows: u64,
}

impl ImportReport {
    /// Adds problems, keeping the first ones and counting all.
    pub fn add_errors(&mut self, errors: impl IntoIterator<Item = RowError>) {
        for err in errors {
            self.error_count += 1;
            if self.errors.len() < MAX_REPORTED_ERRORS {
                self.errors.push(err);
            }
        }
    }

    /// True when nothing was wrong.
    pub fn is_valid(&self) -> bool {
        self.error_count == 0
    }

    /// The counts of `entity`, to be filled in.
    pub fn entity(&mut self, entity: Entity) -> &mut EntityCounts {
        self.counts.entry(entity).or_default()
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for err in &self.errors {
            writeln!(f, "{err}")?;
        }
        if !self.is_valid() {
            if self.error_count > self.errors.len() as u64 {
                writeln!(f, "… and {} more", self.error_count - self.errors.len() as u64)?;
            }
            return writeln!(f, "{} invalid value(s): nothing was imported", self.error_count);
        }
        for (entity, c) in &self.counts {
            write!(
                f,
                "{entity:<17} inserted {:>8}  updated {:>8}  unchanged {:>8}",
                c.inserted, c.updated, c.unchanged
            )?;
            if c.deleted > 0 {
                write!(f, "  deleted {:>8}", c.deleted)?;
            }
            writeln!(f)?;
        }
        if self.dry_run {
            writeln!(f, "dry run: {} rows valid, nothing written", self.rows)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_error_reads_file_line_column_message_and_allowed() {
        let at = At {
            file: "clients.csv".into(),
            line: 7,
        };
        let err = RowError::from_domain(&at, Error::bad_input("customerSince", "bad date", "YYYY-MM-DD"));
        assert_eq!(
            err[0].to_string(),
            "clients.csv:7: customer_since: bad date (allowed YYYY-MM-DD)"
        );
        assert_eq!(column_of("items.productId"), "product_id");
    }
}
