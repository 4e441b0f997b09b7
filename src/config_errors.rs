//! Configuration mistakes said in one line that names the setting, where it came from (file or
//! environment variable) and what would be right: unknown keys get the nearest valid key, bad
//! values the allowed type or range. Also the settings table of `serve --help`.
//!
//! The valid keys are read from `Settings::default()` serialized, so a new setting is known (and
//! listed in `--help`) as soon as it has a default.
use crate::config::Settings;
use figment::error::Kind;
use figment::value::{Dict, Value as FigmentValue};
use figment::{Figment, Metadata};
use serde_json::Value;

/// Every leaf setting as (dotted key, default shown as JSON).
pub fn settings() -> Vec<(String, String)> {
    let mut out = Vec::new();
    collect(&known_tree(), "", &mut out);
    out
}

/// The defaults as a tree of the keys deserialization reads. Settings read snake_case field
/// names; a few parameter structs also serialize themselves in camelCase for API answers
/// (`ClvParams`), so keys are turned back into snake_case.
fn known_tree() -> Value {
    fn snake_keys(value: Value) -> Value {
        match value {
            Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (snake(&k), snake_keys(v))).collect()),
            other => other,
        }
    }
    snake_keys(serde_json::to_value(Settings::default()).unwrap_or(Value::Null))
}

fn snake(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn collect(value: &Value, prefix: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, child) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                collect(child, &path, out);
            }
        }
        leaf => out.push((prefix.to_owned(), leaf.to_string())),
    }
}

/// The environment variable of a dotted key.
pub fn env_name(key: &str) -> String {
    format!("EXPANSION_{}", key.replace('.', "__").to_ascii_uppercase())
}

/// The settings table printed under `serve --help`.
pub fn help_table() -> String {
    let mut text =
        String::from("Settings (defaults < --config file < environment; nested keys are [sections] in the file):\n");
    for (key, default) in settings() {
        let env = match key.as_str() {
            "database_url" => "DATABASE_URL or EXPANSION_DATABASE_URL".to_owned(),
            _ => env_name(&key),
        };
        text.push_str(&format!("  {key:<48} {env:<56} default {default}\n"));
    }
    text
}

/// Refuses the first key that no setting has, suggesting the nearest valid one.
pub fn refuse_unknown_keys(figment: &Figment) -> anyhow::Result<()> {
    let given: Dict = figment.extract().map_err(explain)?;
    let mut unknown = Vec::new();
    find_unknown(&given, &known_tree(), "", &mut unknown);
    // The defaults themselves hold the camelCase spellings `known_tree` turns into snake_case.
    let from_defaults = |key: &String| {
        figment
            .find_metadata(key)
            .is_some_and(|m| m.name == std::any::type_name::<Settings>())
    };
    let Some(key) = unknown.into_iter().find(|key| !from_defaults(key)) else {
        return Ok(());
    };
    let source = figment.find_metadata(&key).map(|m| origin(m, &key)).unwrap_or_default();
    let hint = match nearest(&key) {
        Some(near) => format!("; did you mean `{near}`{}?", env_hint(figment, &key, &near)),
        None => "; `serve --help` lists every setting".to_owned(),
    };
    anyhow::bail!("config: unknown setting `{key}`{source}{hint}")
}

fn find_unknown(given: &Dict, known: &Value, prefix: &str, out: &mut Vec<String>) {
    for (key, value) in given {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match known.get(key) {
            None => out.push(path),
            // An empty map by default is free-form: any key beneath it is the caller's.
            Some(Value::Object(child)) if !child.is_empty() => {
                if let FigmentValue::Dict(_, dict) = value {
                    find_unknown(dict, &known[key], &path, out);
                }
            }
            Some(_) => {}
        }
    }
}

/// Where a value came from: ` in <file>` or ` (environment variable X)`.
fn origin(metadata: &Metadata, key: &str) -> String {
    if metadata.name.contains("environment") {
        let variable = if key == "database_url" && !metadata.name.contains("EXPANSION_") {
            "DATABASE_URL".to_owned()
        } else {
            env_name(key)
        };
        format!(" (environment variable {variable})")
    } else if let Some(source) = &metadata.source {
        format!(" in {source}")
    } else {
        format!(" in {}", metadata.name)
    }
}

/// For a key from the environment, the suggestion's variable too.
fn env_hint(figment: &Figment, key: &str, near: &str) -> String {
    match figment.find_metadata(key) {
        Some(m) if m.name.contains("environment") => format!(" ({})", env_name(near)),
        _ => String::new(),
    }
}

/// The valid key closest to `key` (edit distance), when it is close enough to be a typo.
fn nearest(key: &str) -> Option<String> {
    settings()
        .into_iter()
        .map(|(known, _)| (strsim::levenshtein(key, &known), known))
        .filter(|(distance, known)| *distance <= (known.len() / 3).max(2))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, known)| known)
}

/// A figment error as one line: the key, its source and what it must be.
pub fn explain(err: figment::Error) -> anyhow::Error {
    let key = err.path.join(".");
    let source = err.metadata.as_ref().map(|m| origin(m, &key)).unwrap_or_default();
    let what = match &err.kind {
        Kind::InvalidType(actual, expected) | Kind::InvalidValue(actual, expected) => {
            format!("found {actual}, expected {}", allowed(expected))
        }
        Kind::UnknownVariant(actual, variants) => {
            format!("`{actual}` is not one of: {}", variants.join(", "))
        }
        other => other.to_string(),
    };
    if key.is_empty() {
        anyhow::anyhow!("config: {what}{source}")
    } else {
        anyhow::anyhow!("config: bad value for `{key}`{source}: {what}")
    }
}

/// Serde's expected-type names in words, with the range of integers.
fn allowed(expected: &str) -> String {
    let range = |low: &str, high: &str| format!("an integer {low}–{high}");
    match expected {
        "u8" => range("0", "255"),
        "u16" => range("0", "65535"),
        "u32" => range("0", "4294967295"),
        "u64" | "usize" => "a non-negative integer".to_owned(),
        "i32" => range("-2147483648", "2147483647"),
        "i64" | "isize" => "an integer".to_owned(),
        "f32" | "f64" => "a number".to_owned(),
        "a boolean" | "bool" => "true or false".to_owned(),
        other => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_suggests_the_nearest_key() {
        assert_eq!(nearest("prot").as_deref(), Some("port"));
        assert_eq!(nearest("limits.max_dept").as_deref(), Some("limits.max_depth"));
        assert_eq!(nearest("completely_different_thing"), None);
    }

    #[test]
    fn every_setting_has_an_environment_variable() {
        let all = settings();
        assert!(all.iter().any(|(k, _)| k == "limits.max_depth"));
        assert_eq!(env_name("limits.max_depth"), "EXPANSION_LIMITS__MAX_DEPTH");
        assert!(help_table().contains("EXPANSION_SHUTDOWN__GRACE_SECS"));
        assert!(all.iter().any(|(k, _)| k == "clv.gross_margin"), "the key serde reads");
    }
}
