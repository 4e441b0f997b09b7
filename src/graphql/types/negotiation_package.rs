//! 119 — the negotiation package as stored with a negotiation: GraphQL views of the pure types.
use crate::graphql::enums::{ContractType, NegotiationStrategy, OpportunitySource, OpportunityType, PaymentStatus};
use crate::graphql::scalars::{Date, Money};
use crate::processes::negotiation as package;
use async_graphql::{SimpleObject, ID};

/// What a CSM takes into the renewal conversation, computed from the book when negotiated.
#[derive(SimpleObject)]
pub struct NegotiationPackage {
    /// The renewal date.
    pub renewal_date: Date,
    /// The date the package was computed as of.
    pub as_of: Date,
    /// The strategy it was built for.
    pub strategy: NegotiationStrategy,
    /// 118 probability that the renewal is kept.
    pub renewal_probability: f64,
    /// The contract being renewed.
    pub current_contract: CurrentContract,
    /// What we propose.
    pub proposal: Proposal,
    /// Contract lengths with their discounts.
    pub term_options: Vec<TermOption>,
    /// The value delivered, in sentences with the client's numbers.
    pub value_proposition: Vec<ValuePoint>,
    /// The risks 118 and the data show.
    pub risk_signals: Vec<RiskSignal>,
    /// How far below the proposal an offer may go without an ADMIN approval.
    pub guardrails: Guardrails,
    /// Talking points written from the numbers above.
    pub talking_points: Vec<String>,
}

/// The contract being renewed.
#[derive(SimpleObject)]
pub struct CurrentContract {
    /// `CNT-<n>`.
    pub id: ID,
    /// ARR up for renewal.
    pub arr: Money,
    /// Term type.
    pub contract_type: ContractType,
    /// First day.
    pub start: Date,
    /// Last day.
    pub end: Date,
    /// Renews unless cancelled.
    pub auto_renew: bool,
    /// Payment standing.
    pub payment_status: PaymentStatus,
}

/// The proposal.
#[derive(SimpleObject)]
pub struct Proposal {
    /// The strategy's price uplift.
    pub uplift: f64,
    /// ARR × (1 + uplift).
    pub base_renewal: Money,
    /// Open opportunities included (all for EXPANSION_BUNDLE, probability ≥ 0.5 otherwise).
    pub expansion_options: Vec<ExpansionOption>,
    /// Σ their value.
    pub expansion_value: Money,
    /// baseRenewal + expansionValue.
    pub total_proposed_arr: Money,
}

/// An expansion the proposal includes.
#[derive(SimpleObject)]
pub struct ExpansionOption {
    /// The opportunity id (`EXP-<n>`), or the detection key of a detected one.
    pub key: String,
    /// Kind of expansion.
    pub opportunity_type: OpportunityType,
    /// Name.
    pub name: String,
    /// Added ARR.
    pub value: Money,
    /// Probability of closing.
    pub probability: f64,
    /// Detected or manual.
    pub source: OpportunitySource,
}

/// A contract length offered.
#[derive(SimpleObject)]
pub struct TermOption {
    /// Months.
    pub months: u32,
    /// Discount for the length.
    pub discount: f64,
    /// totalProposedArr × (1 − discount).
    pub annual_arr: Money,
    /// annualArr × months ÷ 12.
    pub total_contract_value: Money,
    /// The discount is within the guardrails' maxDiscount (annualArr ≥ minimumAcceptableArr): a CSM
    /// may offer it.
    pub within_guardrails: bool,
    /// The discount exceeds maxDiscount: offering this term needs an ADMIN approval.
    pub needs_approval: bool,
}

/// A fact of the value delivered.
#[derive(SimpleObject)]
pub struct ValuePoint {
    /// health, user_growth, seat_utilization, adoption, arr_growth or tenure.
    pub topic: String,
    /// The sentence.
    pub statement: String,
}

/// A risk to address.
#[derive(SimpleObject)]
pub struct RiskSignal {
    /// A 118 risk factor (low_health, …), at_risk, declining_users or model_factor.
    pub signal: String,
    /// The numbers behind it.
    pub detail: String,
}

/// The negotiation's limits.
#[derive(SimpleObject)]
pub struct Guardrails {
    /// The strategy's maximum discount.
    pub strategy_max_discount: f64,
    /// The renewal is at risk (probability < 0.60), which widens the discount.
    pub at_risk: bool,
    /// The maximum discount without an ADMIN approval.
    pub max_discount: f64,
    /// The proposal it applies to.
    pub total_proposed_arr: Money,
    /// totalProposedArr × (1 − maxDiscount): lower offers need an ADMIN approval.
    pub minimum_acceptable_arr: Money,
}

impl From<package::Guardrails> for Guardrails {
    fn from(g: package::Guardrails) -> Self {
        Guardrails {
            strategy_max_discount: g.strategy_max_discount,
            at_risk: g.at_risk,
            max_discount: g.max_discount,
            total_proposed_arr: g.total_proposed_arr.into(),
            minimum_acceptable_arr: g.minimum_acceptable_arr.into(),
        }
    }
}

impl From<package::NegotiationPackage> for NegotiationPackage {
    fn from(p: package::NegotiationPackage) -> Self {
        let c = p.current_contract;
        let proposal = p.proposal;
        NegotiationPackage {
            renewal_date: p.renewal_date.into(),
            as_of: p.as_of.into(),
            strategy: p.strategy.into(),
            renewal_probability: p.renewal_probability,
            current_contract: CurrentContract {
                id: ID(c.id),
                arr: c.arr.into(),
                contract_type: c.contract_type.into(),
                start: c.start.into(),
                end: c.end.into(),
                auto_renew: c.auto_renew,
                payment_status: c.payment_status.into(),
            },
            proposal: Proposal {
                uplift: proposal.uplift,
                base_renewal: proposal.base_renewal.into(),
                expansion_options: proposal
                    .expansion_options
                    .into_iter()
                    .map(|o| ExpansionOption {
                        key: o.key,
                        opportunity_type: o.opportunity_type.into(),
                        name: o.name,
                        value: o.value.into(),
                        probability: o.probability,
                        source: o.source.into(),
                    })
                    .collect(),
                expansion_value: proposal.expansion_value.into(),
                total_proposed_arr: proposal.total_proposed_arr.into(),
            },
            term_options: p
                .term_options
                .into_iter()
                .map(|t| TermOption {
                    months: t.months,
                    discount: t.discount,
                    annual_arr: t.annual_arr.into(),
                    total_contract_value: t.total_contract_value.into(),
                    within_guardrails: t.within_guardrails,
                    needs_approval: !t.within_guardrails,
                })
                .collect(),
            value_proposition: p
                .value_proposition
                .into_iter()
                .map(|v| ValuePoint {
                    topic: v.topic,
                    statement: v.statement,
                })
                .collect(),
            risk_signals: p
                .risk_signals
                .into_iter()
                .map(|r| RiskSignal {
                    signal: r.signal,
                    detail: r.detail,
                })
                .collect(),
            guardrails: p.guardrails.into(),
            talking_points: p.talking_points,
        }
    }
}
