//! Scalars of the API: `Money` (exact decimal string in major units) and `Date` (ISO 8601).
use crate::domain;
use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

/// An amount of the deployment's currency as an exact decimal string in major units, e.g.
/// `"72000.00"`. Input accepts a string (`"72000.5"`) or a number with at most two decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Money(pub domain::Money);

/// An amount of the deployment's currency as an exact decimal string in major units, e.g.
/// `"72000.00"`. Input accepts a string (`"72000.5"`) or a number with at most two decimals.
#[Scalar(name = "Money")]
impl ScalarType for Money {
    fn parse(value: Value) -> InputValueResult<Self> {
        let parsed = match &value {
            Value::String(text) => domain::Money::parse("amount", text),
            Value::Number(n) => match n.as_i64() {
                Some(whole) => domain::Money::parse("amount", &whole.to_string()),
                None => domain::Money::from_f64("amount", n.as_f64().unwrap_or(f64::NAN)),
            },
            _ => return Err(InputValueError::expected_type(value)),
        };
        parsed.map(Money).map_err(|e| InputValueError::custom(e.message()))
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
        match &value {
            Value::String(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Date)
                .map_err(|_| InputValueError::custom(format!("`{text}` is not a date; expected YYYY-MM-DD"))),
            _ => Err(InputValueError::expected_type(value)),
        }
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
