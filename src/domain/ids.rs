//! Public ids: validation of caller-given client ids, generation of new ones.

use crate::error::{Error, Result};

/// Accepts `^[A-Za-z0-9_-]{1,100}$`.
pub fn validate_client_id(field: &str, id: &str) -> Result<()> {
    let ok = (1..=100).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(Error::bad_input(
            field,
            format!("`{id}` is not a valid id"),
            "1–100 characters of A–Z, a–z, 0–9, _ and -",
        ))
    }
}

/// `cs_<unix seconds>_<slug>`: the slug keeps `[a-z0-9_]` of the lowercased name (other runs of
/// characters become one `_`), at most 40 characters; `client` when nothing is left.
pub fn generate_client_id(name: &str, unix_seconds: i64) -> String {
    let mut slug = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            slug.push(c);
        } else if !slug.ends_with('_') && !slug.is_empty() {
            slug.push('_');
        }
    }
    let slug: String = slug.trim_end_matches('_').chars().take(40).collect();
    let slug = slug.trim_end_matches('_');
    let slug = if slug.is_empty() { "client" } else { slug };
    format!("cs_{unix_seconds}_{slug}")
}

/// The id made unique on collision: the base, then `base_2`, `base_3`, …
pub fn with_suffix(base: &str, attempt: u32) -> String {
    if attempt <= 1 {
        base.to_owned()
    } else {
        format!("{base}_{attempt}")
    }
}

/// `PREFIX-n`, e.g. `CNT-42`.
pub fn sequential(prefix: &str, n: i64) -> String {
    format!("{prefix}-{n}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_keep_only_lowercase_letters_digits_and_underscores() {
        assert_eq!(
            generate_client_id("Acme Corp. (EMEA)", 1_700_000_000),
            "cs_1700000000_acme_corp_emea"
        );
        assert_eq!(generate_client_id("Ünïcode—Only!!", 5), "cs_5_n_code_only");
        assert_eq!(generate_client_id("???", 5), "cs_5_client");
    }

    #[test]
    fn generated_ids_pass_validation() {
        let id = generate_client_id(&"Very long name ".repeat(20), 1_700_000_000);
        assert!(validate_client_id("id", &id).is_ok());
    }

    #[test]
    fn ids_with_other_characters_are_refused() {
        for bad in ["", "has space", "semi;colon", "ünï", &"x".repeat(101)] {
            assert!(validate_client_id("id", bad).is_err(), "{bad}");
        }
        assert!(validate_client_id("id", "Acme_Corp-2").is_ok());
    }

    #[test]
    fn collisions_get_numbered_suffixes() {
        assert_eq!(with_suffix("cs_1_a", 1), "cs_1_a");
        assert_eq!(with_suffix("cs_1_a", 3), "cs_1_a_3");
    }
}
