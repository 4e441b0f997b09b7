//! The one error type of the crate. Each variant maps to one GraphQL `extensions.code`
//! (see `graphql::errors`); internal causes are logged, never sent to the caller.
//!
//! It deliberately does not implement `Display`: async-graphql converts every `Display` type into
//! a bare error without a code, so a resolver's `?` would silently drop the code. Without it, `?`
//! goes through our own conversion, which always sets one.
use std::fmt;

/// Result with the crate's error as the default.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong while serving a request.
#[derive(Debug)]
pub enum Error {
    /// The caller sent a value outside what is allowed; `allowed` states the range or the values.
    BadUserInput {
        field: String,
        message: String,
        allowed: Option<String>,
    },
    /// Several values of one input are wrong: every one of them, each a `BadUserInput`.
    BadUserInputs(Vec<Error>),
    /// The named thing does not exist.
    NotFound { entity: &'static str, id: String },
    /// Optimistic concurrency: the caller's `expectedVersion` is stale, or a unique key is taken.
    Conflict(String),
    /// A negotiation offer broke a guardrail without the approval it needs.
    GuardrailViolation(String),
    /// No or an unknown bearer token.
    Unauthenticated,
    /// The token's role may not do this.
    Forbidden(String),
    /// The database could not take the request now (a serialization failure or deadlock after its
    /// retries, the write lock or a pooled connection not had in time). Nothing was written; the
    /// same request may succeed when sent again. The cause is logged.
    Unavailable(anyhow::Error),
    /// Anything else: a database failure, a bug. The message sent is generic; the cause is logged.
    Internal(anyhow::Error),
}

impl Error {
    /// A `BAD_USER_INPUT` error for `field`, stating what is allowed.
    pub fn bad_input(field: &str, message: impl fmt::Display, allowed: impl fmt::Display) -> Self {
        Error::BadUserInput {
            field: field.to_owned(),
            message: message.to_string(),
            allowed: Some(allowed.to_string()),
        }
    }

    /// A `NOT_FOUND` error for the entity kind and id.
    pub fn not_found(entity: &'static str, id: impl fmt::Display) -> Self {
        Error::NotFound {
            entity,
            id: id.to_string(),
        }
    }

    /// Is this a failure that running the same transaction again may cure?
    pub fn is_transient(&self) -> bool {
        matches!(self, Error::Unavailable(_))
    }

    /// An `INTERNAL_SERVER_ERROR` with its cause kept for the log.
    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        Error::Internal(cause.into())
    }
}

impl Error {
    /// The message sent to the caller: specific for user errors, generic for internal ones.
    pub fn message(&self) -> String {
        match self {
            Error::BadUserInput { field, message, .. } => format!("{field}: {message}"),
            Error::BadUserInputs(all) => format!(
                "{} invalid input values: {}",
                all.len(),
                all.iter().map(Error::message).collect::<Vec<_>>().join("; ")
            ),
            Error::NotFound { entity, id } => format!("{entity} {id} not found"),
            Error::Conflict(message) | Error::GuardrailViolation(message) | Error::Forbidden(message) => {
                message.clone()
            }
            Error::Unauthenticated => "authentication required".to_owned(),
            Error::Unavailable(_) => "the database is busy; nothing was written, try again".to_owned(),
            Error::Internal(_) => "internal error".to_owned(),
        }
    }
}

impl From<Error> for anyhow::Error {
    fn from(err: Error) -> Self {
        match err {
            Error::Internal(cause) | Error::Unavailable(cause) => cause,
            other => anyhow::anyhow!(other.message()),
        }
    }
}
