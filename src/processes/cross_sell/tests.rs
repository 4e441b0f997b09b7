use super::*;
use crate::domain::{ClientStatus, HealthTrend, Tier};
use crate::processes::fixtures::*;
use proptest::prelude::*;

fn run(clients: &[ClientFacts], params: &CrossSellParams) -> CrossSellResult {
    cross_sell_opportunities(&catalog(), clients, None, params, AS_OF).expect("valid params")
}

fn ids(entry: &CrossSellClient) -> Vec<&str> {
    entry
        .recommended_products
        .iter()
        .map(|r| r.product_id.as_str())
        .collect()
}

#[test]
fn the_basket_book_gives_the_hand_computed_numbers() {
    let result = run(&basket_book(), &CrossSellParams::default());
    // Order by total potential value: c4 16,800 and c6 16,800 (tie → id), c5 15,600, c3 4,800.
    let order: Vec<&str> = result.clients.iter().map(|c| c.client_id.as_str()).collect();
    assert_eq!(order, vec!["c4", "c6", "c5", "c3"]);
    let [c4, c6, c5, c3] = &result.clients[..] else {
        unreachable!()
    };

    // c4 owns Professional and Analytics. API: max(3/5, 3/5) = 0.6; CRM: max(3/5, 2/5) = 0.6.
    // Equal fit → higher value first. Probability 0.6 × 90/100 = 0.54 each (medium).
    assert_eq!(ids(c4), vec!["addon_api", "addon_crm"]);
    assert_eq!(c4.recommended_products[0].fit_score, 0.6);
    assert_eq!(c4.recommended_products[0].probability, 0.54);
    assert_eq!(c4.recommended_products[0].band, ProbabilityBand::Medium);
    assert_eq!(
        c4.recommended_products[0].readiness_signals,
        vec![
            "3 of 5 clients with Advanced Analytics also own API Suite",
            "3 of 5 clients with Professional also own API Suite",
            "List price $12,000.00 per year",
        ]
    );
    assert_eq!(c4.recommended_products[0].detection_key, "cross_sell:c4:addon_api");
    // Bundle: (12,000 + 4,800) × (1 − 0.15) = 16,800 × 0.85 = 14,280; savings 2,520.
    let bundle = c4.recommended_bundle.as_ref().unwrap();
    assert_eq!(bundle.list_value, Money::from_major(16_800));
    assert_eq!(bundle.bundle_value, Money::from_major(14_280));
    assert_eq!(bundle.savings, Money::from_major(2_520));
    assert_eq!(c4.total_potential_value, Money::from_major(16_800));
    let owned: Vec<&str> = c4.current_products.iter().map(|p| p.product_id.as_str()).collect();
    assert_eq!(owned, vec!["addon_analytics", "tier_professional"]);

    // c6 owns Standard (2 owners, no evidence) and Analytics. API 3/5 = 0.6 → p 0.6 × 0.6 = 0.36;
    // CRM 2/5 = 0.4 → p 0.4 × 0.6 = 0.24. Both low.
    assert_eq!(ids(c6), vec!["addon_api", "addon_crm"]);
    assert_eq!(c6.recommended_products[1].fit_score, 0.4);
    assert_eq!(c6.recommended_products[1].probability, 0.24);

    // c5 owns Professional and CRM (3 owners, no evidence). Analytics 4/5 = 0.8 on 30 seats =
    // 30 × 120 = 3,600, p 0.8 × 0.7 = 0.56; API 3/5 = 0.6, 12,000, p 0.42.
    // Bundle (3,600 + 12,000) × 0.85 = 13,260.
    assert_eq!(ids(c5), vec!["addon_analytics", "addon_api"]);
    assert_eq!(c5.recommended_products[0].annual_value, Money::from_major(3_600));
    assert_eq!(c5.recommended_products[0].probability, 0.56);
    assert_eq!(
        c5.recommended_products[0].readiness_signals[1],
        "30 seats × $120.00 = $3,600.00 per year"
    );
    assert_eq!(c5.recommended_products[1].probability, 0.42);
    assert_eq!(
        c5.recommended_bundle.as_ref().unwrap().bundle_value,
        Money::from_major(13_260)
    );

    // c3 lacks only CRM among priced add-ons with evidence: max(3/5, 2/5) = 0.6, p 0.6 × 0.8 = 0.48.
    assert_eq!(ids(c3), vec!["addon_crm"]);
    assert_eq!(c3.recommended_products[0].probability, 0.48);
    assert!(c3.recommended_bundle.is_none());

    // c1, c2 (only Support and services left, fit 0) and c7 (no antecedent with 5 owners): nothing.
    // Summary: 2 + 2 + 2 + 1 = 7 pairs over 4 clients; 16,800 + 16,800 + 15,600 + 4,800 = 54,000.
    let s = &result.summary;
    assert_eq!((s.total_opportunities, s.clients_with_opportunities), (7, 4));
    assert_eq!(s.total_potential_arr, Money::from_major(54_000));
    let top: Vec<(&str, usize, Money)> = s
        .top_products
        .iter()
        .map(|p| (p.product_id.as_str(), p.count, p.total_value))
        .collect();
    assert_eq!(
        top,
        vec![
            ("addon_api", 3, Money::from_major(36_000)),
            ("addon_crm", 3, Money::from_major(14_400)),
            ("addon_analytics", 1, Money::from_major(3_600)),
        ]
    );
}

#[test]
fn a_family_narrows_the_products() {
    let params = CrossSellParams {
        product_family: "integrations".into(),
        ..Default::default()
    };
    let result = run(&basket_book(), &params);
    // c3 CRM; c4 API + CRM; c5 API (Analytics is another family); c6 API + CRM.
    assert_eq!(result.summary.total_opportunities, 6);
    let c5 = result.clients.iter().find(|c| c.client_id == "c5").unwrap();
    assert_eq!(ids(c5), vec!["addon_api"]);
}

#[test]
fn a_family_of_tiers_only_is_valid_and_empty() {
    let params = CrossSellParams {
        product_family: "platform".into(),
        ..Default::default()
    };
    let result = run(&basket_book(), &params);
    assert!(result.clients.is_empty());
    assert_eq!(result.summary.total_potential_arr, Money::ZERO);
}

#[test]
fn an_unknown_family_is_refused_listing_the_catalog_families() {
    let params = CrossSellParams {
        product_family: "hardware".into(),
        ..Default::default()
    };
    match cross_sell_opportunities(&catalog(), &basket_book(), None, &params, AS_OF) {
        Err(Error::BadUserInput { field, allowed, .. }) => {
            assert_eq!(field, "productFamily");
            assert_eq!(
                allowed.as_deref(),
                Some("all, analytics, integrations, platform, services, support, training")
            );
        }
        other => panic!("expected BAD_USER_INPUT, got {other:?}"),
    }
}

#[test]
fn fit_scores_outside_zero_to_one_are_refused() {
    for bad in [-0.1, 1.5, f64::NAN] {
        let params = CrossSellParams {
            min_fit_score: bad,
            ..Default::default()
        };
        assert!(matches!(
            cross_sell_opportunities(&catalog(), &[], None, &params, AS_OF),
            Err(Error::BadUserInput { field, .. }) if field == "minFitScore"
        ));
    }
}

#[test]
fn at_min_fit_zero_evidence_of_zero_is_shown_with_its_counts() {
    let params = CrossSellParams {
        min_fit_score: 0.0,
        ..Default::default()
    };
    let result = run(&basket_book(), &params);
    let c1 = result.clients.iter().find(|c| c.client_id == "c1").unwrap();
    // Premium Support, Implementation and Training: nobody active owns them.
    assert_eq!(ids(c1), vec!["services_impl", "addon_support", "training_academy"]);
    assert!(c1
        .recommended_products
        .iter()
        .all(|r| r.fit_score == 0.0 && r.probability == 0.0));
    assert_eq!(
        c1.recommended_products[1].readiness_signals[0],
        "0 of 5 clients with Advanced Analytics also own Premium Support"
    );
    assert!(
        result.clients.iter().all(|c| c.client_id != "c7"),
        "no evidence is not a fit of 0"
    );
}

#[test]
fn a_client_that_owns_everything_gets_nothing() {
    let mut book = basket_book();
    let all: Vec<String> = catalog().products().iter().map(|p| p.id.clone()).collect();
    book[0].owned_product_ids = all.into_iter().collect();
    let params = CrossSellParams {
        min_fit_score: 0.0,
        ..Default::default()
    };
    assert!(run(&book, &params).clients.iter().all(|c| c.client_id != "c1"));
}

#[test]
fn clients_without_health_are_skipped_and_counted() {
    let mut book = basket_book();
    book[3].latest_health = None; // c4
    let result = run(&book, &CrossSellParams::default());
    assert!(result.clients.iter().all(|c| c.client_id != "c4"));
    assert_eq!(result.summary.skipped_no_health_data, 1);
}

#[test]
fn one_client_is_judged_against_the_whole_book() {
    let book = basket_book();
    let all = run(&book, &CrossSellParams::default());
    let one = cross_sell_opportunities(&catalog(), &book, Some("c4"), &CrossSellParams::default(), AS_OF).unwrap();
    assert_eq!(one.clients, vec![all.clients[0].clone()]);
}

fn arb_book() -> impl Strategy<Value = Vec<ClientFacts>> {
    let addons = [
        "addon_analytics",
        "addon_api",
        "addon_crm",
        "addon_support",
        "services_impl",
        "training_academy",
    ];
    let one = move |i: usize| {
        (
            0..4usize,
            0..64u8,
            0..100i32,
            proptest::option::of(0.0..100.0f64),
            any::<bool>(),
        )
            .prop_map(move |(tier, mask, seats, health, active)| {
                let mut owned = vec![["tier_starter", "tier_standard", "tier_professional", "tier_enterprise"][tier]];
                owned.extend(
                    addons
                        .iter()
                        .enumerate()
                        .filter(|(b, _)| mask & (1 << b) != 0)
                        .map(|(_, a)| *a),
                );
                let status = if active {
                    ClientStatus::Active
                } else {
                    ClientStatus::Paused
                };
                let mut facts =
                    client(&format!("c{i:02}"), Tier::ALL[tier], 10_000, &owned).with_usage(seats, seats / 2, 0.8, 0.5);
                if let Some(h) = health {
                    facts = facts.with_health((h * 100.0).round() / 100.0, HealthTrend::Stable);
                }
                facts.with_status(status)
            })
    };
    (0..30usize).prop_flat_map(move |n| (0..n).map(one).collect::<Vec<_>>())
}

proptest! {
    #[test]
    fn summaries_add_up_and_every_recommendation_keeps_the_rules(book in arb_book(), min_fit in 0.0..1.0f64) {
        let params = CrossSellParams { min_fit_score: min_fit, ..Default::default() };
        let result = run(&book, &params);
        let recs: Vec<&CrossSellRecommendation> = result.clients.iter().flat_map(|c| &c.recommended_products).collect();
        prop_assert_eq!(result.summary.total_opportunities, recs.len());
        prop_assert_eq!(result.summary.clients_with_opportunities, result.clients.len());
        prop_assert_eq!(result.summary.total_potential_arr, recs.iter().map(|r| r.annual_value).sum::<Money>());
        for entry in &result.clients {
            let facts = book.iter().find(|f| f.client.id == entry.client_id).unwrap();
            prop_assert!(facts.is_active());
            prop_assert_eq!(entry.total_potential_value, entry.recommended_products.iter().map(|r| r.annual_value).sum::<Money>());
            for r in &entry.recommended_products {
                prop_assert!(!facts.owned_product_ids.contains(&r.product_id));
                // The unrounded fit passed the minimum; the shown one is it to 4 places.
                prop_assert!(r.fit_score >= min_fit - 0.00005 && r.fit_score <= 1.0);
                prop_assert!((0.0..=1.0).contains(&r.probability));
                // Rounded once from the unrounded fit: within half a unit of the 4th place of
                // (shown fit ± its own half unit) × health/100.
                let health = entry.health_score / 100.0;
                prop_assert!((r.probability - r.fit_score * health).abs() <= 0.00005 * health + 0.00005 + 1e-12);
                prop_assert!(r.annual_value <= facts.arr, "affordable at the default ratio 1.0");
            }
            for pair in entry.recommended_products.windows(2) {
                prop_assert!(pair[0].fit_score >= pair[1].fit_score);
            }
            if let Some(b) = &entry.recommended_bundle {
                prop_assert_eq!(b.list_value, b.bundle_value + b.savings);
                prop_assert_eq!(b.bundle_value, b.list_value.times(0.85));
            }
        }
        for pair in result.clients.windows(2) {
            prop_assert!(pair[0].total_potential_value >= pair[1].total_potential_value);
        }
    }

    #[test]
    fn the_same_book_in_reverse_gives_the_same_answer(book in arb_book()) {
        let mut reversed = book.clone();
        reversed.reverse();
        let params = CrossSellParams::default();
        prop_assert_eq!(run(&book, &params), run(&reversed, &params));
    }
}

/// An active Professional client with ARR `arr`, health `health`, owning `owned` (tier included).
fn pro(id: &str, arr: i64, health: f64, owned: &[&str]) -> ClientFacts {
    let mut all = vec!["tier_professional"];
    all.extend_from_slice(owned);
    client(id, Tier::Professional, arr, &all)
        .with_usage(30, 20, 0.8, 0.5)
        .with_health(health, HealthTrend::Stable)
}

#[test]
fn the_probability_is_rounded_once_from_the_unrounded_fit() {
    // p1–p4 own API and CRM, p5 and t own API only: |API| = |Professional| = 6, |API ∧ CRM| = 4.
    // t's CRM fit is 4/6 = 0.666…; p = 0.666… × 77/100 = 0.51333… → 0.5133. Rounding the fit first
    // would give 0.6667 × 0.77 = 0.513359 → 0.5134.
    let mut book: Vec<ClientFacts> = (1..=4)
        .map(|i| pro(&format!("p{i}"), 50_000, 80.0, &["addon_api", "addon_crm"]))
        .collect();
    book.push(pro("p5", 50_000, 80.0, &["addon_api"]));
    book.push(pro("t", 50_000, 77.0, &["addon_api"]));
    let result = run(&book, &CrossSellParams::default());
    let t = result
        .clients
        .iter()
        .find(|c| c.client_id == "t")
        .expect("t is recommended CRM");
    assert_eq!(ids(t), vec!["addon_crm"]);
    assert_eq!(t.recommended_products[0].fit_score, 0.6667);
    assert_eq!(t.recommended_products[0].probability, 0.5133);
}

#[test]
fn add_ons_beyond_the_clients_arr_are_not_recommended_and_seats_are_the_contracts() {
    // q1–q5 own Analytics, API and CRM; `small` owns CRM only, ARR 1,425, on a 10-seat contract
    // although its usage snapshot reports 30 seats licensed. conf(CRM→Analytics) = conf(CRM→API)
    // = 5/6 over the six CRM owners.
    let mut book: Vec<ClientFacts> = (1..=5)
        .map(|i| {
            pro(
                &format!("q{i}"),
                60_000,
                80.0,
                &["addon_analytics", "addon_api", "addon_crm"],
            )
        })
        .collect();
    book.push(pro("small", 1_425, 80.0, &["addon_crm"]).with_contract("k-small", 10));
    let result = run(&book, &CrossSellParams::default());
    let small = result
        .clients
        .iter()
        .find(|c| c.client_id == "small")
        .expect("small has one");
    // Analytics: 10 contract seats × 120 = 1,200 ≤ 1,425 → recommended (30 usage seats would be
    // 3,600, beyond its ARR). API: 12,000 > 1,425 × 1.0 → not recommended.
    assert_eq!(ids(small), vec!["addon_analytics"]);
    assert_eq!(small.recommended_products[0].annual_value, Money::from_major(1_200));
    assert_eq!(
        small.recommended_products[0]
            .readiness_signals
            .last()
            .map(String::as_str),
        Some("10 seats × $120.00 = $1,200.00 per year")
    );

    // With max_value_ratio 10, 1,425 × 10 = 14,250 ≥ 12,000: the API Suite is affordable too.
    let generous = CrossSellParams {
        max_value_ratio: 10.0,
        ..CrossSellParams::default()
    };
    let result = run(&book, &generous);
    let small = result.clients.iter().find(|c| c.client_id == "small").expect("small");
    assert_eq!(
        ids(small),
        vec!["addon_api", "addon_analytics"],
        "equal fit 0.8333: higher value first"
    );
    assert_eq!(small.total_potential_value, Money::from_major(13_200));
}

#[test]
fn max_value_ratio_outside_0_to_100_is_refused() {
    let params = CrossSellParams {
        max_value_ratio: 101.0,
        ..CrossSellParams::default()
    };
    let err = cross_sell_opportunities(&catalog(), &basket_book(), None, &params, AS_OF).unwrap_err();
    assert!(
        matches!(err, Error::BadUserInput { ref field, .. } if field == "cross_sell.max_value_ratio"),
        "{err:?}"
    );
}
