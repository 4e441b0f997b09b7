use super::*;
use crate::domain::{HealthTrend, OpportunitySource, Tier};
use crate::processes::cross_sell::cross_sell_opportunities;
use crate::processes::fixtures::*;
use chrono::DateTime;

fn run(clients: &[ClientFacts], persisted: &[Opportunity], params: &ExpansionParams) -> ExpansionResult {
    expansion_opportunities(&catalog(), clients, persisted, None, params, AS_OF).expect("valid params")
}

fn summary_of(item: &PipelineItem) -> (OpportunityType, Option<&str>, Money, f64, Money) {
    (
        item.opportunity_type,
        item.detection_key.as_deref(),
        item.value,
        item.probability,
        item.weighted_value,
    )
}

fn stored(id: &str, client: &str, kind: OpportunityType, key: Option<&str>, stage: OpportunityStage) -> Opportunity {
    Opportunity {
        id: id.into(),
        client_id: client.into(),
        opportunity_type: kind,
        product_id: None,
        name: format!("stored {id}"),
        value: Money::from_major(2_000),
        probability: 0.5,
        stage,
        source: OpportunitySource::Manual,
        detection_key: key.map(str::to_owned),
        reasons: vec!["entered by the CSM".into()],
        expected_close_date: None,
        closed_on: None,
        owner: Some("dana".into()),
        version: 1,
        created_at: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
    }
}

#[test]
fn the_three_client_book_gives_the_hand_computed_pipeline() {
    use OpportunityType::*;
    let result = run(&three_client_book(), &[], &ExpansionParams::default());
    let order: Vec<&str> = result.clients.iter().map(|c| c.client_id.as_str()).collect();
    assert_eq!(order, vec!["cobalt", "acme", "beta"]);
    let [cobalt, acme, beta] = &result.clients[..] else {
        unreachable!()
    };

    // acme (no basket evidence in a 3-client book, so no cross-sell):
    // - upsell as 114: 18,000 at 0.78 → weighted 14,040.
    // - other types' probability: 0.2 + 0.6 × 0.84 + 0.1 × min(48/50, 1) = 0.2 + 0.504 + 0.096 = 0.80.
    // - user expansion: utilization 0.96 ≥ 0.85; g = max(0.10, (48 − 40)/40 = 0.20) = 0.20;
    //   target = max(50 + 1, ⌈48 × 1.2⌉ = ⌈57.6⌉ = 58) = 58; value (58 − 50) × 720 = 5,760 → 4,608.
    // - training: adoption 0.35 < 0.60 and growth 0.20 ≥ 0.20 → 4,500 → 3,600.
    // - no services: ARR 42,000 < 50,000. No usage expansion: usage 0.92 ≤ 1.
    let got: Vec<_> = acme.opportunities.iter().map(summary_of).collect();
    assert_eq!(
        got,
        vec![
            (
                Upsell,
                Some("upsell:acme:tier_enterprise"),
                Money::from_major(18_000),
                0.78,
                Money::from_major(14_040)
            ),
            (
                UserExpansion,
                Some("user_expansion:acme:50"),
                Money::from_major(5_760),
                0.8,
                Money::from_major(4_608)
            ),
            (
                Training,
                Some("training:acme:training_academy"),
                Money::from_major(4_500),
                0.8,
                Money::from_major(3_600)
            ),
        ]
    );
    assert_eq!(acme.opportunities[1].name, "Expand 50 → 58 seats");
    assert_eq!(
        acme.opportunities[1].reasons[2],
        "Target 58 seats = max(50 + 1, ⌈48 × 1.20⌉)"
    );
    assert_eq!(
        acme.opportunities[1].reasons.get(3).map(String::as_str),
        Some("8 seats × $720.00 per seat on Professional = $5,760.00")
    );
    // totals: 18,000 + 5,760 + 4,500 = 28,260; weighted 14,040 + 4,608 + 3,600 = 22,248;
    // target 42,000 + 28,260 = 70,260; rate 28,260 ÷ 42,000 = 0.67286 → 0.6729.
    assert_eq!(acme.total_pipeline_value, Money::from_major(28_260));
    assert_eq!(acme.weighted_value, Money::from_major(22_248));
    assert_eq!(acme.target_arr, Money::from_major(70_260));
    assert_eq!(acme.expansion_rate_potential, Some(0.6729));

    // beta: only the upsell, 4,800 at 0.66 → 3,168; target 14,400; rate 4,800 ÷ 9,600 = 0.5.
    assert_eq!(beta.opportunities.len(), 1);
    assert_eq!(beta.weighted_value, Money::from_major(3_168));
    assert_eq!(beta.expansion_rate_potential, Some(0.5));

    // cobalt (top tier): probability 0.2 + 0.6 × 0.90 + 0.1 × 0.90 = 0.83.
    // - usage expansion: 117,600 × min(1.30 − 1, 1) = 35,280 → 29,282.40.
    // - services: adoption 0.30 < 0.40 and ARR ≥ 50,000 → 15,000 → 12,450.
    // - user expansion: utilization 0.90; growth (90 − 100)/100 = −0.10 → g = 0.10;
    //   ⌈90 × 1.1⌉ = 99 < 100 + 1 → target 101; value 1 × 1,080 → 896.40.
    // totals 51,360; weighted 42,628.80; target 168,960; rate 51,360 ÷ 117,600 = 0.43673 → 0.4367.
    let got: Vec<_> = cobalt.opportunities.iter().map(summary_of).collect();
    assert_eq!(
        got,
        vec![
            (
                UsageExpansion,
                Some("usage_expansion:cobalt:CNT-3"),
                Money::from_major(35_280),
                0.83,
                Money::from_cents(2_928_240)
            ),
            (
                ProfessionalServices,
                Some("professional_services:cobalt:services_impl"),
                Money::from_major(15_000),
                0.83,
                Money::from_major(12_450)
            ),
            (
                UserExpansion,
                Some("user_expansion:cobalt:100"),
                Money::from_major(1_080),
                0.83,
                Money::from_cents(89_640)
            ),
        ]
    );
    assert_eq!(cobalt.weighted_value, Money::from_cents(4_262_880));
    assert_eq!(cobalt.target_arr, Money::from_major(168_960));
    assert_eq!(cobalt.expansion_rate_potential, Some(0.4367));

    // Portfolio: 7 items, 28,260 + 4,800 + 51,360 = 84,420; weighted 22,248 + 3,168 + 42,628.80 =
    // 68,044.80. By type: upsell 2 (22,800 / 17,208), user 2 (6,840 / 5,504.40), usage 1, services 1,
    // training 1, cross-sell 0. Bands: six at 0.78–0.83 (high), beta's 0.66 (medium).
    let p = &result.portfolio;
    assert_eq!(p.total_opportunities, 7);
    assert_eq!(p.total_pipeline_value, Money::from_major(84_420));
    assert_eq!(p.weighted_value, Money::from_cents(6_804_480));
    assert_eq!(p.current_arr, Money::from_major(169_200));
    let rows: Vec<(OpportunityType, usize, Money, Money)> = p
        .by_type
        .iter()
        .map(|t| (t.opportunity_type, t.count, t.value, t.weighted_value))
        .collect();
    assert_eq!(
        rows,
        vec![
            (Upsell, 2, Money::from_major(22_800), Money::from_major(17_208)),
            (CrossSell, 0, Money::ZERO, Money::ZERO),
            (UserExpansion, 2, Money::from_major(6_840), Money::from_cents(550_440)),
            (
                UsageExpansion,
                1,
                Money::from_major(35_280),
                Money::from_cents(2_928_240)
            ),
            (
                ProfessionalServices,
                1,
                Money::from_major(15_000),
                Money::from_major(12_450)
            ),
            (Training, 1, Money::from_major(4_500), Money::from_major(3_600)),
        ]
    );
    assert_eq!(
        (p.by_probability.high, p.by_probability.medium, p.by_probability.low),
        (6, 1, 0)
    );
    assert_eq!(
        p.top_clients.iter().map(|c| c.client_id.as_str()).collect::<Vec<_>>(),
        order
    );
    assert_eq!((p.detected, p.persisted, p.suppressed_closed), (7, 0, 0));
}

#[test]
fn persisted_opportunities_are_merged_by_key_and_closed_keys_suppress_detection() {
    let mut qualified = stored(
        "EXP-7",
        "acme",
        OpportunityType::Upsell,
        Some("upsell:acme:tier_enterprise"),
        OpportunityStage::Qualified,
    );
    qualified.expected_close_date = Some(date(2026, 9, 30));
    let persisted = vec![
        qualified,
        stored(
            "EXP-8",
            "beta",
            OpportunityType::UserExpansion,
            None,
            OpportunityStage::Proposed,
        ),
        stored(
            "EXP-9",
            "acme",
            OpportunityType::Training,
            Some("training:acme:training_academy"),
            OpportunityStage::Lost,
        ),
        stored(
            "EXP-10",
            "beta",
            OpportunityType::CrossSell,
            Some("cross_sell:beta:addon_api"),
            OpportunityStage::Won,
        ),
        stored(
            "EXP-11",
            "zeta",
            OpportunityType::Upsell,
            None,
            OpportunityStage::Identified,
        ),
    ];
    let result = run(&three_client_book(), &persisted, &ExpansionParams::default());
    let acme = result.clients.iter().find(|c| c.client_id == "acme").unwrap();
    // The upsell is shown once, with the detected numbers and the stored stage, id, date and owner.
    let upsell = &acme.opportunities[0];
    assert_eq!(
        (upsell.stage, upsell.opportunity_id.as_deref(), upsell.detected),
        (OpportunityStage::Qualified, Some("EXP-7"), true)
    );
    assert_eq!(upsell.value, Money::from_major(18_000));
    assert_eq!(upsell.expected_close_date, Some(date(2026, 9, 30)));
    assert_eq!(upsell.owner.as_deref(), Some("dana"));
    // The lost training deal keeps training out of acme's pipeline: 18,000 + 5,760.
    assert_eq!(acme.opportunities.len(), 2);
    assert_eq!(acme.total_pipeline_value, Money::from_major(23_760));
    // beta gains its manual opportunity as stored: 2,000 at 0.5 → 1,000 weighted (medium).
    let beta = result.clients.iter().find(|c| c.client_id == "beta").unwrap();
    let manual = beta
        .opportunities
        .iter()
        .find(|o| o.opportunity_id.as_deref() == Some("EXP-8"))
        .unwrap();
    assert_eq!((manual.detected, manual.stage), (false, OpportunityStage::Proposed));
    assert_eq!(manual.weighted_value, Money::from_major(1_000));
    assert_eq!(manual.reasons, vec!["entered by the CSM"]);
    assert_eq!(beta.weighted_value, Money::from_major(4_168));
    // zeta is not in the book; the won cross-sell matches nothing detected.
    assert!(result.clients.iter().all(|c| c.client_id != "zeta"));
    let p = &result.portfolio;
    assert_eq!(
        (p.total_opportunities, p.detected, p.persisted, p.suppressed_closed),
        (7, 6, 2, 1)
    );
}

#[test]
fn a_stored_open_opportunity_of_the_same_client_type_and_product_supersedes_the_detection() {
    use OpportunityType::*;
    // acme detects: upsell to tier_enterprise 18,000 at 0.78, user expansion 5,760 at 0.80 and
    // training 4,500 at 0.80 (see the three-client book). Stored, without detection keys: a manual
    // upsell to the same tier, and two manual seat expansions (another product row, and none).
    let mut upsell = stored("EXP-1", "acme", Upsell, None, OpportunityStage::Proposed);
    upsell.product_id = Some("tier_enterprise".into());
    let mut seats = stored("EXP-2", "acme", UserExpansion, None, OpportunityStage::Identified);
    seats.product_id = Some("addon_api".into());
    let seats_again = stored("EXP-3", "acme", UserExpansion, None, OpportunityStage::Qualified);
    let result = run(
        &three_client_book(),
        &[upsell, seats, seats_again],
        &ExpansionParams::default(),
    );
    let acme = result.clients.iter().find(|c| c.client_id == "acme").unwrap();
    // Each (client, type, product) once: EXP-1 for the upsell, EXP-2 (the lower id) for the seats,
    // the training detection as detected.
    let got: Vec<_> = acme
        .opportunities
        .iter()
        .map(|i| (i.opportunity_type, i.opportunity_id.as_deref(), i.detected, i.value))
        .collect();
    assert_eq!(
        got,
        vec![
            (Training, None, true, Money::from_major(4_500)),
            (Upsell, Some("EXP-1"), true, Money::from_major(2_000)),
            (UserExpansion, Some("EXP-2"), true, Money::from_major(2_000)),
        ]
    );
    // 4,500 + 2,000 + 2,000 = 8,500; weighted 3,600 + 1,000 + 1,000 = 5,600.
    assert_eq!(acme.total_pipeline_value, Money::from_major(8_500));
    assert_eq!(acme.weighted_value, Money::from_major(5_600));
    let keys: std::collections::BTreeSet<_> = acme.opportunities.iter().map(merge::PipelineKey::of_item).collect();
    assert_eq!(keys.len(), acme.opportunities.len());
}

#[test]
fn a_client_without_arr_has_no_rate_and_no_detections() {
    let mut book = three_client_book();
    book[1].arr = Money::ZERO; // beta
    let persisted = vec![stored(
        "EXP-8",
        "beta",
        OpportunityType::Upsell,
        None,
        OpportunityStage::Identified,
    )];
    let result = run(&book, &persisted, &ExpansionParams::default());
    let beta = result.clients.iter().find(|c| c.client_id == "beta").unwrap();
    assert_eq!(
        beta.opportunities.len(),
        1,
        "only the stored one: an inactive client detects nothing"
    );
    assert_eq!(beta.current_arr, Money::ZERO);
    assert_eq!(beta.target_arr, Money::from_major(2_000));
    assert_eq!(beta.expansion_rate_potential, None);
}

#[test]
fn clients_without_usage_data_get_no_usage_driven_items() {
    let mut book = three_client_book();
    for facts in &mut book {
        facts.latest_usage = None;
        facts.usage_6_months_ago = None;
    }
    let result = run(&book, &[], &ExpansionParams::default());
    assert!(result.clients.is_empty());
    assert_eq!(result.portfolio.total_pipeline_value, Money::ZERO);
}

#[test]
fn requested_types_limit_detection_and_the_type_rows() {
    let params = ExpansionParams::for_types(Some(&[OpportunityType::Upsell])).unwrap();
    let result = run(&three_client_book(), &[], &params);
    assert_eq!(result.portfolio.total_opportunities, 2);
    assert_eq!(result.portfolio.by_type.len(), 1);
    assert!(ExpansionParams::for_types(Some(&[])).is_err());
    assert_eq!(ExpansionParams::for_types(None).unwrap(), ExpansionParams::default());
}

#[test]
fn one_client_can_be_asked_for_and_an_unknown_one_is_not_found() {
    let book = three_client_book();
    let params = ExpansionParams::default();
    let one = expansion_opportunities(&catalog(), &book, &[], Some("cobalt"), &params, AS_OF).unwrap();
    assert_eq!(one.clients.len(), 1);
    assert_eq!(one.portfolio.total_pipeline_value, Money::from_major(51_360));
    let missing = expansion_opportunities(&catalog(), &book, &[], Some("nobody"), &params, AS_OF);
    assert!(matches!(missing, Err(Error::NotFound { .. })));
}

#[test]
fn cross_sell_items_are_the_pairs_of_115() {
    let params = ExpansionParams::for_types(Some(&[OpportunityType::CrossSell])).unwrap();
    let book = basket_book();
    let pipeline = run(&book, &[], &params);
    let direct = cross_sell_opportunities(&catalog(), &book, None, &Default::default(), AS_OF).unwrap();
    let mut from_116: Vec<(String, Money, f64)> = pipeline
        .clients
        .iter()
        .flat_map(|c| &c.opportunities)
        .map(|i| (i.detection_key.clone().unwrap(), i.value, i.probability))
        .collect();
    let mut from_115: Vec<(String, Money, f64)> = direct
        .clients
        .iter()
        .flat_map(|c| &c.recommended_products)
        .map(|r| (r.detection_key.clone(), r.annual_value, r.probability))
        .collect();
    from_116.sort_by(|a, b| a.0.cmp(&b.0));
    from_115.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(from_116, from_115);
    assert_eq!(pipeline.portfolio.total_pipeline_value, Money::from_major(54_000));
}

#[test]
fn a_services_product_is_not_counted_twice() {
    // Five of six Professional clients own Implementation Services: conf(Professional →
    // Implementation) = 5/6 for the sixth, which also triggers PROFESSIONAL_SERVICES
    // (adoption 0.30, ARR 60,000). Only the PROFESSIONAL_SERVICES item remains.
    let mut book: Vec<ClientFacts> = (1..=5)
        .map(|i| {
            client(
                &format!("s{i}"),
                Tier::Professional,
                60_000,
                &["tier_professional", "services_impl"],
            )
            .with_usage(50, 30, 0.8, 0.9)
            .with_health(80.0, HealthTrend::Stable)
        })
        .collect();
    book.push(
        client("x", Tier::Professional, 60_000, &["tier_professional"])
            .with_usage(50, 30, 0.8, 0.3)
            .with_health(80.0, HealthTrend::Stable),
    );
    let result = run(&book, &[], &ExpansionParams::default());
    let x = result.clients.iter().find(|c| c.client_id == "x").unwrap();
    let services: Vec<OpportunityType> = x
        .opportunities
        .iter()
        .filter(|o| o.product_id.as_deref() == Some("services_impl"))
        .map(|o| o.opportunity_type)
        .collect();
    assert_eq!(services, vec![OpportunityType::ProfessionalServices]);
}

#[test]
fn results_serialize_with_money_as_decimal_strings_and_enums_as_their_text() {
    let result = run(&three_client_book(), &[], &ExpansionParams::default());
    let json = serde_json::to_value(&result).unwrap();
    let upsell = &json["clients"][1]["opportunities"][0];
    assert_eq!(upsell["opportunity_type"], "upsell");
    assert_eq!(upsell["value"], "18000.00");
    assert_eq!(upsell["band"], "high");
    assert_eq!(upsell["stage"], "identified");
    assert_eq!(json["params"]["opportunity_types"][0], "upsell");
}

#[test]
fn the_same_input_gives_the_same_output() {
    let book = three_client_book();
    assert_eq!(
        run(&book, &[], &ExpansionParams::default()),
        run(&book, &[], &ExpansionParams::default())
    );
}
