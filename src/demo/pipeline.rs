//! The open pipeline at `as_of`: opportunities a CSM entered by hand, raised by what the latest
//! month shows (seats running out, a healthy client below the top tier, plan limits exceeded,
//! features unused), so detection later finds both covered and uncovered clients.
use super::calendar::plus_days;
use super::catalog::USAGE_PACK;
use super::contracts::pick_addon;
use super::history::Sim;
use super::opportunities::{self, Deal, Standing};
use super::random::round_to;
use crate::domain::{Money, OpportunityStage, OpportunityType};

/// At most this many open opportunities per client.
const MAX_OPEN: usize = 2;

/// Adds the active client's open opportunities.
pub(super) fn open_pipeline(sim: &mut Sim) {
    let Some(state) = sim.states.last().cloned() else {
        return;
    };
    let terms = sim.live.terms.clone();
    let arr = sim.live.arr();
    let dice = &mut sim.dice;
    let mut deals: Vec<Deal> = Vec::new();
    if state.utilization() >= 0.85 && dice.chance(0.5) {
        deals.push(opportunities::more_seats(&terms, &state, false));
    }
    if terms.tier_rank < 4 && state.overall >= 75.0 && state.usage_rate >= 0.7 && dice.chance(0.45) {
        deals.push(opportunities::upgrade(&terms, &state));
    }
    if state.usage_rate > 1.0 && dice.chance(0.35) {
        let mut deal = opportunities::usage_pack(&terms, &state, false);
        // Beyond the pack, the worth is the extra consumption priced at the current ARR.
        deal.value = arr.times((state.usage_rate - 1.0).min(1.0)).max(Money::from_major(1));
        deal.product = (!terms.owns(USAGE_PACK)).then_some(USAGE_PACK);
        deal.name = "Raise plan limits".to_owned();
        deals.push(deal);
    }
    if dice.chance(0.15) {
        if let Some(product) = pick_addon(dice, &terms) {
            deals.push(opportunities::add_on(
                &terms,
                product,
                false,
                OpportunityType::CrossSell,
            ));
        }
    }
    if state.adoption < 0.4 && arr >= Money::from_major(50_000) && dice.chance(0.3) {
        deals.push(opportunities::enablement(OpportunityType::ProfessionalServices, &state));
    }
    if state.adoption < 0.6 && dice.chance(0.1) {
        deals.push(opportunities::enablement(OpportunityType::Training, &state));
    }

    for deal in deals.iter().take(MAX_OPEN) {
        let stage = sim.dice.weighted(&[
            (OpportunityStage::Identified, 0.45),
            (OpportunityStage::Qualified, 0.35),
            (OpportunityStage::Proposed, 0.2),
        ]);
        let base = match stage {
            OpportunityStage::Identified => 0.2,
            OpportunityStage::Qualified => 0.4,
            _ => 0.6,
        };
        let probability = round_to((base + 0.25 * (state.overall - 65.0) / 35.0).clamp(0.05, 0.95), 2);
        let created = plus_days(sim.as_of, -sim.dice.int(3, 60)).max(sim.who.since);
        let expected_close = plus_days(sim.as_of, sim.dice.int(14, 120));
        let standing = Standing {
            stage,
            probability,
            created,
            expected_close,
            closed_on: None,
        };
        opportunities::store(sim, deal, standing);
        sim.open_opportunities += 1;
    }
}
