//! 119 — renewal negotiation (DESIGN §5): the package a CSM takes into the renewal conversation
//! (current contract, proposal, term options, value proposition, risk signals, guardrails,
//! talking points), the offer guardrail, and the arithmetic of closing a renewal.
//!
//! Pure: the service loads [`NegotiationInput`] (with the 118 prediction of the renewal), stores
//! the returned package as JSON, and calls [`check_offer`] before storing any offer.
pub mod closing;
pub mod config;
pub mod guardrails;
pub mod items;
pub mod value;

pub use closing::{close_renewal, contract_type_for, LedgerMove, NextContract, RenewalClosing};
pub use config::{validate_term_months, NegotiationConfig, NegotiationStrategy, StrategyTerms, TermChoice};
pub use guardrails::{check_offer, guardrails, offer_discount, Guardrails};
pub use items::{scale_items, ScaledItem};
pub use value::{RiskSignal, ValuePoint};

use crate::domain::{
    serde_text, Client, Contract, ContractType, HealthSnapshot, Money, Opportunity, OpportunitySource, OpportunityType,
    PaymentStatus, Renewal, RenewalStatus, RevenueEvent, UsageSnapshot,
};
use crate::error::{Error, Result};
use crate::processes::forecast::{ForecastCategory, RenewalPrediction};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An expansion the proposal can include: an open stored opportunity or a detected one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExpansionOption {
    /// The opportunity id when stored, else its detection key.
    pub key: String,
    #[serde(with = "serde_text::opportunity_type")]
    pub opportunity_type: OpportunityType,
    pub name: String,
    /// Added ARR.
    #[serde(with = "serde_text::money")]
    pub value: Money,
    pub probability: f64,
    #[serde(with = "serde_text::opportunity_source")]
    pub source: OpportunitySource,
}

impl From<&Opportunity> for ExpansionOption {
    fn from(o: &Opportunity) -> Self {
        ExpansionOption {
            key: o.id.clone(),
            opportunity_type: o.opportunity_type,
            name: o.name.clone(),
            value: o.value,
            probability: o.probability,
            source: o.source,
        }
    }
}

/// What the package is built from.
#[derive(Clone, Debug, PartialEq)]
pub struct NegotiationInput {
    pub client: Client,
    /// The client's open renewal; its target ARR is the ARR being renewed.
    pub renewal: Renewal,
    /// The contract it renews.
    pub contract: Contract,
    /// The client's usage and health snapshots (any order; those after as_of are ignored).
    pub usage: Vec<UsageSnapshot>,
    pub health: Vec<HealthSnapshot>,
    /// The client's ledger (ARR growth since it became a customer).
    pub revenue_events: Vec<RevenueEvent>,
    /// Open stored and detected opportunities of the client, one per key.
    pub opportunities: Vec<ExpansionOption>,
    /// The renewal as 118 scores it.
    pub prediction: RenewalPrediction,
}

/// The contract being renewed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CurrentContract {
    pub id: String,
    /// The renewal's target ARR.
    #[serde(with = "serde_text::money")]
    pub arr: Money,
    #[serde(rename = "type", with = "serde_text::contract_type")]
    pub contract_type: ContractType,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub auto_renew: bool,
    #[serde(with = "serde_text::payment_status")]
    pub payment_status: PaymentStatus,
}

/// What we propose.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Proposal {
    /// The strategy's price uplift.
    pub uplift: f64,
    /// ARR × (1 + uplift), rounded to the cent.
    #[serde(with = "serde_text::money")]
    pub base_renewal: Money,
    /// All options for EXPANSION_BUNDLE, those with probability ≥ 0.5 otherwise; by value ×
    /// probability desc, then key.
    pub expansion_options: Vec<ExpansionOption>,
    #[serde(with = "serde_text::money")]
    pub expansion_value: Money,
    /// baseRenewal + Σ option values.
    #[serde(with = "serde_text::money")]
    pub total_proposed_arr: Money,
}

/// A contract length with its discount.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TermOption {
    pub months: u32,
    pub discount: f64,
    /// totalProposedArr × (1 − discount).
    #[serde(with = "serde_text::money")]
    pub annual_arr: Money,
    /// annualArr × months ÷ 12.
    #[serde(with = "serde_text::money")]
    pub total_contract_value: Money,
    /// discount ≤ maxDiscount (so annualArr ≥ minimumAcceptableArr); otherwise offering it needs
    /// an ADMIN approval.
    pub within_guardrails: bool,
}

/// The negotiation package, stored as JSON with the negotiation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NegotiationPackage {
    pub client_id: String,
    pub renewal_id: String,
    pub renewal_date: NaiveDate,
    pub as_of: NaiveDate,
    pub strategy: NegotiationStrategy,
    /// From 118, 4 places.
    pub renewal_probability: f64,
    pub current_contract: CurrentContract,
    pub proposal: Proposal,
    pub term_options: Vec<TermOption>,
    pub value_proposition: Vec<ValuePoint>,
    pub risk_signals: Vec<RiskSignal>,
    pub guardrails: Guardrails,
    pub talking_points: Vec<String>,
}

/// Builds the package for `strategy`. The renewal must be open and belong to the client.
pub fn negotiation_package(
    input: &NegotiationInput,
    strategy: NegotiationStrategy,
    config: &NegotiationConfig,
    as_of: NaiveDate,
) -> Result<NegotiationPackage> {
    let renewal = &input.renewal;
    if renewal.status != RenewalStatus::Open || renewal.client_id != input.client.id {
        return Err(Error::not_found("open renewal of client", &input.client.id));
    }
    let terms = config.terms(strategy);
    let arr = renewal.target_arr;
    let base_renewal = arr.times(1.0 + terms.uplift);
    let expansion_options = select_options(&input.opportunities, strategy, config.min_option_probability);
    let expansion_value: Money = expansion_options.iter().map(|o| o.value).sum();
    let total_proposed_arr = base_renewal + expansion_value;
    let at_risk = input.prediction.category == ForecastCategory::AtRisk;
    let guardrails = guardrails(
        terms,
        at_risk,
        config.at_risk_extra_discount,
        config.max_discount_cap,
        total_proposed_arr,
    );
    let term_options = config
        .term_options
        .iter()
        .map(|t| {
            let annual_arr = total_proposed_arr.times(1.0 - t.discount);
            TermOption {
                months: t.months,
                discount: t.discount,
                annual_arr,
                total_contract_value: annual_arr.times(f64::from(t.months) / 12.0),
                // The term's discount counts against maxDiscount: beyond it, the term needs approval.
                within_guardrails: t.discount <= guardrails.max_discount + 1e-9
                    && annual_arr >= guardrails.minimum_acceptable_arr,
            }
        })
        .collect();
    let contract = &input.contract;
    let mut package = NegotiationPackage {
        client_id: input.client.id.clone(),
        renewal_id: renewal.id.clone(),
        renewal_date: renewal.renewal_date,
        as_of,
        strategy,
        renewal_probability: input.prediction.probability,
        current_contract: CurrentContract {
            id: contract.id.clone(),
            arr,
            contract_type: contract.contract_type,
            start: contract.start_date,
            end: contract.end_date,
            auto_renew: contract.auto_renew,
            payment_status: contract.payment_status,
        },
        proposal: Proposal {
            uplift: terms.uplift,
            base_renewal,
            expansion_options,
            expansion_value,
            total_proposed_arr,
        },
        term_options,
        value_proposition: value::value_proposition(input, as_of),
        risk_signals: value::risk_signals(input, as_of),
        guardrails,
        talking_points: Vec::new(),
    };
    package.talking_points = value::talking_points(&package);
    Ok(package)
}

/// The options the strategy includes, best expected value first, one per key.
fn select_options(options: &[ExpansionOption], strategy: NegotiationStrategy, min_p: f64) -> Vec<ExpansionOption> {
    let mut chosen: Vec<ExpansionOption> = options
        .iter()
        .filter(|o| strategy == NegotiationStrategy::ExpansionBundle || o.probability >= min_p)
        .cloned()
        .collect();
    chosen.sort_by(|a, b| {
        let expected = |o: &ExpansionOption| o.value.cents() as f64 * o.probability;
        expected(b).total_cmp(&expected(a)).then_with(|| a.key.cmp(&b.key))
    });
    let mut seen = std::collections::BTreeSet::new();
    chosen.retain(|o| seen.insert(o.key.clone()));
    chosen
}

#[cfg(test)]
mod tests;
