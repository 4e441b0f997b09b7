//! Bring your own book: the file formats of `import` and `export` (CSV with a header row, JSON
//! Lines), their parsing into domain records with row-level errors, and the pure plan that merges
//! an import into the existing book. The transaction that writes a plan is `services::import`.
pub mod as_of;
mod checks;
pub(crate) mod consistency;
pub mod entity;
pub mod export;
mod fields;
mod merge;
mod parse;
mod parse_history;
mod plan;
pub mod report;
pub mod source;

pub use entity::Entity;
pub use parse::Context;
pub use plan::{plan, Mode, Plan};
pub use report::{EntityCounts, ImportReport, RowError};
pub use source::{read_path, read_text, Format, SourceFile};

/// The clock and health weights an import computes with.
pub fn parse_context(now: chrono::DateTime<chrono::Utc>, weights: crate::domain::health::HealthWeights) -> Context {
    Context { now, weights }
}
