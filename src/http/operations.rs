//! `GET /operations`: the named process operations with their descriptions and variables.
use crate::operations::{ArgKind, OPERATIONS};
use actix_web::HttpResponse;
use serde_json::json;

/// Lists every operation: tool and operation name, description, whether it writes, variables, and
/// the document itself.
pub async fn list() -> HttpResponse {
    let operations: Vec<_> = OPERATIONS
        .iter()
        .map(|op| {
            let variables: Vec<_> = op
                .arguments
                .iter()
                .map(|a| {
                    json!({ "name": a.variable, "argument": a.name, "type": kind_name(a.kind), "required": a.required,
                            "default": a.default.and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok()),
                            "description": a.description })
                })
                .collect();
            json!({ "name": op.operation_name, "tool": op.tool, "file": format!("operations/{}.graphql", op.tool),
                    "description": op.description(), "mutation": op.mutation, "variables": variables,
                    "document": op.document })
        })
        .collect();
    HttpResponse::Ok().json(json!({ "operations": operations }))
}

fn kind_name(kind: ArgKind) -> &'static str {
    match kind {
        ArgKind::Text => "String",
        ArgKind::Date => "Date",
        ArgKind::Integer { .. } | ArgKind::PageSize { .. } => "Int",
        ArgKind::Number { .. } => "Float",
        ArgKind::Boolean | ArgKind::Detail => "Boolean",
        ArgKind::Enum { .. } => "Enum",
        ArgKind::EnumList { .. } => "[Enum]",
    }
}
