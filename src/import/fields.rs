//! Typed reads of a row's cells. Every failed read records a row error naming the column and what
//! is allowed, and reading goes on, so one pass reports every bad value of the row.
use super::report::RowError;
use super::source::{Cell, RawRow};
use crate::domain::Money;
use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};

/// Reads the cells of one row, collecting its errors.
pub struct Reader<'a> {
    pub row: &'a RawRow,
    pub errors: Vec<RowError>,
}

impl<'a> Reader<'a> {
    pub fn new(row: &'a RawRow) -> Self {
        Reader {
            row,
            errors: Vec::new(),
        }
    }

    fn text_of(&self, column: &str) -> Option<&'a str> {
        match self.row.cells.get(column) {
            Some(Cell::Text(text)) => Some(text.as_str()),
            _ => None,
        }
    }

    /// A required value, parsed by `parse(column, text)`.
    pub fn req<T>(&mut self, column: &str, parse: impl Fn(&str, &str) -> Result<T>) -> Option<T> {
        match self.opt(column, parse) {
            Some(Some(value)) => Some(value),
            Some(None) => {
                self.errors
                    .push(RowError::new(&self.row.at, column, "required value missing", None));
                None
            }
            None => None,
        }
    }

    /// An optional value: `Some(None)` when empty, `None` when present but bad.
    pub fn opt<T>(&mut self, column: &str, parse: impl Fn(&str, &str) -> Result<T>) -> Option<Option<T>> {
        if let Some(Cell::List(_)) = self.row.cells.get(column) {
            self.errors
                .push(RowError::new(&self.row.at, column, "a list is not allowed here", None));
            return None;
        }
        let Some(text) = self.text_of(column) else {
            return Some(None);
        };
        match parse(column, text) {
            Ok(value) => Some(Some(value)),
            Err(err) => {
                self.domain(err);
                None
            }
        }
    }

    /// An optional value with a default.
    pub fn or<T>(&mut self, column: &str, default: T, parse: impl Fn(&str, &str) -> Result<T>) -> Option<T> {
        self.opt(column, parse).map(|v| v.unwrap_or(default))
    }

    /// A list: a JSON array, or in CSV a JSON array text or values separated by ` | `.
    pub fn list(&mut self, column: &str) -> Option<Vec<String>> {
        match self.row.cells.get(column) {
            None => Some(Vec::new()),
            Some(Cell::List(list)) => Some(list.clone()),
            Some(Cell::Text(text)) if text.starts_with('[') => match serde_json::from_str(text) {
                Ok(list) => Some(list),
                Err(_) => {
                    self.errors.push(RowError::new(
                        &self.row.at,
                        column,
                        "not a JSON list of strings",
                        Some("[\"a\", \"b\"] or a | b".into()),
                    ));
                    None
                }
            },
            Some(Cell::Text(text)) => Some(text.split(" | ").map(str::to_owned).collect()),
        }
    }

    /// Records the domain's verdict on the row's values.
    pub fn domain(&mut self, err: Error) {
        self.errors.extend(RowError::from_domain(&self.row.at, err));
    }

    /// Runs a domain validation, keeping its value or its errors.
    pub fn validated<T>(&mut self, result: Result<T>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(err) => {
                self.domain(err);
                None
            }
        }
    }
}

/// Text as it is (the domain trims and checks it).
pub fn text(_: &str, text: &str) -> Result<String> {
    Ok(text.to_owned())
}

/// An ISO date.
pub fn date(column: &str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| Error::bad_input(column, format!("`{text}` is not a date"), "YYYY-MM-DD"))
}

/// An RFC 3339 timestamp, or a date (midnight UTC).
pub fn timestamp(column: &str, text: &str) -> Result<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    date(column, text)
        .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
        .map_err(|_| {
            Error::bad_input(
                column,
                format!("`{text}` is not a timestamp"),
                "YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DD",
            )
        })
}

/// Money in major units, at most 2 decimals.
pub fn money(column: &str, text: &str) -> Result<Money> {
    Money::parse(column, text)
}

/// A whole number that fits `i32`.
pub fn int(column: &str, text: &str) -> Result<i32> {
    text.parse()
        .map_err(|_| Error::bad_input(column, format!("`{text}` is not a whole number"), "an integer"))
}

/// A whole number that fits `i64`.
pub fn long(column: &str, text: &str) -> Result<i64> {
    text.parse()
        .map_err(|_| Error::bad_input(column, format!("`{text}` is not a whole number"), "an integer"))
}

/// A finite decimal number.
pub fn float(column: &str, text: &str) -> Result<f64> {
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| Error::bad_input(column, format!("`{text}` is not a number"), "a decimal number"))
}

/// `true` / `false` (also `1`/`0`, `yes`/`no`).
pub fn boolean(column: &str, text: &str) -> Result<bool> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(Error::bad_input(
            column,
            format!("`{text}` is not a boolean"),
            "true, false",
        )),
    }
}
