//! `export --as-of D`: the book as the database held it at the end of day D, rebuilt from what the
//! book records about its own history. Pure: a [`Book`] in, a smaller [`Book`] out, which imports
//! cleanly (the ledger invariant of DESIGN §3 holds for it as it holds for the whole book).
//!
//! What is rolled back, and how:
//! - **Clients** who became customers after D are left out, with everything of theirs.
//! - **Observations** dated after D (usage snapshots by period start, health snapshots) are left out.
//! - **Renewals** are closed on D only if they were closed (`closed_at`) by D. One closed later is
//!   exported open (no outcome, no `closed_at`), its contract active again, its successor contract
//!   and the ledger events of its closing left out, and a client it churned active again.
//! - **Contracts** starting after D are left out unless they succeed a renewal closed by D (the
//!   database held those from the signing on, as it held the renewal's ledger event dated on the
//!   new term's first day).
//! - **Opportunities** created after D are left out. One closed after D is exported open at stage
//!   `proposed` (the book keeps no stage history; `proposed` is the last open stage). A won deal
//!   booked after D takes its booking back: its ledger event, its contract line (the line of its
//!   product worth the event's delta), the seats a user expansion added, and the raise of the
//!   contract's open renewal target.
//! - **Ledger events** dated after D are left out, except those of renewals closed by D.
//! - **Reminders** due after D are left out (the scheduler creates them when they come near); one
//!   completed or skipped after D is exported `due`, without its note.
//!
//! Not recorded, so not rolled back: a client's tier before an upsell booked after D, contacts'
//! dates, and contract fields changed in place (payment status, discount).
use crate::domain::reminder::RenewalReminder;
use crate::domain::*;
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

/// The book as it stood at the end of day `as_of`.
pub fn book_as_of(book: &Book, as_of: NaiveDate) -> Book {
    let clients: HashSet<&str> = book
        .clients
        .iter()
        .filter(|c| c.customer_since <= as_of)
        .map(|c| c.id.as_str())
        .collect();
    let closed_by = |r: &Renewal| r.closed_at.is_some_and(|at| at.date_naive() <= as_of);
    let reopened: HashSet<&str> = book
        .renewals
        .iter()
        .filter(|r| r.status != RenewalStatus::Open && !closed_by(r))
        .map(|r| r.id.as_str())
        .collect();
    let successors = successors(book);
    let kept_contracts: HashSet<&str> = book
        .contracts
        .iter()
        .filter(|c| clients.contains(c.client_id.as_str()))
        .filter(|c| c.start_date <= as_of || successors.get(c.id.as_str()).is_some_and(|r| closed_by(r)))
        .map(|c| c.id.as_str())
        .collect();
    let kept_event = |e: &RevenueEvent| {
        clients.contains(e.client_id.as_str())
            && match e.renewal_id.as_deref() {
                // A closing's event is dated on the new term's first day, possibly after D; it stands
                // or falls with the closing.
                Some(renewal) => !reopened.contains(renewal),
                None => e.occurred_on <= as_of,
            }
    };
    let opportunities: HashMap<&str, &Opportunity> = book.opportunities.iter().map(|o| (o.id.as_str(), o)).collect();
    // Bookings taken back: (contract, opportunity, delta) of each dropped won-deal event.
    let unbooked: Vec<(&str, &Opportunity, Money)> = book
        .revenue_events
        .iter()
        .filter(|e| clients.contains(e.client_id.as_str()) && !kept_event(e))
        .filter_map(|e| {
            let opportunity = opportunities.get(e.opportunity_id.as_deref()?)?;
            Some((e.contract_id.as_deref()?, *opportunity, e.arr_delta))
        })
        .collect();

    let renewals: HashSet<&str> = book
        .renewals
        .iter()
        .filter(|r| kept_contracts.contains(r.contract_id.as_str()))
        .map(|r| r.id.as_str())
        .collect();
    let mut out = Book {
        products: book.products.clone(),
        clients: book
            .clients
            .iter()
            .filter(|c| clients.contains(c.id.as_str()))
            .cloned()
            .collect(),
        contacts: book
            .contacts
            .iter()
            .filter(|c| clients.contains(c.client_id.as_str()))
            .cloned()
            .collect(),
        contracts: book
            .contracts
            .iter()
            .filter(|c| kept_contracts.contains(c.id.as_str()))
            .cloned()
            .collect(),
        contract_items: book
            .contract_items
            .iter()
            .filter(|i| kept_contracts.contains(i.contract_id.as_str()))
            .cloned()
            .collect(),
        usage: book
            .usage
            .iter()
            .filter(|u| clients.contains(u.client_id.as_str()) && u.period_start <= as_of)
            .cloned()
            .collect(),
        health: book
            .health
            .iter()
            .filter(|h| clients.contains(h.client_id.as_str()) && h.as_of <= as_of)
            .cloned()
            .collect(),
        renewals: book
            .renewals
            .iter()
            .filter(|r| kept_contracts.contains(r.contract_id.as_str()))
            .cloned()
            .collect(),
        reminders: book
            .reminders
            .iter()
            .filter(|r| r.due_date <= as_of && renewals.contains(r.renewal_id.as_str()))
            .map(|r| reminder_on(r, as_of))
            .collect(),
        opportunities: book
            .opportunities
            .iter()
            .filter(|o| clients.contains(o.client_id.as_str()) && o.created_at.date_naive() <= as_of)
            .cloned()
            .collect(),
        revenue_events: book.revenue_events.iter().filter(|e| kept_event(e)).cloned().collect(),
    };
    reopen_renewals(&mut out, &reopened);
    reopen_opportunities(&mut out, as_of);
    for (contract, opportunity, delta) in unbooked {
        unbook(&mut out, contract, opportunity, delta);
    }
    out
}

/// Contract id → the closed renewal it succeeds: the client's next contract to start after the
/// renewed one.
fn successors(book: &Book) -> HashMap<&str, &Renewal> {
    let contracts: HashMap<&str, &Contract> = book.contracts.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut by_client: HashMap<&str, Vec<&Contract>> = HashMap::new();
    for c in &book.contracts {
        by_client.entry(c.client_id.as_str()).or_default().push(c);
    }
    let mut out = HashMap::new();
    for renewal in book.renewals.iter().filter(|r| r.status != RenewalStatus::Open) {
        let Some(renewed) = contracts.get(renewal.contract_id.as_str()) else {
            continue;
        };
        let next = by_client
            .get(renewed.client_id.as_str())
            .into_iter()
            .flatten()
            .filter(|c| c.start_date > renewed.start_date)
            .min_by_key(|c| c.start_date);
        if let Some(next) = next {
            out.insert(next.id.as_str(), renewal);
        }
    }
    out
}

/// A reminder as it stood on D: one finished after D was still due (the scheduler had made it due
/// on its due date, which is on or before D).
fn reminder_on(r: &RenewalReminder, as_of: NaiveDate) -> RenewalReminder {
    if r.completed_at.is_some_and(|at| at.date_naive() > as_of) {
        RenewalReminder {
            status: ReminderStatus::Due,
            completed_at: None,
            note: None,
            ..r.clone()
        }
    } else {
        r.clone()
    }
}

/// Renewals closed after D are open again; so are their contracts, and the clients they churned.
fn reopen_renewals(book: &mut Book, reopened: &HashSet<&str>) {
    let mut contracts = HashSet::new();
    let mut clients = HashSet::new();
    for renewal in book.renewals.iter_mut().filter(|r| reopened.contains(r.id.as_str())) {
        if renewal.status == RenewalStatus::Churned {
            clients.insert(renewal.client_id.clone());
        }
        renewal.status = RenewalStatus::Open;
        renewal.outcome_arr = None;
        renewal.closed_at = None;
        contracts.insert(renewal.contract_id.clone());
    }
    for contract in book.contracts.iter_mut().filter(|c| contracts.contains(&c.id)) {
        contract.status = ContractStatus::Active;
    }
    for client in book.clients.iter_mut().filter(|c| clients.contains(&c.id)) {
        client.status = ClientStatus::Active;
    }
}

/// Opportunities closed after D are open again, at the last open stage.
fn reopen_opportunities(book: &mut Book, as_of: NaiveDate) {
    for o in &mut book.opportunities {
        if o.closed_on.is_some_and(|d| d > as_of) {
            o.stage = OpportunityStage::Proposed;
            o.closed_on = None;
        }
    }
}

/// Takes back the booking of a won deal (services::expansion::won): its line, its seats, and the
/// raise of the open renewal's target.
fn unbook(book: &mut Book, contract_id: &str, opportunity: &Opportunity, delta: Money) {
    let Some(product) = opportunity.product_id.as_deref() else {
        return;
    };
    let line = book
        .contract_items
        .iter()
        .rposition(|i| i.contract_id == contract_id && i.product_id == product && i.arr == delta);
    let Some(line) = line else {
        return;
    };
    let removed = book.contract_items.remove(line);
    if opportunity.opportunity_type == OpportunityType::UserExpansion {
        if let Some(contract) = book.contracts.iter_mut().find(|c| c.id == contract_id) {
            contract.seats -= removed.quantity;
        }
    }
    let open = book
        .renewals
        .iter_mut()
        .find(|r| r.contract_id == contract_id && r.status == RenewalStatus::Open);
    if let Some(renewal) = open {
        renewal.target_arr = renewal.target_arr - delta;
    }
}

#[cfg(test)]
mod tests;
