//! Reading import files: CSV with a header row (columns by name, any order) or JSON Lines (one
//! object per line), into rows of named cells. The entity is named by the file name or given.
use super::report::{At, RowError};
use super::Entity;
use std::collections::HashMap;
use std::path::Path;

/// The two formats; chosen by the file extension (`.csv`, `.jsonl` / `.ndjson`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    JsonLines,
}

impl Format {
    /// The format of a file name, if it has a known extension.
    pub fn of(name: &str) -> Option<Format> {
        let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Some(Format::Csv),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            _ => None,
        }
    }

    /// The file extension `export` writes.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::JsonLines => "jsonl",
        }
    }
}

/// A cell: text (CSV, JSON strings and numbers) or a list (a JSON array of strings).
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    List(Vec<String>),
}

/// One row: where it is and its non-empty cells by column.
#[derive(Clone, Debug)]
pub struct RawRow {
    pub at: At,
    pub cells: HashMap<String, Cell>,
}

/// One file's rows, read but not yet interpreted, and what could not be read.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub entity: Entity,
    pub rows: Vec<RawRow>,
    pub errors: Vec<RowError>,
}

/// Reads the file at `path`; its entity is `entity` or named by the file stem.
pub fn read_path(path: &Path, entity: Option<Entity>) -> Result<SourceFile, Vec<RowError>> {
    let name = path.display().to_string();
    let at = At {
        file: name.clone(),
        line: 0,
    };
    let text =
        std::fs::read_to_string(path).map_err(|e| vec![RowError::new(&at, "", format!("cannot read: {e}"), None)])?;
    read_text(&name, entity, &text)
}

/// Reads `text` as the file `name`.
pub fn read_text(name: &str, entity: Option<Entity>, text: &str) -> Result<SourceFile, Vec<RowError>> {
    let at = At {
        file: name.to_owned(),
        line: 0,
    };
    let base = Path::new(name).file_name().and_then(|f| f.to_str()).unwrap_or(name);
    let stem = base.split('.').next().unwrap_or(base);
    let entity = entity.or_else(|| Entity::from_name(stem)).ok_or_else(|| {
        vec![RowError::new(
            &at,
            "",
            format!("`{stem}` names no entity; rename the file or pass --entity"),
            Some(Entity::allowed()),
        )]
    })?;
    let format = Format::of(base).ok_or_else(|| {
        vec![RowError::new(
            &at,
            "",
            "unknown file format",
            Some(".csv, .jsonl, .ndjson".into()),
        )]
    })?;
    let (rows, errors) = match format {
        Format::Csv => csv_rows(name, entity, text),
        Format::JsonLines => json_rows(name, entity, text),
    };
    Ok(SourceFile { entity, rows, errors })
}

fn known(entity: Entity, column: &str) -> bool {
    entity.columns().iter().any(|(name, _)| *name == column)
}

fn unknown_column(at: &At, entity: Entity, column: &str) -> RowError {
    RowError::new(
        at,
        column,
        format!("unknown column `{column}`"),
        Some(entity.column_list()),
    )
}

/// File lines of CSV records. Counted from byte offsets because after CRLF line ends (what
/// spreadsheets write) the csv crate places a record at the `\n` of the line before, one line
/// short. Records come in file order, so the count carries on from the previous one: linear in
/// the file, not quadratic.
struct LineCounter<'a> {
    bytes: &'a [u8],
    counted_to: usize,
    newlines: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            bytes: text.as_bytes(),
            counted_to: 0,
            newlines: 0,
        }
    }

    /// The line the record at `position` starts on (0 when unknown).
    fn line(&mut self, position: Option<&csv::Position>) -> u64 {
        let Some(p) = position else {
            return 0;
        };
        let mut start = (p.byte() as usize).min(self.bytes.len());
        while start < self.bytes.len() && matches!(self.bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start < self.counted_to {
            // Not expected (records are in order); count afresh rather than guess.
            self.counted_to = 0;
            self.newlines = 0;
        }
        self.newlines += self.bytes[self.counted_to..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.counted_to = start;
        self.newlines + 1
    }
}

fn csv_rows(name: &str, entity: Entity, text: &str) -> (Vec<RawRow>, Vec<RowError>) {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header_at = At {
        file: name.to_owned(),
        line: 1,
    };
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(e) => {
            return (
                Vec::new(),
                vec![RowError::new(&header_at, "", format!("unreadable header: {e}"), None)],
            )
        }
    };
    let mut errors: Vec<RowError> = headers
        .iter()
        .filter(|h| !known(entity, h))
        .map(|h| unknown_column(&header_at, entity, h))
        .collect();
    for (column, required) in entity.columns() {
        if *required && !headers.iter().any(|h| h == *column) {
            errors.push(RowError::new(&header_at, column, "required column missing", None));
        }
    }
    if !errors.is_empty() {
        return (Vec::new(), errors);
    }
    let mut rows = Vec::new();
    let mut lines = LineCounter::new(text);
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = lines.line(e.position());
                let at = At {
                    file: name.to_owned(),
                    line,
                };
                errors.push(RowError::new(&at, "", format!("unreadable CSV row: {e}"), None));
                continue;
            }
        };
        let at = At {
            file: name.to_owned(),
            line: lines.line(record.position()),
        };
        let cells = headers
            .iter()
            .zip(record.iter())
            .filter(|(_, value)| !value.is_empty())
            .map(|(h, value)| (h.to_owned(), Cell::Text(value.to_owned())))
            .collect();
        rows.push(RawRow { at, cells });
    }
    (rows, errors)
}

fn json_rows(name: &str, entity: Entity, text: &str) -> (Vec<RawRow>, Vec<RowError>) {
    let (mut rows, mut errors) = (Vec::new(), Vec::new());
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = At {
            file: name.to_owned(),
            line: index as u64 + 1,
        };
        let object = match serde_json::from_str::<serde_json::Value>(line) {
            Ok(serde_json::Value::Object(object)) => object,
            Ok(_) => {
                errors.push(RowError::new(&at, "", "a line must be one JSON object", None));
                continue;
            }
            Err(e) => {
                errors.push(RowError::new(&at, "", format!("not JSON: {e}"), None));
                continue;
            }
        };
        let mut cells = HashMap::with_capacity(object.len());
        for (key, value) in object {
            if !known(entity, &key) {
                errors.push(unknown_column(&at, entity, &key));
                continue;
            }
            let cell = match value {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) if s.is_empty() => continue,
                serde_json::Value::String(s) => Cell::Text(s),
                serde_json::Value::Number(n) => Cell::Text(n.to_string()),
                serde_json::Value::Bool(b) => Cell::Text(b.to_string()),
                serde_json::Value::Array(items) => match items
                    .into_iter()
                    .map(|i| i.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                {
                    Some(list) => Cell::List(list),
                    None => {
                        errors.push(RowError::new(&at, &key, "a list must hold strings", None));
                        continue;
                    }
                },
                serde_json::Value::Object(_) => {
                    errors.push(RowError::new(&at, &key, "nested objects are not allowed", None));
                    continue;
                }
            };
            cells.insert(key, cell);
        }
        rows.push(RawRow { at, cells });
    }
    (rows, errors)
}

/// The files named on the command line: each path a file, or a directory whose `.csv`, `.jsonl`
/// and `.ndjson` files are all taken (in name order). Unreadable files are row errors too.
pub fn collect(paths: &[std::path::PathBuf], entity: Option<Entity>) -> (Vec<SourceFile>, Vec<RowError>) {
    let (mut files, mut errors) = (Vec::new(), Vec::new());
    let mut targets = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut entries: Vec<_> = std::fs::read_dir(path)
                .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
                .unwrap_or_default();
            entries.retain(|p| p.is_file() && p.to_str().and_then(Format::of).is_some());
            entries.sort();
            if entries.is_empty() {
                let at = At {
                    file: path.display().to_string(),
                    line: 0,
                };
                errors.push(RowError::new(&at, "", "no .csv or .jsonl files here", None));
            }
            targets.extend(entries);
        } else {
            targets.push(path.clone());
        }
    }
    for path in targets {
        match read_path(&path, entity) {
            Ok(file) => files.push(file),
            Err(mut e) => errors.append(&mut e),
        }
    }
    (files, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_are_numbered_by_file_line_with_lf_and_with_crlf_line_ends() {
        for end in ["\n", "\r\n"] {
            let rows = [
                "client_id,period_start,seats_licensed,active_users,usage_rate,feature_adoption",
                "a,2024-01-01,10,5,0.5,0.5",
                "b,2024-02-01,10,5,0.5,0.5",
                "c,2024-03-01,10,5,0.5,0.5",
            ];
            let text = rows.join(end) + end;
            let file = read_text("usage_snapshots.csv", None, &text).expect("readable");
            let lines: Vec<u64> = file.rows.iter().map(|r| r.at.line).collect();
            assert!(file.errors.is_empty(), "{:?}", file.errors);
            assert_eq!(lines, vec![2, 3, 4], "line ends {end:?}");
        }
    }
}
