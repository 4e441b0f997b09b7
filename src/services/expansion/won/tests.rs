use super::*;
use crate::domain::{Money, OpportunitySource, OpportunityStage};
use crate::processes::fixtures::{catalog, client, date};
use chrono::DateTime;

fn won(kind: OpportunityType, product: Option<&str>, value_usd: i64) -> Opportunity {
    Opportunity {
        id: "EXP-7".into(),
        client_id: "acme".into(),
        opportunity_type: kind,
        product_id: product.map(str::to_owned),
        name: "deal".into(),
        value: Money::from_major(value_usd),
        probability: 1.0,
        stage: OpportunityStage::Won,
        source: OpportunitySource::Detected,
        detection_key: None,
        reasons: vec![],
        expected_close_date: None,
        closed_on: Some(date(2026, 6, 15)),
        owner: None,
        version: 2,
        created_at: DateTime::from_timestamp(1_700_000_000, 0).expect("test fixture"),
    }
}

/// acme's contract: 50 seats of Professional.
fn contract() -> (Contract, Vec<ContractItem>) {
    let facts = client("acme", Tier::Professional, 36_000, &[]).with_contract("CNT-1", 50);
    let item = ContractItem {
        id: 1,
        contract_id: "CNT-1".into(),
        product_id: "tier_professional".into(),
        quantity: 50,
        arr: Money::from_major(36_000),
    };
    (facts.contract.expect("test fixture"), vec![item])
}

fn line(o: &Opportunity) -> Result<ContractLine> {
    let (contract, items) = contract();
    contract_line(&catalog(), o, &contract, &items)
}

#[test]
fn an_upsell_adds_the_next_tier_for_every_seat_and_moves_the_client_tier() {
    let line = line(&won(OpportunityType::Upsell, Some("tier_enterprise"), 18_000)).expect("test fixture");
    assert_eq!(line.product_id, "tier_enterprise");
    assert_eq!(
        (line.quantity, line.added_seats, line.new_tier),
        (50, 0, Some(Tier::Enterprise))
    );
}

#[test]
fn a_user_expansion_adds_value_over_seat_price_seats() {
    // 4,320 ÷ 720 per seat = 6 seats.
    let line = line(&won(OpportunityType::UserExpansion, Some("tier_professional"), 4_320)).expect("test fixture");
    assert_eq!((line.quantity, line.added_seats, line.new_tier), (6, 6, None));
    let without_product = line_without_product(OpportunityType::UserExpansion, 720);
    assert_eq!(
        (without_product.product_id.as_str(), without_product.added_seats),
        ("tier_professional", 1)
    );
}

fn line_without_product(kind: OpportunityType, value: i64) -> ContractLine {
    line(&won(kind, None, value)).expect("test fixture")
}

#[test]
fn add_ons_go_per_seat_or_once() {
    let analytics = line(&won(OpportunityType::CrossSell, Some("addon_analytics"), 6_000)).expect("test fixture");
    assert_eq!((analytics.quantity, analytics.added_seats), (50, 0));
    let api = line(&won(OpportunityType::CrossSell, Some("addon_api"), 12_000)).expect("test fixture");
    assert_eq!(api.quantity, 1);
}

#[test]
fn an_opportunity_without_a_product_to_carry_it_is_a_conflict() {
    // The fixture catalog has no `usage` family.
    let usage = line(&won(OpportunityType::UsageExpansion, None, 5_000));
    assert!(matches!(usage, Err(Error::Conflict(_))));
    assert!(matches!(
        line(&won(OpportunityType::Training, Some("nope"), 1)),
        Err(Error::Conflict(_))
    ));
}

#[test]
fn each_type_books_under_the_category_of_its_name() {
    for kind in OpportunityType::ALL {
        assert_eq!(category(*kind).as_str(), kind.as_str());
    }
}
