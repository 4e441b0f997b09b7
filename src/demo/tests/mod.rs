//! Tests of the demo generator: determinism, the catalog, the ledger, renewals, the signal in
//! the outcomes, and the table constraints every row must satisfy.
use super::{generate, DemoBook, DemoParams};
use crate::domain::{Money, ProductKind};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

mod constraints;
mod ledger;
mod signal;

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()
}

fn params(clients: usize, seed: u64) -> DemoParams {
    DemoParams {
        clients,
        seed,
        as_of: as_of(),
    }
}

/// One 400-client book shared by the read-only tests: generating it once keeps the suite fast.
fn book() -> &'static DemoBook {
    static BOOK: OnceLock<DemoBook> = OnceLock::new();
    BOOK.get_or_init(|| generate(&params(400, 7)))
}

/// Σ ARR of each contract's items.
fn contract_arr(book: &DemoBook) -> HashMap<&str, Money> {
    let mut arr: HashMap<&str, Money> = HashMap::new();
    for item in &book.contract_items {
        *arr.entry(item.contract_id.as_str()).or_default() += item.arr;
    }
    arr
}

#[test]
fn the_same_parameters_give_the_same_book() {
    let first = generate(&params(60, 42));
    let second = generate(&params(60, 42));
    assert_eq!(first, second);
    assert_eq!(format!("{first:?}"), format!("{second:?}"));
}

#[test]
fn another_seed_gives_another_book() {
    let first = generate(&params(60, 42));
    let second = generate(&params(60, 43));
    assert_ne!(first.clients, second.clients);
    assert_ne!(first.revenue_events, second.revenue_events);
}

#[test]
fn the_book_has_the_requested_number_of_clients_with_unique_ids() {
    let book = book();
    assert_eq!(book.clients.len(), 400);
    let ids: HashSet<&str> = book.clients.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), 400);
    assert!(generate(&params(0, 1)).clients.is_empty());
}

#[test]
fn the_catalog_has_a_four_rung_ladder_add_ons_in_five_families_services_and_training() {
    let products = &book().products;
    let mut tiers: Vec<_> = products.iter().filter(|p| p.kind == ProductKind::Tier).collect();
    tiers.sort_by_key(|p| p.tier_rank);
    assert_eq!(
        tiers.iter().map(|p| p.tier_rank).collect::<Vec<_>>(),
        vec![Some(1), Some(2), Some(3), Some(4)]
    );
    assert!(
        tiers.windows(2).all(|w| w[0].annual_price < w[1].annual_price),
        "prices climb the ladder"
    );
    assert!(tiers.iter().all(|p| p.family == "platform"));

    let addons: Vec<_> = products.iter().filter(|p| p.kind == ProductKind::Addon).collect();
    let families: HashSet<&str> = addons.iter().map(|p| p.family.as_str()).collect();
    assert!(
        addons.len() >= 6 && families.len() >= 5,
        "{} add-ons in {families:?}",
        addons.len()
    );
    let services = |family: &str| {
        products
            .iter()
            .any(|p| p.family == family && p.kind == ProductKind::Service)
    };
    assert!(services("services") && services("training"));
}

#[test]
fn ids_are_numbered_from_one_in_generation_order() {
    let book = book();
    let numbers = |ids: Vec<&str>, prefix: &str| -> Vec<i64> {
        ids.iter()
            .map(|id| id.strip_prefix(prefix).unwrap().parse().unwrap())
            .collect()
    };
    let mut contracts = numbers(book.contracts.iter().map(|c| c.id.as_str()).collect(), "CNT-");
    contracts.sort();
    assert_eq!(contracts, (1..=book.contracts.len() as i64).collect::<Vec<_>>());
    let mut renewals = numbers(book.renewals.iter().map(|r| r.id.as_str()).collect(), "RNW-");
    renewals.sort();
    assert_eq!(renewals, (1..=book.renewals.len() as i64).collect::<Vec<_>>());
    let opportunities = numbers(book.opportunities.iter().map(|o| o.id.as_str()).collect(), "EXP-");
    assert_eq!(opportunities, (1..=book.opportunities.len() as i64).collect::<Vec<_>>());
}
