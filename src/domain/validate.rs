//! Field checks shared by the validated inputs. Each error names the field and what is allowed.
use crate::error::{Error, Result};

/// Collects every failed check of one input, so the caller hears about all its bad fields at
/// once (`extensions.fields`), not one per attempt.
#[derive(Debug, Default)]
pub struct Checks(Vec<Error>);

impl Checks {
    /// The value of a passed check; a failed one is recorded (and `None`).
    pub fn check<T>(&mut self, result: Result<T>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(err) => {
                self.0.push(err);
                None
            }
        }
    }

    /// As [`Checks::check`], with the type's default standing in for a failed value (it is never
    /// used: [`Checks::finish`] then fails).
    pub fn value<T: Default>(&mut self, result: Result<T>) -> T {
        self.check(result).unwrap_or_default()
    }

    /// Records a failure found by hand.
    pub fn fail(&mut self, err: Error) {
        self.0.push(err);
    }

    /// `value` if every check passed; else the one failure, or all of them.
    pub fn finish<T>(self, value: T) -> Result<T> {
        let mut errors = self.0;
        match errors.len() {
            0 => Ok(value),
            1 => Err(errors.remove(0)),
            _ => Err(Error::BadUserInputs(errors)),
        }
    }
}

/// A required one-line text of 1..=max characters after trimming, without control characters
/// (tabs and line breaks included) or bidirectional overrides; returns it trimmed.
pub fn text(field: &str, value: &str, max: usize) -> Result<String> {
    let trimmed = value.trim();
    if let Some(c) = trimmed.chars().find(|&c| c.is_control() || is_bidi_control(c)) {
        return Err(Error::bad_input(
            field,
            format!("contains the control character U+{:04X}", c as u32),
            "one line of printable text",
        ));
    }
    if trimmed.is_empty() || trimmed.chars().count() > max {
        return Err(Error::bad_input(
            field,
            "must not be empty or too long",
            format!("1–{max} characters"),
        ));
    }
    Ok(trimmed.to_owned())
}

/// The bidirectional embeddings, overrides and isolates: text that reads differently from what
/// is stored.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// An optional text: `None` or empty stays `None`, anything else as [`text`].
pub fn optional_text(field: &str, value: Option<&str>, max: usize) -> Result<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => text(field, v, max).map(Some),
    }
}

/// An integer within `min..=max`.
pub fn int_range(field: &str, value: i64, min: i64, max: i64) -> Result<i64> {
    if value < min || value > max {
        return Err(Error::bad_input(
            field,
            format!("{value} is out of range"),
            format!("{min}–{max}"),
        ));
    }
    Ok(value)
}

/// A finite float within `min..=max`.
pub fn float_range(field: &str, value: f64, min: f64, max: f64) -> Result<f64> {
    if !value.is_finite() || value < min || value > max {
        return Err(Error::bad_input(
            field,
            format!("{value} is out of range"),
            format!("{min}–{max}"),
        ));
    }
    Ok(value)
}

/// A practical email check: one `@`, a non-empty local part, a dotted domain of letters, digits,
/// dashes; no spaces; at most 254 characters. Returned lowercased in the domain part.
pub fn email(field: &str, value: &str) -> Result<String> {
    let value = value.trim();
    let bad = || Error::bad_input(field, format!("`{value}` is not an email address"), "name@example.com");
    let (local, domain) = value.split_once('@').ok_or_else(bad)?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    if value.len() > 254 || !local_ok || !domain_ok {
        return Err(bad());
    }
    Ok(format!("{local}@{}", domain.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_collect_every_failure_and_pass_values_through() {
        let mut c = Checks::default();
        assert_eq!(c.value(text("name", " Acme ", 10)), "Acme");
        assert_eq!(c.check(int_range("seats", 5, 0, 10)), Some(5));
        assert!(c.finish(()).is_ok());

        let mut c = Checks::default();
        c.check(int_range("seats", -1, 0, 10));
        assert!(matches!(c.finish(()), Err(Error::BadUserInput { field, .. }) if field == "seats"));

        let mut c = Checks::default();
        c.check(int_range("seats", -1, 0, 10));
        c.value(text("name", "", 10));
        c.fail(Error::bad_input("endDate", "before start", "after startDate"));
        match c.finish(()) {
            Err(Error::BadUserInputs(all)) => assert_eq!(all.len(), 3),
            other => panic!("expected three failures, got {other:?}"),
        }
    }

    #[test]
    fn one_line_texts_refuse_control_characters_and_bidi_overrides() {
        for bad in ["a\tb", "a\nb", "a\u{0}b", "\u{202E}abc", "a\u{2067}b"] {
            assert!(text("name", bad, 50).is_err(), "{bad:?}");
        }
        assert_eq!(text("name", "  Zoë & Co.  ", 50).unwrap(), "Zoë & Co.");
    }

    #[test]
    fn accepts_ordinary_emails() {
        assert_eq!(
            email("email", "Jane.Doe+cs@Example.COM").unwrap(),
            "Jane.Doe+cs@example.com"
        );
        assert!(email("email", "a@b.io").is_ok());
    }

    #[test]
    fn refuses_malformed_emails() {
        for bad in [
            "",
            "plain",
            "@example.com",
            "a@",
            "a@b",
            "a b@example.com",
            "a@exa mple.com",
            "a@@b.com",
            "a@b.c",
            "a@-b.com",
            ".a@b.com",
        ] {
            assert!(email("email", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(text("name", "  Acme ", 10).unwrap(), "Acme");
        assert!(text("name", "   ", 10).is_err());
        assert!(text("name", "abcdefghijk", 10).is_err());
    }

    #[test]
    fn ranges_state_their_bounds() {
        assert!(int_range("seats", -1, 0, 10).is_err());
        assert!(float_range("discount", f64::NAN, 0.0, 1.0).is_err());
        assert_eq!(float_range("discount", 0.2, 0.0, 1.0).unwrap(), 0.2);
    }
}
