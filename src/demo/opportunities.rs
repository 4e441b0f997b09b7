//! Expansion deals shared by the mid-term history and the open pipeline: what each kind sells,
//! what it is worth, and why it was raised.
use super::calendar::at;
use super::catalog::{self, SERVICES, TRAINING, USAGE_PACK};
use super::contracts::Terms;
use super::history::Sim;
use super::state::MonthState;
use crate::domain::{Money, Opportunity, OpportunitySource, OpportunityStage, OpportunityType, RevenueCategory};
use chrono::NaiveDate;

/// A deal before it is stored: the product line it would add and its worth.
#[derive(Clone, Debug)]
pub(super) struct Deal {
    pub kind: OpportunityType,
    pub product: Option<&'static str>,
    /// Quantity of the line it adds when won.
    pub quantity: i32,
    pub value: Money,
    pub name: String,
    pub reasons: Vec<String>,
}

/// Seats for the people waiting for one and some room: 25 % above today's active users, at least one more.
pub(super) fn more_seats(terms: &Terms, state: &MonthState, discounted: bool) -> Deal {
    let target = ((state.active_users as f64 * 1.25).ceil() as i32).max(terms.seats + 1);
    let extra = target - terms.seats;
    let tier = catalog::tier_id(terms.tier_rank);
    let value = if discounted {
        catalog::line(tier, extra, terms.discount_steps).1
    } else {
        catalog::list_price(tier).times_count(extra as i64)
    };
    Deal {
        kind: OpportunityType::UserExpansion,
        product: Some(tier),
        quantity: extra,
        value,
        name: format!("Add {extra} seats"),
        reasons: vec![utilization_reason(state)],
    }
}

/// An add-on the client lacks, at the contract's discount (mid-term) or list price (pipeline).
pub(super) fn add_on(terms: &Terms, product: &'static str, discounted: bool, kind: OpportunityType) -> Deal {
    let steps = if discounted { terms.discount_steps } else { 0 };
    let (quantity, value) = catalog::line(product, terms.seats, steps);
    let mut reasons = vec![format!(
        "{} tier with {} seats",
        catalog::name(catalog::tier_id(terms.tier_rank)),
        terms.seats
    )];
    reasons.extend(
        catalog::AFFINITY
            .iter()
            .filter_map(|&(a, b)| {
                if b == product && terms.owns(a) {
                    Some(a)
                } else if a == product && terms.owns(b) {
                    Some(b)
                } else {
                    None
                }
            })
            .map(|owned| format!("often bought with {}, which the client owns", catalog::name(owned))),
    );
    Deal {
        kind,
        product: Some(product),
        quantity,
        value,
        name: catalog::name(product).to_owned(),
        reasons,
    }
}

/// The usage pack for a client beyond its plan limits.
pub(super) fn usage_pack(terms: &Terms, state: &MonthState, discounted: bool) -> Deal {
    let mut deal = add_on(terms, USAGE_PACK, discounted, OpportunityType::UsageExpansion);
    deal.reasons = vec![format!("usage at {:.0} % of plan limits", state.usage_rate * 100.0)];
    deal
}

/// The next tier for every seat, at list prices.
pub(super) fn upgrade(terms: &Terms, state: &MonthState) -> Deal {
    let next = catalog::tier_id(terms.tier_rank + 1);
    let step = catalog::list_price(next) - catalog::list_price(catalog::tier_id(terms.tier_rank));
    Deal {
        kind: OpportunityType::Upsell,
        product: Some(next),
        quantity: terms.seats,
        value: step.times_count(terms.seats as i64),
        name: format!("Upgrade to {}", catalog::name(next)),
        reasons: vec![
            format!("health {:.0}", state.overall),
            format!("usage at {:.0} % of plan limits", state.usage_rate * 100.0),
            utilization_reason(state),
        ],
    }
}

/// Implementation services or training for a client that uses few features.
pub(super) fn enablement(kind: OpportunityType, state: &MonthState) -> Deal {
    let product = if kind == OpportunityType::Training {
        TRAINING
    } else {
        SERVICES
    };
    Deal {
        kind,
        product: Some(product),
        quantity: 1,
        value: catalog::list_price(product),
        name: catalog::name(product).to_owned(),
        reasons: vec![format!("feature adoption {:.0} %", state.adoption * 100.0)],
    }
}

fn utilization_reason(state: &MonthState) -> String {
    format!(
        "{} of {} seats in use ({:.0} %)",
        state.active_users,
        state.seats,
        state.utilization() * 100.0
    )
}

/// The ledger category of a won deal of `kind`.
pub(super) fn category(kind: OpportunityType) -> RevenueCategory {
    match kind {
        OpportunityType::Upsell => RevenueCategory::Upsell,
        OpportunityType::CrossSell => RevenueCategory::CrossSell,
        OpportunityType::UserExpansion => RevenueCategory::UserExpansion,
        OpportunityType::UsageExpansion => RevenueCategory::UsageExpansion,
        OpportunityType::ProfessionalServices => RevenueCategory::ProfessionalServices,
        OpportunityType::Training => RevenueCategory::Training,
    }
}

/// Where a deal stands and when.
pub(super) struct Standing {
    pub stage: OpportunityStage,
    pub probability: f64,
    pub created: NaiveDate,
    pub expected_close: NaiveDate,
    pub closed_on: Option<NaiveDate>,
}

/// Stores `deal` as an opportunity of the simulated client; returns its id.
pub(super) fn store(sim: &mut Sim, deal: &Deal, standing: Standing) -> String {
    let id = sim.seq.opportunity();
    sim.book.opportunities.push(Opportunity {
        id: id.clone(),
        client_id: sim.who.id.clone(),
        opportunity_type: deal.kind,
        product_id: deal.product.map(str::to_owned),
        name: deal.name.clone(),
        value: deal.value,
        probability: standing.probability,
        stage: standing.stage,
        source: OpportunitySource::Manual,
        detection_key: None,
        reasons: deal.reasons.clone(),
        expected_close_date: Some(standing.expected_close),
        closed_on: standing.closed_on,
        owner: Some(sim.who.csm.to_owned()),
        version: 1,
        created_at: at(standing.created, 10),
    });
    id
}
