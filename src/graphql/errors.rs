//! Crate errors as GraphQL errors: each variant one `extensions.code`. Internal causes are logged
//! with the request id and replaced by a generic message.
use crate::error::Error;
use async_graphql::{ErrorExtensions, Name, Value};
use std::sync::Arc;

impl ErrorExtensions for Error {
    fn extend(&self) -> async_graphql::Error {
        let code = match self {
            Error::BadUserInput { .. } | Error::BadUserInputs(_) => "BAD_USER_INPUT",
            Error::NotFound { .. } => "NOT_FOUND",
            Error::Conflict(_) => "CONFLICT",
            Error::GuardrailViolation(_) => "GUARDRAIL_VIOLATION",
            Error::Unauthenticated => "UNAUTHENTICATED",
            Error::Forbidden(_) => "FORBIDDEN",
            // Logged once per request by `http::graphql` (one busy pool fails every alias).
            Error::Unavailable(cause) => {
                tracing::debug!(error = ?cause, "database busy");
                "SERVICE_UNAVAILABLE"
            }
            Error::Internal(cause) => {
                tracing::error!(error = ?cause, "internal error");
                "INTERNAL_SERVER_ERROR"
            }
        };
        async_graphql::Error::new(self.message()).extend_with(|_, ext| {
            ext.set("code", code);
            let all: &[Error] = match self {
                Error::BadUserInputs(all) => all,
                one @ Error::BadUserInput { .. } => std::slice::from_ref(one),
                _ => &[],
            };
            if let Some(Error::BadUserInput { field, allowed, .. }) = all.first() {
                ext.set("field", field.as_str());
                if let Some(allowed) = allowed {
                    ext.set("allowed", allowed.as_str());
                }
                ext.set("fields", Value::List(all.iter().filter_map(field_problem).collect()));
            }
        })
    }
}

/// `{field, message, allowed}` of one bad value, as listed in `extensions.fields`.
fn field_problem(err: &Error) -> Option<Value> {
    let Error::BadUserInput {
        field,
        message,
        allowed,
    } = err
    else {
        return None;
    };
    let mut object = async_graphql::indexmap::IndexMap::new();
    object.insert(Name::new("field"), Value::String(field.clone()));
    object.insert(Name::new("message"), Value::String(message.clone()));
    if let Some(allowed) = allowed {
        object.insert(Name::new("allowed"), Value::String(allowed.clone()));
    }
    Some(Value::Object(object))
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
