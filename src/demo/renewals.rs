//! Closing a renewal that fell due: the outcome, the next contract and the ledger entry, together.
use super::calendar::{at, plus_days};
use super::contracts::LiveContract;
use super::history::{archive, Sim};
use super::outcome::{self, Features};
use crate::domain::{ContractStatus, Money, RenewalStatus, RevenueCategory, RevenueEvent, RevenueKind};

/// Closes the live contract's renewal. Returns false when the client churned.
///
/// Churn takes effect the day after the contract ends, so the client still counts on its last
/// day; a kept client's next contract starts that same day.
pub(super) fn close(sim: &mut Sim) -> bool {
    let due = sim.live.end();
    let features = Features::at(&sim.states, due, &sim.live.terms, sim.who.since);
    let renewal_id = sim.seq.renewal();
    let target = sim.live.arr();
    let effective = plus_days(due, 1);
    sim.last_change = effective;

    if !outcome::retains(&mut sim.dice, &features) {
        sim.push_renewal(
            renewal_id.clone(),
            RenewalStatus::Churned,
            Some(Money::ZERO),
            Some(at(due, 17)),
        );
        let churn = sim.event(effective, RevenueKind::Churn, RevenueCategory::Renewal, -target);
        sim.book.revenue_events.push(RevenueEvent {
            contract_id: Some(sim.live.contract.id.clone()),
            renewal_id: Some(renewal_id),
            ..churn
        });
        archive(sim.book, &sim.live, ContractStatus::Churned);
        return false;
    }

    let (terms, category) = outcome::next_terms(
        &mut sim.dice,
        &sim.live.terms,
        &features,
        sim.latent.demand,
        sim.latent.quality,
    );
    let next = LiveContract::start(sim.seq.contract(), &sim.who.id, effective, terms);
    let renewed = next.arr();
    let status = if renewed < target {
        RenewalStatus::Downgraded
    } else {
        RenewalStatus::Renewed
    };
    // Most renewals are signed during the two weeks before the date.
    let signed = plus_days(due, -sim.dice.int(0, 14)).max(sim.live.contract.start_date);
    sim.push_renewal(renewal_id.clone(), status, Some(renewed), Some(at(signed, 16)));

    let delta = renewed - target;
    if delta != Money::ZERO {
        let (kind, category) = if delta.is_negative() {
            (RevenueKind::Contraction, RevenueCategory::Renewal)
        } else {
            (RevenueKind::Expansion, category)
        };
        let change = sim.event(effective, kind, category, delta);
        sim.book.revenue_events.push(RevenueEvent {
            contract_id: Some(next.contract.id.clone()),
            renewal_id: Some(renewal_id),
            ..change
        });
    }
    archive(sim.book, &sim.live, ContractStatus::Renewed);
    sim.live = next;
    true
}
