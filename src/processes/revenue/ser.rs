//! Serde helpers for the domain types that carry no `Serialize` of their own: amounts as the
//! decimal string in major units the GraphQL `Money` scalar uses (`"72000.00"`), revenue categories
//! in SCREAMING_CASE as GraphQL shows them.
use crate::domain::{Money, RevenueCategory};
use serde::Serializer;

/// An amount as `"72000.00"`.
pub fn money<S: Serializer>(value: &Money, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

/// An optional amount as `"72000.00"` or null.
pub fn option_money<S: Serializer>(value: &Option<Money>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(amount) => serializer.collect_str(amount),
        None => serializer.serialize_none(),
    }
}

/// A category as `CROSS_SELL`.
pub fn category<S: Serializer>(value: &RevenueCategory, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&value.as_str().to_ascii_uppercase())
}

/// An optional category as `CROSS_SELL` or null.
pub fn option_category<S: Serializer>(value: &Option<RevenueCategory>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(c) => category(c, serializer),
        None => serializer.serialize_none(),
    }
}
