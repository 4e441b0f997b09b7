//! Negotiation guardrails: how far below the proposal an offer may go, and the ONE check that
//! enforces it (`recordNegotiationOffer` calls [`check_offer`]; roles plug in through its flag).
use super::config::StrategyTerms;
use crate::domain::{serde_text, Money};
use crate::error::{Error, Result};
use crate::processes::forecast::round4;
use serde::{Deserialize, Serialize};

/// The limits of a negotiation, stored with it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Guardrails {
    /// The strategy's maximum discount.
    pub strategy_max_discount: f64,
    /// The renewal is at risk (118 probability < 0.60): the discount may go further.
    pub at_risk: bool,
    /// strategy max (+ the at-risk allowance), capped; 4 places.
    pub max_discount: f64,
    #[serde(with = "serde_text::money")]
    pub total_proposed_arr: Money,
    /// totalProposedArr × (1 − maxDiscount), rounded to the cent.
    #[serde(with = "serde_text::money")]
    pub minimum_acceptable_arr: Money,
}

/// maxDiscount = min(strategy max + (at risk ? allowance : 0), cap), and the floor it implies.
pub fn guardrails(
    terms: &StrategyTerms,
    at_risk: bool,
    at_risk_allowance: f64,
    cap: f64,
    total_proposed_arr: Money,
) -> Guardrails {
    let extra = if at_risk { at_risk_allowance } else { 0.0 };
    let max_discount = round4((terms.max_discount + extra).min(cap));
    Guardrails {
        strategy_max_discount: terms.max_discount,
        at_risk,
        max_discount,
        total_proposed_arr,
        minimum_acceptable_arr: total_proposed_arr.times(1.0 - max_discount),
    }
}

/// An offer's ARR below `minimum_acceptable_arr` needs an ADMIN approval, else
/// `GUARDRAIL_VIOLATION`. At or above the floor any offer passes.
pub fn check_offer(guardrails: &Guardrails, offer_arr: Money, approver_is_admin: bool) -> Result<()> {
    if offer_arr >= guardrails.minimum_acceptable_arr || approver_is_admin {
        return Ok(());
    }
    Err(Error::GuardrailViolation(format!(
        "offer {} is below the minimum acceptable ARR {} ({}% maximum discount on {}): \
         it needs an ADMIN approval",
        offer_arr.text(),
        guardrails.minimum_acceptable_arr.text(),
        round4(guardrails.max_discount * 100.0),
        guardrails.total_proposed_arr.text()
    )))
}

/// The discount an offer represents against the proposal: 1 − offer ÷ totalProposedArr, 4 places
/// (negative above the proposal; 0 when the proposal is 0).
pub fn offer_discount(guardrails: &Guardrails, offer_arr: Money) -> f64 {
    let total = guardrails.total_proposed_arr.cents();
    if total == 0 {
        return 0.0;
    }
    round4(1.0 - offer_arr.cents() as f64 / total as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(max_discount: f64) -> StrategyTerms {
        StrategyTerms {
            uplift: 0.0,
            max_discount,
        }
    }

    #[test]
    fn the_floor_is_the_proposal_less_the_maximum_discount() {
        let g = guardrails(&terms(0.05), false, 0.05, 0.20, Money::from_major(93_600));
        assert_eq!(g.max_discount, 0.05);
        assert_eq!(g.minimum_acceptable_arr, Money::from_major(88_920));
    }

    #[test]
    fn at_risk_renewals_get_five_more_points_up_to_twenty() {
        let g = guardrails(&terms(0.10), true, 0.05, 0.20, Money::from_major(100_000));
        assert_eq!(
            (g.max_discount, g.minimum_acceptable_arr),
            (0.15, Money::from_major(85_000))
        );
        let capped = guardrails(&terms(0.18), true, 0.05, 0.20, Money::from_major(100_000));
        assert_eq!(
            (capped.max_discount, capped.minimum_acceptable_arr),
            (0.20, Money::from_major(80_000))
        );
    }

    #[test]
    fn floor_rounds_to_the_cent() {
        let g = guardrails(&terms(0.15), false, 0.05, 0.20, Money::from_cents(3_333_333));
        // 33,333.33 × 0.85 = 28,333.3305 → 28,333.33
        assert_eq!(g.minimum_acceptable_arr, Money::from_cents(2_833_333));
    }

    #[test]
    fn offers_below_the_floor_need_an_admin() {
        let g = guardrails(&terms(0.05), false, 0.05, 0.20, Money::from_major(100_000));
        assert!(check_offer(&g, Money::from_major(95_000), false).is_ok());
        assert!(check_offer(&g, Money::from_major(120_000), false).is_ok());
        let refused = check_offer(&g, Money::from_cents(9_499_999), false).unwrap_err();
        assert!(matches!(&refused, Error::GuardrailViolation(m) if m.contains("$95,000.00") && m.contains("ADMIN")));
        assert!(check_offer(&g, Money::from_cents(9_499_999), true).is_ok());
    }

    #[test]
    fn offer_discount_is_measured_against_the_proposal() {
        let g = guardrails(&terms(0.05), false, 0.05, 0.20, Money::from_major(80_000));
        assert_eq!(offer_discount(&g, Money::from_major(72_000)), 0.1);
        assert_eq!(offer_discount(&g, Money::from_major(84_000)), -0.05);
    }
}
