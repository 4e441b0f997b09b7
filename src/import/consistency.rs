//! Keeping derived data consistent as the mutations keep it: one open renewal per active contract,
//! and the ledger invariant of DESIGN §3 checked on the book as it will be after the import.
use super::plan::Plan;
use super::report::{At, RowError};
use super::Entity;
use crate::domain::*;
use std::collections::{HashMap, HashSet};

/// The stored book with the plan applied (for the checks that need the whole result).
pub(super) fn final_book(existing: &Book, plan: &Plan) -> Book {
    fn apply<T: Clone, K: std::hash::Hash + Eq>(
        old: &[T],
        updates: &[T],
        inserts: &[T],
        key: impl Fn(&T) -> K,
    ) -> Vec<T> {
        let changed: HashMap<K, &T> = updates.iter().map(|t| (key(t), t)).collect();
        old.iter()
            .map(|t| changed.get(&key(t)).map_or_else(|| t.clone(), |n| (*n).clone()))
            .chain(inserts.iter().cloned())
            .collect()
    }
    let (i, u) = (&plan.insert, &plan.update);
    let deleted_items: HashSet<i64> = plan.delete_items.iter().copied().collect();
    let deleted_events: HashSet<i64> = plan.delete_events.iter().copied().collect();
    Book {
        products: Vec::new(),
        clients: apply(&existing.clients, &u.clients, &i.clients, |c| c.id.clone()),
        contacts: Vec::new(),
        contracts: apply(&existing.contracts, &u.contracts, &i.contracts, |c| c.id.clone()),
        contract_items: existing
            .contract_items
            .iter()
            .filter(|x| !deleted_items.contains(&x.id))
            .chain(&i.contract_items)
            .cloned()
            .collect(),
        usage: Vec::new(),
        health: Vec::new(),
        renewals: apply(&existing.renewals, &u.renewals, &i.renewals, |r| r.id.clone()),
        reminders: Vec::new(),
        opportunities: Vec::new(),
        revenue_events: existing
            .revenue_events
            .iter()
            .filter(|x| !deleted_events.contains(&x.id))
            .chain(&i.revenue_events)
            .cloned()
            .collect(),
    }
}

/// An open renewal for every active contract that has none, as `createContract` opens one:
/// due on the contract's renewal date, for the contract's ARR.
pub(super) fn open_missing_renewals(book: &Book) -> Vec<Renewal> {
    let open: HashSet<&str> = book
        .renewals
        .iter()
        .filter(|r| r.status == RenewalStatus::Open)
        .map(|r| r.contract_id.as_str())
        .collect();
    let mut next = book
        .renewals
        .iter()
        .filter_map(|r| r.id.strip_prefix("RNW-")?.parse::<i64>().ok())
        .max()
        .unwrap_or(0);
    let mut arr: HashMap<&str, Money> = HashMap::new();
    for item in &book.contract_items {
        *arr.entry(item.contract_id.as_str()).or_default() += item.arr;
    }
    let mut opened = Vec::new();
    for c in book
        .contracts
        .iter()
        .filter(|c| c.status == ContractStatus::Active && !open.contains(c.id.as_str()))
    {
        next += 1;
        opened.push(Renewal {
            id: crate::domain::ids::sequential("RNW", next),
            contract_id: c.id.clone(),
            client_id: c.client_id.clone(),
            renewal_date: c.renewal_date,
            target_arr: arr.get(c.id.as_str()).copied().unwrap_or_default(),
            status: RenewalStatus::Open,
            outcome_arr: None,
            closed_at: None,
        });
    }
    opened
}

/// DESIGN §3: every client's ledger sums to the ARR of its active contract (zero without one),
/// and a client has at most one active contract.
pub fn ledger_violations(book: &Book) -> Vec<RowError> {
    let mut ledger: HashMap<&str, Money> = HashMap::new();
    for e in &book.revenue_events {
        *ledger.entry(e.client_id.as_str()).or_default() += e.arr_delta;
    }
    let mut item_arr: HashMap<&str, Money> = HashMap::new();
    for item in &book.contract_items {
        *item_arr.entry(item.contract_id.as_str()).or_default() += item.arr;
    }
    let mut active: HashMap<&str, Vec<&Contract>> = HashMap::new();
    for c in book.contracts.iter().filter(|c| c.status == ContractStatus::Active) {
        active.entry(c.client_id.as_str()).or_default().push(c);
    }
    let at = At {
        file: Entity::RevenueEvents.name().to_owned(),
        line: 0,
    };
    let mut errors = Vec::new();
    for client in &book.clients {
        let contracts = active.get(client.id.as_str()).cloned().unwrap_or_default();
        if contracts.len() > 1 {
            let ids: Vec<&str> = contracts.iter().map(|c| c.id.as_str()).collect();
            errors.push(RowError::new(
                &at,
                "",
                format!(
                    "client {} has {} active contracts: {}",
                    client.id,
                    ids.len(),
                    ids.join(", ")
                ),
                Some("one active contract per client".into()),
            ));
            continue;
        }
        let expected = contracts.first().map_or(Money::ZERO, |c| {
            item_arr.get(c.id.as_str()).copied().unwrap_or_default()
        });
        let actual = ledger.get(client.id.as_str()).copied().unwrap_or_default();
        if actual != expected {
            let what = contracts
                .first()
                .map_or("no active contract".to_owned(), |c| format!("active contract {}", c.id));
            errors.push(RowError::new(
                &at,
                "arr_delta",
                format!(
                    "client {}: the ledger sums to {} but its {what} is worth {}",
                    client.id,
                    actual.text(),
                    expected.text()
                ),
                Some("events summing to the ARR of the client's active contract".into()),
            ));
        }
    }
    errors
}
