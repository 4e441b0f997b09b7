//! Deals during a contract term. Won deals add a line to the contract in force and an
//! `expansion` event of the deal's category to the ledger, on the same day; lost deals leave
//! only the opportunity behind.
use super::calendar::{days_between, plus_days};
use super::catalog::USAGE_PACK;
use super::contracts::pick_addon;
use super::history::Sim;
use super::opportunities::{self, Deal, Standing};
use crate::domain::{OpportunityStage, OpportunityType, RevenueEvent, RevenueKind};
use chrono::NaiveDate;

/// Maybe closes a deal in the month starting `month`, reading that month's state.
pub(super) fn maybe_deal(sim: &mut Sim, month: NaiveDate) {
    let Some(state) = sim.states.last().cloned() else {
        return;
    };
    let date = plus_days(month, sim.dice.int(3, 27));
    // Deals are closed mid-term: not in the last two months before a renewal, not after `as_of`,
    // and at most one every four months.
    let spaced = sim.last_deal.is_none_or(|last| days_between(last, date) >= 120);
    if date > sim.as_of || days_between(date, sim.live.end()) < 60 || !spaced {
        return;
    }
    let terms = &sim.live.terms;
    let deal = if state.utilization() >= 0.97 && sim.dice.chance(0.2) {
        Some(opportunities::more_seats(terms, &state, true))
    } else if state.usage_rate >= 1.1 && !terms.owns(USAGE_PACK) && sim.dice.chance(0.15) {
        Some(opportunities::usage_pack(terms, &state, true))
    } else if sim.dice.chance(0.012 + 0.01 * sim.latent.quality.max(0.0)) {
        let terms = terms.clone();
        pick_addon(&mut sim.dice, &terms).map(|p| opportunities::add_on(&terms, p, true, OpportunityType::CrossSell))
    } else {
        None
    };
    match deal {
        Some(deal) => win(sim, date, &deal),
        None if sim.dice.chance(0.02) => lose(sim, date, &state),
        None => {}
    }
}

/// Books a won deal: opportunity, contract line, ledger entry.
fn win(sim: &mut Sim, date: NaiveDate, deal: &Deal) {
    let created = plus_days(date, -sim.dice.int(20, 75)).max(sim.live.contract.start_date);
    let standing = Standing {
        stage: OpportunityStage::Won,
        probability: 1.0,
        created,
        expected_close: date,
        closed_on: Some(date),
    };
    let opportunity_id = opportunities::store(sim, deal, standing);
    let product = deal.product.expect("won deals sell a product");
    sim.live.push_line(product, deal.quantity, deal.value);
    match deal.kind {
        OpportunityType::UserExpansion => {
            sim.live.terms.seats += deal.quantity;
            sim.live.contract.seats = sim.live.terms.seats;
        }
        _ => sim.live.terms.addons.push(product),
    }
    let expansion = sim.event(
        date,
        RevenueKind::Expansion,
        opportunities::category(deal.kind),
        deal.value,
    );
    sim.book.revenue_events.push(RevenueEvent {
        contract_id: Some(sim.live.contract.id.clone()),
        opportunity_id: Some(opportunity_id),
        ..expansion
    });
    sim.last_deal = Some(date);
    sim.last_change = date;
}

/// Records a deal the client turned down.
fn lose(sim: &mut Sim, date: NaiveDate, state: &super::state::MonthState) {
    let terms = sim.live.terms.clone();
    let deal = match sim.dice.int(0, 3) {
        0 if terms.tier_rank < 4 => opportunities::upgrade(&terms, state),
        1 => opportunities::more_seats(&terms, state, false),
        2 => opportunities::enablement(OpportunityType::Training, state),
        _ => match pick_addon(&mut sim.dice, &terms) {
            Some(product) => opportunities::add_on(&terms, product, false, OpportunityType::CrossSell),
            None => opportunities::enablement(OpportunityType::ProfessionalServices, state),
        },
    };
    let created = plus_days(date, -sim.dice.int(30, 90)).max(sim.who.since);
    let standing = Standing {
        stage: OpportunityStage::Lost,
        probability: 0.0,
        created,
        expected_close: date,
        closed_on: Some(date),
    };
    opportunities::store(sim, &deal, standing);
    sim.last_deal = Some(date);
}
