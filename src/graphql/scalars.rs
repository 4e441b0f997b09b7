//! Scalars of the API: `Money` (exact decimal string in major units) and `Date` (ISO 8601), and
//! [`check`]: the rules every scalar input is held to, shared by the scalars' own parsing and by
//! the up-front input check (`super::input_check`), so a bad value is refused the same way in a
//! literal, a variable, a nested input object, a GET query string or an MCP argument.
use crate::domain;
use crate::error::Error;
use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

/// The longest string any input takes; fields with a tighter limit document their own.
pub const MAX_STRING_CHARS: usize = 10_000;

/// Why a scalar value was refused, and what would be accepted.
#[derive(Debug, Clone, PartialEq)]
pub struct ScalarProblem {
    pub message: String,
    pub allowed: String,
}

impl ScalarProblem {
    fn new(message: impl Into<String>, allowed: impl Into<String>) -> Self {
        ScalarProblem {
            message: message.into(),
            allowed: allowed.into(),
        }
    }

    fn from_error(err: Error) -> Self {
        match err {
            Error::BadUserInput { message, allowed, .. } => ScalarProblem {
                message,
                allowed: allowed.unwrap_or_default(),
            },
            other => ScalarProblem::new(other.message(), ""),
        }
    }
}

/// Checks a non-null input value against the scalar `type_name` (built-in or ours). Unknown
/// scalars pass: their own parsing decides.
pub fn check(type_name: &str, value: &Value) -> Result<(), ScalarProblem> {
    let found = || super::input_check::describe(value);
    match type_name {
        "Int" => match value {
            Value::Number(n) if n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()) => Ok(()),
            _ => Err(ScalarProblem::new(
                format!("{} is not an Int", found()),
                "a whole number from -2147483648 to 2147483647",
            )),
        },
        "Float" => match value {
            Value::Number(n) if n.as_f64().is_some_and(f64::is_finite) => Ok(()),
            _ => Err(ScalarProblem::new(format!("{} is not a Float", found()), "a number")),
        },
        "Boolean" => match value {
            Value::Boolean(_) => Ok(()),
            _ => Err(ScalarProblem::new(
                format!("{} is not a Boolean", found()),
                "true or false",
            )),
        },
        "String" => match value {
            Value::String(text) => text_hygiene(text),
            _ => Err(ScalarProblem::new(format!("{} is not a String", found()), "a string")),
        },
        "ID" => match value {
            Value::String(text) => text_hygiene(text),
            Value::Number(n) if n.is_i64() || n.is_u64() => Ok(()),
            _ => Err(ScalarProblem::new(
                format!("{} is not an ID", found()),
                "a string or an integer",
            )),
        },
        "Money" => parse_money(value).map(|_| ()),
        "Date" => parse_date(value).map(|_| ()),
        "DateTime" => match value {
            Value::String(text) if chrono::DateTime::parse_from_rfc3339(text).is_ok() => Ok(()),
            _ => Err(ScalarProblem::new(
                format!("{} is not a date-time", found()),
                "RFC 3339, e.g. \"2026-11-26T09:30:00Z\"",
            )),
        },
        _ => Ok(()),
    }
}

/// Every string input: no control characters but tab and line breaks, no bidirectional
/// overrides or isolates (they make a name read differently from what is stored), and at most
/// [`MAX_STRING_CHARS`] characters.
pub fn text_hygiene(text: &str) -> Result<(), ScalarProblem> {
    let allowed = "printable text without control characters or bidi overrides";
    if let Some((at, c)) = text.chars().enumerate().find(|(_, c)| is_forbidden(*c)) {
        let message = format!("contains the control character U+{:04X} at position {at}", c as u32);
        return Err(ScalarProblem::new(message, allowed));
    }
    let length = text.chars().count();
    if length > MAX_STRING_CHARS {
        return Err(ScalarProblem::new(
            format!("is {length} characters long"),
            format!("at most {MAX_STRING_CHARS} characters"),
        ));
    }
    Ok(())
}

/// C0 and C1 controls except tab, LF and CR; DEL; the bidi embeddings, overrides and isolates.
pub fn is_forbidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || domain::validate::is_bidi_control(c)
}

fn parse_money(value: &Value) -> Result<domain::Money, ScalarProblem> {
    let parsed = match value {
        Value::String(text) => domain::Money::parse("amount", text),
        Value::Number(n) => match n.as_i64() {
            Some(whole) => domain::Money::parse("amount", &whole.to_string()),
            None => domain::Money::from_f64("amount", n.as_f64().unwrap_or(f64::NAN)),
        },
        other => {
            return Err(ScalarProblem::new(
                format!("{} is not an amount", super::input_check::describe(other)),
                "a decimal string with at most 2 decimals, e.g. \"72000.00\", or a number",
            ))
        }
    };
    parsed.map_err(ScalarProblem::from_error)
}

fn parse_date(value: &Value) -> Result<NaiveDate, ScalarProblem> {
    let allowed = "an ISO date YYYY-MM-DD that exists, e.g. \"2026-11-26\"";
    match value {
        Value::String(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .filter(|_| text.len() == 10)
            .ok_or_else(|| ScalarProblem::new(format!("`{text}` is not a date"), allowed)),
        other => Err(ScalarProblem::new(
            format!("{} is not a date", super::input_check::describe(other)),
            allowed,
        )),
    }
}

/// An amount of the deployment's currency as an exact decimal string in major units, e.g.
/// `"72000.00"`. Input accepts a string (`"72000.5"`) or a number with at most two decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Money(pub domain::Money);

/// An amount of the deployment's currency as an exact decimal string in major units, e.g.
/// `"72000.00"`. Input accepts a string (`"72000.5"`) or a number with at most two decimals.
#[Scalar(name = "Money")]
impl ScalarType for Money {
    fn parse(value: Value) -> InputValueResult<Self> {
        parse_money(&value).map(Money).map_err(refused)
    }

    fn is_valid(value: &Value) -> bool {
        parse_money(value).is_ok()
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

impl From<domain::Money> for Money {
    fn from(m: domain::Money) -> Self {
        Money(m)
    }
}

/// A calendar date, ISO 8601 (`2026-11-26`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

/// A calendar date, ISO 8601 (`2026-11-26`).
#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        parse_date(&value).map(Date).map_err(refused)
    }

    fn is_valid(value: &Value) -> bool {
        parse_date(value).is_ok()
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

impl From<NaiveDate> for Date {
    fn from(d: NaiveDate) -> Self {
        Date(d)
    }
}

/// The scalar's refusal, coded, for the paths the up-front check does not see.
fn refused<T: async_graphql::InputType>(problem: ScalarProblem) -> InputValueError<T> {
    InputValueError::custom(&problem.message)
        .with_extension("code", "BAD_USER_INPUT")
        .with_extension("allowed", problem.allowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_and_malformed_dates_are_refused() {
        for text in [
            "2026-02-30",
            "2026-13-01",
            "26-01-01",
            "2026-1-1",
            "abc",
            "2026-01-01T00:00:00Z",
        ] {
            assert!(check("Date", &Value::String(text.into())).is_err(), "{text}");
        }
        assert!(check("Date", &Value::String("2024-02-29".into())).is_ok());
        assert!(check("Date", &Value::from(20260101)).is_err());
    }

    #[test]
    fn money_takes_at_most_two_decimals() {
        assert!(check("Money", &Value::String("0.001".into())).is_err());
        assert!(check("Money", &Value::String("abc".into())).is_err());
        assert!(check("Money", &Value::Boolean(true)).is_err());
        assert!(check("Money", &Value::String("72000.50".into())).is_ok());
        assert!(check("Money", &Value::from(12.5)).is_ok());
    }

    #[test]
    fn ints_are_whole_and_within_32_bits() {
        assert!(check("Int", &Value::from(2_147_483_648_i64)).is_err());
        assert!(check("Int", &Value::from(1.5)).is_err());
        assert!(check("Int", &Value::String("5".into())).is_err());
        assert!(check("Int", &Value::from(-5)).is_ok());
    }

    #[test]
    fn control_characters_and_bidi_overrides_are_refused_in_every_string() {
        for text in ["a\0b", "a\u{7}b", "\u{202E}gnp.exe", "x\u{2066}y", "a\u{85}b"] {
            let problem = check("String", &Value::String(text.into())).expect_err(text);
            assert!(problem.message.contains("control character"), "{problem:?}");
        }
        assert!(check("String", &Value::String("line one\nline two\tend".into())).is_ok());
        assert!(check("ID", &Value::String("cs_\u{0}".into())).is_err());
        assert!(check("String", &Value::String("x".repeat(MAX_STRING_CHARS + 1))).is_err());
    }
}
