//! The tool catalog (JSON Schema per tool, from `operations`) and argument → variable mapping.
use crate::operations::{ArgKind, Argument, Operation, OPERATIONS};
use serde_json::{json, Map, Value};

/// `tools/list` entries.
pub fn list() -> Vec<Value> {
    OPERATIONS.iter().map(describe).collect()
}

/// The operation behind a tool name.
pub fn find(name: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|op| op.tool == name)
}

/// How a paged tool's answer is cut, told in its description.
const PAGING: &str = "Answers with the summary (over all items) and the top `limit` items (default 10, at most 100); \
    `totalCount` is how many there are, and while `pageInfo.hasNextPage` is true pass `pageInfo.endCursor` as `after` \
    for the next ones.";

fn describe(op: &Operation) -> Value {
    let mut properties = Map::new();
    for arg in op.arguments {
        properties.insert(arg.name.to_owned(), schema_of(arg));
    }
    let required: Vec<&str> = op.arguments.iter().filter(|a| a.required).map(|a| a.name).collect();
    let description = if op.is_paged() {
        format!("{} {PAGING}", op.description())
    } else {
        op.description().to_owned()
    };
    json!({
        "name": op.tool,
        "description": description,
        "inputSchema": { "type": "object", "properties": properties, "required": required, "additionalProperties": false },
        "annotations": { "readOnlyHint": !op.mutation, "destructiveHint": false, "idempotentHint": !op.mutation, "openWorldHint": false },
    })
}

fn schema_of(arg: &Argument) -> Value {
    let mut schema = match arg.kind {
        ArgKind::Text => json!({ "type": "string" }),
        ArgKind::Date => json!({ "type": "string", "format": "date" }),
        ArgKind::Integer { min, max } => json!({ "type": "integer", "minimum": min, "maximum": max }),
        ArgKind::PageSize { max, .. } => json!({ "type": "integer", "minimum": 1, "maximum": max }),
        ArgKind::Number { min, max } => json!({ "type": "number", "minimum": min, "maximum": max }),
        ArgKind::Boolean | ArgKind::Detail => json!({ "type": "boolean" }),
        ArgKind::Enum { values } => json!({ "type": "string", "enum": values }),
        ArgKind::EnumList { values, aliases } => {
            let mut all: Vec<&str> = values.to_vec();
            all.extend(aliases.iter().map(|(alias, _)| *alias));
            json!({ "type": "array", "items": { "type": "string", "enum": all } })
        }
    };
    schema["description"] = json!(arg.description);
    if let Some(default) = arg.default.and_then(|d| serde_json::from_str::<Value>(d).ok()) {
        schema["default"] = default;
    }
    schema
}

/// The GraphQL variables of a call, or a message saying which argument is wrong. Types and ranges
/// are checked again by the schema itself (same validation as any caller).
pub fn variables(op: &Operation, arguments: &Map<String, Value>) -> Result<Value, String> {
    let mut variables = Map::new();
    for (name, value) in arguments {
        let Some(arg) = op.arguments.iter().find(|a| a.name == name) else {
            let allowed: Vec<&str> = op.arguments.iter().map(|a| a.name).collect();
            return Err(format!("unknown argument `{name}`; allowed: {}", allowed.join(", ")));
        };
        if value.is_null() {
            continue;
        }
        variables.insert(arg.variable.to_owned(), convert(arg, value)?);
    }
    // A tool call's page is short unless asked otherwise (GraphQL's own default is 100).
    for arg in op.arguments {
        let default = match arg.kind {
            ArgKind::PageSize { default, .. } => json!(default),
            ArgKind::Detail => json!(false),
            _ => continue,
        };
        variables.entry(arg.variable.to_owned()).or_insert(default);
    }
    if let Some(missing) = op
        .arguments
        .iter()
        .find(|a| a.required && !variables.contains_key(a.variable))
    {
        return Err(format!("argument `{}` is required", missing.name));
    }
    Ok(Value::Object(variables))
}

fn convert(arg: &Argument, value: &Value) -> Result<Value, String> {
    let upper = |text: &str, values: &[&str]| {
        let lower = text.to_ascii_lowercase();
        if values.contains(&lower.as_str()) {
            Ok(json!(lower.to_ascii_uppercase()))
        } else {
            Err(format!(
                "`{text}` is not allowed for `{}`; allowed: {}",
                arg.name,
                values.join(", ")
            ))
        }
    };
    match (arg.kind, value) {
        (ArgKind::Enum { values }, Value::String(text)) => upper(text, values),
        // GraphQL takes up to 1000; a tool answer stays within `max`.
        (ArgKind::PageSize { max, .. }, other) => match other.as_i64() {
            Some(n) if (1..=max).contains(&n) => Ok(json!(n)),
            _ => Err(format!(
                "`{}` must be a whole number from 1 to {max}, not {other}",
                arg.name
            )),
        },
        (ArgKind::EnumList { values, aliases }, Value::Array(items)) => items
            .iter()
            .map(|item| {
                let text = item
                    .as_str()
                    .ok_or_else(|| format!("`{}` takes a list of strings", arg.name))?;
                let renamed = aliases
                    .iter()
                    .find(|(alias, _)| alias.eq_ignore_ascii_case(text))
                    .map_or(text, |(_, to)| to);
                upper(renamed, values)
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        (ArgKind::Enum { .. } | ArgKind::EnumList { .. }, other) => {
            Err(format!("`{}` has the wrong type: {other}", arg.name))
        }
        // Numbers, booleans, texts and dates go as given: the schema checks type and range.
        (_, other) => Ok(other.clone()),
    }
}
