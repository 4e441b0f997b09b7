//! The as-of cut checked on generated books: at every cut date the smaller book keeps the ledger
//! invariant (so it imports), and each client's ledger ARR on D is what the whole book says it was.
use super::book_as_of;
use crate::demo::{generate, DemoParams};
use crate::domain::*;
use crate::import::consistency::ledger_violations;
use chrono::NaiveDate;
use std::collections::HashMap;

fn day(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

fn arr_on(book: &Book, as_of: NaiveDate) -> HashMap<String, Money> {
    let mut arr: HashMap<String, Money> = HashMap::new();
    for e in book.revenue_events.iter().filter(|e| e.occurred_on <= as_of) {
        *arr.entry(e.client_id.clone()).or_default() += e.arr_delta;
    }
    arr.retain(|_, v| *v != Money::ZERO);
    arr
}

fn demo() -> Book {
    generate(&DemoParams {
        clients: 300,
        seed: 7,
        as_of: day("2026-11-26"),
    })
}

#[test]
fn every_cut_keeps_the_ledger_invariant_and_each_clients_arr_on_the_day() {
    let book = demo();
    assert!(
        ledger_violations(&book).is_empty(),
        "the generated book itself is consistent"
    );
    for cut in [
        "2023-06-30",
        "2024-12-31",
        "2025-06-15",
        "2025-12-25",
        "2026-03-01",
        "2026-08-31",
        "2026-10-31",
    ] {
        let cut = day(cut);
        let past = book_as_of(&book, cut);
        let violations = ledger_violations(&past);
        assert!(
            violations.is_empty(),
            "cut {cut}: {} violations, first {:?}",
            violations.len(),
            violations.first()
        );
        assert_eq!(
            arr_on(&past, cut),
            arr_on(&book, cut),
            "cut {cut}: ledger ARR on the day"
        );
        assert!(past.usage.iter().all(|u| u.period_start <= cut));
        assert!(past.health.iter().all(|h| h.as_of <= cut));
        assert!(past.clients.iter().all(|c| c.customer_since <= cut));
        assert!(past
            .opportunities
            .iter()
            .all(|o| o.created_at.date_naive() <= cut && o.closed_on.is_none_or(|d| d <= cut)));
        assert!(past
            .renewals
            .iter()
            .all(|r| r.closed_at.is_none_or(|at| at.date_naive() <= cut)));
        assert!(past.total_rows() < book.total_rows(), "cut {cut} leaves something out");
    }
}

#[test]
fn a_cut_after_the_last_fact_is_the_whole_book() {
    let book = demo();
    assert_eq!(book_as_of(&book, day("2030-01-01")), book);
}

#[test]
fn every_active_contract_on_the_day_has_one_open_renewal() {
    let book = demo();
    let past = book_as_of(&book, day("2025-12-25"));
    for contract in past.contracts.iter().filter(|c| c.status == ContractStatus::Active) {
        let open = past
            .renewals
            .iter()
            .filter(|r| r.contract_id == contract.id && r.status == RenewalStatus::Open)
            .count();
        assert_eq!(open, 1, "contract {}", contract.id);
    }
}
