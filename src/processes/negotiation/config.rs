//! Negotiation strategies and their configurable terms (DESIGN §5, 119).
use crate::domain::validate::float_range;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// How the renewal is negotiated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NegotiationStrategy {
    /// Price uplift justified by the value delivered.
    ValueReinforcement,
    /// Hold the account against a competitor: no uplift, room to discount.
    CompetitiveDefense,
    /// Renew with every expansion option bundled in.
    ExpansionBundle,
}

impl NegotiationStrategy {
    /// Every strategy.
    pub const ALL: [NegotiationStrategy; 3] = [
        NegotiationStrategy::ValueReinforcement,
        NegotiationStrategy::CompetitiveDefense,
        NegotiationStrategy::ExpansionBundle,
    ];

    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            NegotiationStrategy::ValueReinforcement => "value_reinforcement",
            NegotiationStrategy::CompetitiveDefense => "competitive_defense",
            NegotiationStrategy::ExpansionBundle => "expansion_bundle",
        }
    }

    /// Parses the stored text (or its SCREAMING_CASE GraphQL/MCP form).
    pub fn parse(field: &str, text: &str) -> Result<NegotiationStrategy> {
        let lower = text.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|s| s.as_str() == lower).ok_or_else(|| {
            Error::bad_input(
                field,
                format!("unknown strategy `{text}`"),
                "VALUE_REINFORCEMENT, COMPETITIVE_DEFENSE, EXPANSION_BUNDLE",
            )
        })
    }
}

/// Price uplift and maximum discount of a strategy, as fractions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StrategyTerms {
    pub uplift: f64,
    pub max_discount: f64,
}

/// A contract length offered, with its discount.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TermChoice {
    pub months: u32,
    pub discount: f64,
}

/// Everything about negotiations that config may change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NegotiationConfig {
    pub value_reinforcement: StrategyTerms,
    pub competitive_defense: StrategyTerms,
    pub expansion_bundle: StrategyTerms,
    /// Added to the maximum discount when the renewal is at risk.
    pub at_risk_extra_discount: f64,
    /// No maximum discount exceeds this.
    pub max_discount_cap: f64,
    /// Outside EXPANSION_BUNDLE, options need at least this probability.
    pub min_option_probability: f64,
    pub term_options: Vec<TermChoice>,
}

impl Default for NegotiationConfig {
    fn default() -> Self {
        let terms = |uplift, max_discount| StrategyTerms { uplift, max_discount };
        let term = |months, discount| TermChoice { months, discount };
        NegotiationConfig {
            value_reinforcement: terms(0.05, 0.05),
            competitive_defense: terms(0.0, 0.15),
            expansion_bundle: terms(0.0, 0.10),
            at_risk_extra_discount: 0.05,
            max_discount_cap: 0.20,
            min_option_probability: 0.5,
            term_options: vec![term(12, 0.0), term(24, 0.10), term(36, 0.15)],
        }
    }
}

impl NegotiationConfig {
    /// The terms of a strategy.
    pub fn terms(&self, strategy: NegotiationStrategy) -> &StrategyTerms {
        match strategy {
            NegotiationStrategy::ValueReinforcement => &self.value_reinforcement,
            NegotiationStrategy::CompetitiveDefense => &self.competitive_defense,
            NegotiationStrategy::ExpansionBundle => &self.expansion_bundle,
        }
    }

    /// Refuses uplifts outside 0–1, discounts outside 0–1, empty or out-of-range term options.
    pub fn validate(&self) -> Result<()> {
        for s in NegotiationStrategy::ALL {
            float_range(
                &format!("negotiation.{}.uplift", s.as_str()),
                self.terms(s).uplift,
                0.0,
                1.0,
            )?;
            float_range(
                &format!("negotiation.{}.max_discount", s.as_str()),
                self.terms(s).max_discount,
                0.0,
                1.0,
            )?;
        }
        float_range(
            "negotiation.at_risk_extra_discount",
            self.at_risk_extra_discount,
            0.0,
            1.0,
        )?;
        float_range("negotiation.max_discount_cap", self.max_discount_cap, 0.0, 1.0)?;
        float_range(
            "negotiation.min_option_probability",
            self.min_option_probability,
            0.0,
            1.0,
        )?;
        if self.term_options.is_empty() {
            return Err(Error::bad_input(
                "negotiation.term_options",
                "none",
                "at least one term",
            ));
        }
        for t in &self.term_options {
            validate_term_months("negotiation.term_options.months", i64::from(t.months))?;
            float_range("negotiation.term_options.discount", t.discount, 0.0, 1.0)?;
        }
        Ok(())
    }
}

/// Contract terms from 1 to 60 months.
pub fn validate_term_months(field: &str, months: i64) -> Result<u32> {
    crate::domain::validate::int_range(field, months, 1, 60).map(|m| m as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_design_and_validate() {
        let config = NegotiationConfig::default();
        assert!(config.validate().is_ok());
        assert_eq!(config.terms(NegotiationStrategy::CompetitiveDefense).max_discount, 0.15);
        assert_eq!(
            config.term_options[2],
            TermChoice {
                months: 36,
                discount: 0.15
            }
        );
    }

    #[test]
    fn strategies_parse_from_stored_or_graphql_text_and_unknown_ones_are_refused() {
        assert_eq!(
            NegotiationStrategy::parse("negotiationStrategy", "EXPANSION_BUNDLE").unwrap(),
            NegotiationStrategy::ExpansionBundle
        );
        assert_eq!(
            NegotiationStrategy::parse("negotiationStrategy", "value_reinforcement").unwrap(),
            NegotiationStrategy::ValueReinforcement
        );
        assert!(NegotiationStrategy::parse("negotiationStrategy", "HARDBALL").is_err());
    }
}
