use super::*;
use crate::domain::{ContractStatus, HealthTrend, Tier};
use crate::processes::fixtures::{catalog, client, date, products, three_client_book};

fn item(id: i64, contract: &str, product: &str) -> ContractItem {
    ContractItem {
        id,
        contract_id: contract.into(),
        product_id: product.into(),
        quantity: 1,
        arr: Money::from_major(100),
    }
}

/// The rows of the worked-example book, plus an older contract of acme that is still in force.
fn rows() -> BookRows {
    let book = three_client_book();
    let mut older = book[0].contract.clone().expect("test fixture");
    older.id = "CNT-0".into();
    older.start_date = date(2025, 1, 1);
    older.status = ContractStatus::Superseded;
    let mut contracts: Vec<Contract> = book.iter().filter_map(|f| f.contract.clone()).collect();
    contracts.insert(1, older);
    BookRows {
        clients: book.iter().rev().map(|f| f.client.clone()).collect(),
        arr: book.iter().map(|f| (f.client.id.clone(), f.arr)).collect(),
        latest_usage: book.iter().filter_map(|f| f.latest_usage.clone()).collect(),
        usage_6_months_ago: book.iter().filter_map(|f| f.usage_6_months_ago.clone()).collect(),
        latest_health: book.iter().filter_map(|f| f.latest_health.clone()).collect(),
        contracts,
        items: vec![
            item(1, "CNT-0", "addon_crm"),
            item(2, "CNT-1", "tier_professional"),
            item(3, "CNT-1", "addon_analytics"),
            item(4, "CNT-2", "tier_standard"),
            item(5, "CNT-3", "tier_enterprise"),
            item(6, "CNT-3", "addon_support"),
        ],
        products: products(),
    }
}

#[test]
fn assembled_facts_equal_the_worked_example_book() {
    let book = assemble(rows());
    assert_eq!(book.clients, three_client_book());
    assert_eq!(book.catalog, catalog());
}

#[test]
fn only_the_latest_starting_contract_in_force_counts_for_ownership() {
    let book = assemble(rows());
    let acme = &book.clients[0];
    assert_eq!(acme.contract.as_ref().map(|c| c.id.as_str()), Some("CNT-1"));
    assert!(!acme.owned_product_ids.contains("addon_crm"));
}

#[test]
fn a_client_without_rows_has_empty_facts_and_zero_arr() {
    let mut rows = rows();
    let lone = client("zeta", Tier::Starter, 0, &[]).with_health(50.0, HealthTrend::Stable);
    rows.clients.push(lone.client.clone());
    let book = assemble(rows);
    let zeta = book.clients.last().expect("test fixture");
    assert_eq!(zeta.client.id, "zeta");
    assert_eq!(zeta.arr, Money::ZERO);
    assert!(zeta.contract.is_none() && zeta.latest_usage.is_none() && zeta.owned_product_ids.is_empty());
}
