//! Serde for domain types that are stored as JSON inside other rows (a negotiation package): money
//! as its exact decimal text in major units (`"72000.00"`, as in GraphQL) and enums as their stored
//! text. Used through `#[serde(with = "…")]`, so the domain types themselves stay serde-free.
use super::money::Money;
use serde::{Deserialize, Deserializer, Serializer};

/// `Money` as `"72000.00"`.
pub mod money {
    use super::*;

    /// Writes the decimal text.
    pub fn serialize<S: Serializer>(value: &Money, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    /// Reads the decimal text back, exactly.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
        let text = String::deserialize(deserializer)?;
        Money::parse("money", &text).map_err(|e| serde::de::Error::custom(e.message()))
    }
}

/// Defines one module per text enum with `serialize` / `deserialize` through `as_str` / `parse`.
macro_rules! text_enum_serde {
    ($($module:ident: $name:ident),+ $(,)?) => {$(
        #[doc = concat!("`", stringify!($name), "` as its stored text.")]
        pub mod $module {
            use super::*;
            use crate::domain::enums::$name;

            /// Writes the stored text.
            pub fn serialize<S: Serializer>(value: &$name, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(value.as_str())
            }

            /// Reads the stored text back.
            pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<$name, D::Error> {
                let text = String::deserialize(deserializer)?;
                $name::parse(stringify!($module), &text).map_err(|e| serde::de::Error::custom(e.message()))
            }
        }
    )+};
}

text_enum_serde!(
    contact_role: ContactRole,
    contract_type: ContractType,
    payment_status: PaymentStatus,
    reminder_status: ReminderStatus,
    renewal_status: RenewalStatus,
    opportunity_type: OpportunityType,
    opportunity_source: OpportunitySource,
    revenue_kind: RevenueKind,
    revenue_category: RevenueCategory,
    health_trend: HealthTrend,
);

#[cfg(test)]
mod tests {
    use crate::domain::{Money, PaymentStatus};
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Sample {
        #[serde(with = "super::money")]
        arr: Money,
        #[serde(with = "super::payment_status")]
        payment: PaymentStatus,
    }

    #[test]
    fn money_and_enums_round_trip_as_text() {
        let sample = Sample {
            arr: Money::from_cents(7_200_050),
            payment: PaymentStatus::AtRisk,
        };
        let json = serde_json::to_string(&sample).unwrap();
        assert_eq!(json, r#"{"arr":"72000.50","payment":"at_risk"}"#);
        assert_eq!(serde_json::from_str::<Sample>(&json).unwrap(), sample);
    }

    #[test]
    fn unknown_enum_text_is_refused() {
        assert!(serde_json::from_str::<Sample>(r#"{"arr":"1.00","payment":"late"}"#).is_err());
    }
}
