//! Crate errors as GraphQL errors: each variant one `extensions.code`. Internal causes are logged
//! with the request id and replaced by a generic message.
use crate::error::Error;
use async_graphql::ErrorExtensions;
use std::sync::Arc;

impl ErrorExtensions for Error {
    fn extend(&self) -> async_graphql::Error {
        let code = match self {
            Error::BadUserInput { .. } => "BAD_USER_INPUT",
            Error::NotFound { .. } => "NOT_FOUND",
            Error::Conflict(_) => "CONFLICT",
            Error::GuardrailViolation(_) => "GUARDRAIL_VIOLATION",
            Error::Unauthenticated => "UNAUTHENTICATED",
            Error::Forbidden(_) => "FORBIDDEN",
            Error::Unavailable(cause) => {
                tracing::warn!(error = ?cause, "database busy");
                "SERVICE_UNAVAILABLE"
            }
            Error::Internal(cause) => {
                tracing::error!(error = ?cause, "internal error");
                "INTERNAL_SERVER_ERROR"
            }
        };
        async_graphql::Error::new(self.message()).extend_with(|_, ext| {
            ext.set("code", code);
            if let Error::BadUserInput { field, allowed, .. } = self {
                ext.set("field", field.as_str());
                if let Some(allowed) = allowed {
                    ext.set("allowed", allowed.as_str());
                }
            }
        })
    }
}

impl From<Error> for async_graphql::Error {
    fn from(err: Error) -> Self {
        err.extend()
    }
}

/// Loader errors are shared (`Arc`) between the fields that waited on one batch.
pub fn shared(err: Arc<Error>) -> async_graphql::Error {
    err.extend()
}
