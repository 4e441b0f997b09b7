//! Tests of the negotiation package: proposal and term arithmetic, guardrails by strategy and
//! risk, value statements from the data, and the package's JSON round trip.
use super::*;
use crate::domain::*;
use crate::processes::forecast::test_data::{case, date, health, usage};
use crate::processes::forecast::{Factor, Features};
use proptest::prelude::*;

fn client() -> Client {
    Client {
        id: "c1".into(),
        name: "Acme".into(),
        company_name: "Acme Inc".into(),
        industry: "Retail".into(),
        tier: Tier::Professional,
        lifecycle_stage: LifecycleStage::Renewal,
        status: ClientStatus::Active,
        csm_owner: Some("kim".into()),
        customer_since: date("2021-07-01"),
        acquisition_cost: None,
        created_at: chrono::DateTime::UNIX_EPOCH,
        updated_at: chrono::DateTime::UNIX_EPOCH,
        version: 1,
    }
}

fn option(key: &str, value_major: i64, probability: f64) -> ExpansionOption {
    ExpansionOption {
        key: key.into(),
        opportunity_type: OpportunityType::CrossSell,
        name: format!("Option {key}"),
        value: Money::from_major(value_major),
        probability,
        source: OpportunitySource::Detected,
    }
}

fn event(on: &str, delta_major: i64, kind: RevenueKind) -> RevenueEvent {
    RevenueEvent {
        id: 0,
        client_id: "c1".into(),
        occurred_on: date(on),
        kind,
        category: RevenueCategory::Other,
        arr_delta: Money::from_major(delta_major),
        contract_id: None,
        opportunity_id: None,
        renewal_id: None,
    }
}

fn input(probability: f64) -> NegotiationInput {
    let c = case("RNW-9", "c1", date("2025-06-30"), 7_200_000, false);
    let mut h = health(2, date("2025-04-01"), 82.5);
    h.trend = HealthTrend::Improving;
    NegotiationInput {
        client: client(),
        prediction: RenewalPrediction {
            renewal_id: c.renewal.id.clone(),
            client_id: "c1".into(),
            contract_id: c.contract.id.clone(),
            renewal_date: c.renewal.renewal_date,
            arr: c.renewal.target_arr,
            probability,
            category: ForecastCategory::of(probability),
            factors: vec![Factor {
                name: "seat_utilization".into(),
                value: -0.4213,
                description: "seat utilization 35%, 27 points below the book's mean: −0.42".into(),
            }],
            features: Features {
                snapshot_cutoff: date("2025-04-15"),
                health_score: Some(82.5),
                usage_rate: Some(0.9),
                seat_utilization: Some(0.8),
                payment_issue: false,
                auto_renew: false,
                declining_health: false,
                tenure_years: 4.0,
            },
        },
        renewal: c.renewal,
        contract: c.contract,
        usage: vec![
            usage(1, date("2024-07-01"), 32, 50, 0.7),
            usage(2, date("2025-04-01"), 40, 50, 0.9),
        ],
        health: vec![health(1, date("2025-03-01"), 78.0), h],
        revenue_events: vec![
            event("2021-07-01", 50_000, RevenueKind::New),
            event("2023-07-01", 22_000, RevenueKind::Expansion),
        ],
        opportunities: vec![option("EXP-1", 18_000, 0.6), option("det:usage", 10_000, 0.3)],
    }
}

fn package(probability: f64, strategy: NegotiationStrategy) -> NegotiationPackage {
    negotiation_package(
        &input(probability),
        strategy,
        &NegotiationConfig::default(),
        date("2025-04-15"),
    )
    .unwrap()
}

#[test]
fn value_reinforcement_adds_five_percent_and_only_likely_options() {
    let p = package(0.85, NegotiationStrategy::ValueReinforcement);
    assert_eq!(p.current_contract.arr, Money::from_major(72_000));
    assert_eq!(p.proposal.base_renewal, Money::from_major(75_600));
    assert_eq!(p.proposal.expansion_options.len(), 1);
    assert_eq!(p.proposal.total_proposed_arr, Money::from_major(93_600));
    assert_eq!((p.guardrails.max_discount, p.guardrails.at_risk), (0.05, false));
    assert_eq!(p.guardrails.minimum_acceptable_arr, Money::from_major(88_920));
    let terms: Vec<(u32, Money, Money, bool)> = p
        .term_options
        .iter()
        .map(|t| (t.months, t.annual_arr, t.total_contract_value, t.within_guardrails))
        .collect();
    assert_eq!(
        terms,
        vec![
            (12, Money::from_major(93_600), Money::from_major(93_600), true),
            (24, Money::from_major(84_240), Money::from_major(168_480), false),
            (36, Money::from_major(79_560), Money::from_major(238_680), false),
        ]
    );
}

#[test]
fn expansion_bundle_takes_every_option_and_at_risk_widens_the_discount() {
    let p = package(0.45, NegotiationStrategy::ExpansionBundle);
    assert_eq!(p.proposal.base_renewal, Money::from_major(72_000));
    let keys: Vec<&str> = p.proposal.expansion_options.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(keys, vec!["EXP-1", "det:usage"]);
    assert_eq!(p.proposal.total_proposed_arr, Money::from_major(100_000));
    assert_eq!((p.guardrails.max_discount, p.guardrails.at_risk), (0.15, true));
    assert_eq!(p.guardrails.minimum_acceptable_arr, Money::from_major(85_000));
    assert!(
        p.term_options[2].within_guardrails,
        "36 months at 15% is exactly the floor"
    );
    assert_eq!(p.risk_signals[0].signal, "at_risk");
}

#[test]
fn talking_points_offer_only_terms_within_the_guardrails_and_name_the_others_as_needing_approval() {
    // VALUE_REINFORCEMENT allows 5 %: 24 months at 10 % (84,240.00) and 36 months at 15 %
    // (79,560.00) are beyond it, so no point offers them and one says they need ADMIN approval.
    let p = package(0.85, NegotiationStrategy::ValueReinforcement);
    assert!(p.talking_points.iter().all(|t| !t.starts_with("Offer ")));
    let approval: Vec<&String> = p
        .talking_points
        .iter()
        .filter(|t| t.contains("ADMIN approval:"))
        .collect();
    assert_eq!(
        approval,
        vec![
            "Do not offer 24 months at 10.0% off ($84,240.00 per year) or 36 months at 15.0% off ($79,560.00 per year) \
             without ADMIN approval: they go beyond the 5.0% maximum discount."
        ]
    );
    // COMPETITIVE_DEFENSE allows 15 % on 90,000.00: 24 months at 10 % = 81,000.00 a year,
    // 162,000.00 over the term; 36 months at 15 % = 76,500.00 (the floor), 229,500.00.
    let p = package(0.85, NegotiationStrategy::CompetitiveDefense);
    let offers: Vec<&String> = p.talking_points.iter().filter(|t| t.starts_with("Offer ")).collect();
    assert_eq!(
        offers,
        vec![
            "Offer 24 months at 10.0% off: $81,000.00 per year, $162,000.00 over the term.",
            "Offer 36 months at 15.0% off: $76,500.00 per year, $229,500.00 over the term.",
        ]
    );
    assert!(p.talking_points.iter().all(|t| !t.contains("ADMIN approval:")));
}

#[test]
fn a_term_discount_beyond_the_maximum_discount_is_not_within_the_guardrails() {
    // 36 months at 15 % against a 10 % EXPANSION_BUNDLE maximum (not at risk): needs approval;
    // 24 months at 10 % is exactly the maximum.
    let p = package(0.85, NegotiationStrategy::ExpansionBundle);
    assert_eq!(p.guardrails.max_discount, 0.10);
    let within: Vec<(u32, bool)> = p.term_options.iter().map(|t| (t.months, t.within_guardrails)).collect();
    assert_eq!(within, vec![(12, true), (24, true), (36, false)]);
}

#[test]
fn competitive_defense_keeps_price_with_fifteen_percent_room() {
    let p = package(0.85, NegotiationStrategy::CompetitiveDefense);
    assert_eq!(p.proposal.total_proposed_arr, Money::from_major(90_000));
    assert_eq!(p.guardrails.minimum_acceptable_arr, Money::from_major(76_500));
    assert!(check_offer(&p.guardrails, Money::from_major(76_500), false).is_ok());
    assert!(check_offer(&p.guardrails, Money::from_cents(7_649_999), false).is_err());
}

#[test]
fn value_statements_quote_the_data() {
    let p = package(0.85, NegotiationStrategy::ValueReinforcement);
    let statements: Vec<(&str, &str)> = p
        .value_proposition
        .iter()
        .map(|v| (v.topic.as_str(), v.statement.as_str()))
        .collect();
    assert_eq!(
        statements,
        vec![
            ("health", "Health score 82.5 on 2025-04-01 and improving."),
            (
                "user_growth",
                "Active users grew from 32 to 40 (+25.0%) since the contract started on 2024-07-01."
            ),
            ("seat_utilization", "40 of 50 licensed seats in use (80.0%)."),
            ("adoption", "50.0% of the product's features adopted."),
            (
                "arr_growth",
                "ARR grew from $50,000.00 to $72,000.00 (+44.0%) since 2021-07-01."
            ),
            ("tenure", "A customer for 3.8 years, since 2021-07-01."),
        ]
    );
    let signals: Vec<&str> = p.risk_signals.iter().map(|r| r.signal.as_str()).collect();
    assert_eq!(signals, vec!["manual_renewal", "model_factor"]);
    assert!(p
        .talking_points
        .last()
        .unwrap()
        .starts_with("Walk-away floor: $88,920.00 per year (5.0% maximum discount)"));
}

#[test]
fn a_closed_renewal_or_another_clients_renewal_is_not_found() {
    let mut closed = input(0.8);
    closed.renewal.status = RenewalStatus::Churned;
    let config = NegotiationConfig::default();
    let strategy = NegotiationStrategy::ValueReinforcement;
    assert!(matches!(
        negotiation_package(&closed, strategy, &config, date("2025-04-15")),
        Err(Error::NotFound { .. })
    ));
    let mut other = input(0.8);
    other.renewal.client_id = "c2".into();
    assert!(negotiation_package(&other, strategy, &config, date("2025-04-15")).is_err());
}

#[test]
fn the_package_round_trips_through_json() {
    let p = package(0.45, NegotiationStrategy::ExpansionBundle);
    let json = serde_json::to_value(&p).unwrap();
    assert_eq!(json["currentContract"]["type"], "annual");
    assert_eq!(json["guardrails"]["minimumAcceptableArr"], "85000.00");
    assert_eq!(json["strategy"], "expansion_bundle");
    let back: NegotiationPackage = serde_json::from_value(json).unwrap();
    assert_eq!(back, p);
}

proptest! {
    #[test]
    fn guardrail_floor_never_exceeds_the_proposal_and_packages_are_deterministic(
        arr in 0i64..10_000_000_000,
        p in 0.0f64..=1.0,
        strategy in prop::sample::select(NegotiationStrategy::ALL.to_vec()),
    ) {
        let mut data = input(p);
        data.renewal.target_arr = Money::from_cents(arr);
        let config = NegotiationConfig::default();
        let package = negotiation_package(&data, strategy, &config, date("2025-04-15")).unwrap();
        let g = &package.guardrails;
        prop_assert!(g.minimum_acceptable_arr <= g.total_proposed_arr);
        prop_assert!(g.max_discount <= config.max_discount_cap + 1e-12);
        prop_assert!(check_offer(g, g.minimum_acceptable_arr, false).is_ok());
        prop_assert!(package.term_options.iter().all(|t| t.annual_arr <= g.total_proposed_arr));
        prop_assert_eq!(negotiation_package(&data, strategy, &config, date("2025-04-15")).unwrap(), package);
    }
}
