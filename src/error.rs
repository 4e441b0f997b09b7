//! The one error type of the crate. Each variant maps to one GraphQL `extensions.code`
//! (see `graphql::errors`); internal causes are logged, never sent to the caller.
use std::fmt;

/// Result with the crate's error as the default.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while serving a request.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The caller sent a value outside what is allowed; `allowed` states the range or the values.
    #[error("{field}: {message}")]
    BadUserInput { field: String, message: String, allowed: Option<String> },
    /// The named thing does not exist.
    #[error("{entity} {id} not found")]
    NotFound { entity: &'static str, id: String },
    /// Optimistic concurrency: the caller's `expectedVersion` is stale, or a unique key is taken.
    #[error("{0}")]
    Conflict(String),
    /// A negotiation offer broke a guardrail without the approval it needs.
    #[error("{0}")]
    GuardrailViolation(String),
    /// No or an unknown bearer token.
    #[error("authentication required")]
    Unauthenticated,
    /// The token's role may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// Anything else: a database failure, a bug. The message sent is generic; the cause is logged.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl Error {
    /// A `BAD_USER_INPUT` error for `field`, stating what is allowed.
    pub fn bad_input(field: &str, message: impl fmt::Display, allowed: impl fmt::Display) -> Self {
        Error::BadUserInput { field: field.to_owned(), message: message.to_string(), allowed: Some(allowed.to_string()) }
    }

    /// A `NOT_FOUND` error for the entity kind and id.
    pub fn not_found(entity: &'static str, id: impl fmt::Display) -> Self {
        Error::NotFound { entity, id: id.to_string() }
    }

    /// An `INTERNAL_SERVER_ERROR` with its cause kept for the log.
    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        Error::Internal(cause.into())
    }
}
