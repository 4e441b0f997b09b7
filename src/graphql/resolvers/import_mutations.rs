//! `importBook`: the import of `expansion-api import` over the API, for frontends that upload files.
use crate::domain::health::HealthWeights;
use crate::graphql::context::ContextExt;
use crate::graphql::guards::{Role, RoleGuard};
use crate::graphql::types::ImportReport;
use crate::import::{self, read_text, Mode};
use crate::services::import::{import, ImportOptions};
use async_graphql::{Context, Enum, InputObject, Object, Result};

#[derive(Default)]
pub struct ImportMutations;

/// One uploaded file.
#[derive(InputObject)]
pub struct ImportFileInput {
    /// The file name; it names the entity and the format (`clients.jsonl`, `contracts.csv`).
    name: String,
    /// The file's text (JSON Lines or CSV); all files together within the request body limit.
    content: String,
}

/// What to do with rows whose key already exists.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum ImportMode {
    /// Update changed rows, leave equal ones (idempotent).
    Upsert,
    /// Refuse rows whose key exists.
    Insert,
}

#[Object]
impl ImportMutations {
    /// Imports a book (docs/import.md): every row validated as the mutations validate it, then
    /// written in one transaction — or, if any row is bad, nothing written and every problem
    /// reported. Bad rows are not GraphQL errors: they are the report's `errors`.
    #[graphql(guard = "RoleGuard::new(Role::Admin)")]
    async fn import_book(
        &self,
        ctx: &Context<'_>,
        files: Vec<ImportFileInput>,
        #[graphql(default = false)] dry_run: bool,
        #[graphql(default_with = "ImportMode::Upsert")] mode: ImportMode,
    ) -> Result<ImportReport> {
        let mut sources = Vec::with_capacity(files.len());
        let mut unread = import::ImportReport::default();
        for file in &files {
            match read_text(&file.name, None, &file.content) {
                Ok(source) => sources.push(source),
                Err(errors) => unread.add_errors(errors),
            }
        }
        if !unread.is_valid() {
            return Ok(unread.into());
        }
        let options = ImportOptions {
            mode: match mode {
                ImportMode::Upsert => Mode::Upsert,
                ImportMode::Insert => Mode::Insert,
            },
            dry_run,
        };
        let weights = ctx.data_unchecked::<HealthWeights>();
        let report = import(ctx.db(), ctx.request(), weights, &sources, options, &|_, _| {}).await?;
        Ok(report.into())
    }
}
