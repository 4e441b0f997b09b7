use super::*;
use crate::domain::{ClientStatus, Tier};
use crate::error::Error;
use crate::processes::fixtures::*;
use proptest::prelude::*;

fn run(clients: &[ClientFacts], params: UpsellParams) -> UpsellResult {
    upsell_opportunities(&catalog(), clients, None, &params, AS_OF).expect("valid params")
}

#[test]
fn the_three_client_book_gives_the_hand_computed_numbers() {
    let result = run(&three_client_book(), UpsellParams::default());

    // acme: Professional → Enterprise on 50 seats: 50 × (1,080 − 720) = 18,000.
    //   probability 0.6 × 84/100 + 0.3 × min(0.92, 1) = 0.504 + 0.276 = 0.78 → high.
    //   potential ARR 42,000 + 18,000 = 60,000; sort weight 18,000 × 0.78 = 14,040.
    // beta: Standard → Professional on 20 seats: 20 × (720 − 480) = 4,800 (health 75 and usage 0.70
    //   sit exactly on the default thresholds, which are inclusive).
    //   probability 0.6 × 0.75 + 0.3 × 0.70 = 0.45 + 0.21 = 0.66 → medium; potential 9,600 + 4,800 =
    //   14,400; weight 3,168.
    // cobalt: Enterprise is the top rung → no item.
    assert_eq!(result.items.len(), 2);
    let (acme, beta) = (&result.items[0], &result.items[1]);
    assert_eq!(acme.client_id, "acme");
    assert_eq!(acme.current_tier.product_id, "tier_professional");
    assert_eq!(acme.recommended_tier.product_id, "tier_enterprise");
    assert_eq!(acme.expansion_value, Money::from_major(18_000));
    assert_eq!(acme.potential_arr, Money::from_major(60_000));
    assert_eq!(acme.probability, 0.78);
    assert_eq!(acme.band, ProbabilityBand::High);
    assert_eq!(acme.seat_utilization, Some(0.96)); // 48 ÷ 50
    assert_eq!(acme.active_user_growth, Some(0.2)); // (48 − 40) ÷ 40
    assert_eq!(acme.timeline, "within 30 days");
    assert_eq!(acme.expected_close_date, date(2026, 7, 15));
    assert_eq!(acme.detection_key, "upsell:acme:tier_enterprise");
    assert_eq!(
        acme.readiness_indicators,
        vec![
            "Usage at 92% of plan",
            "48 of 50 seats in use",
            "Health 84 and improving",
            "Active users +20% in 6 months",
            "50 seats × ($1,080.00 − $720.00) per seat = $18,000.00 more ARR on Enterprise",
        ]
    );
    assert_eq!(beta.client_id, "beta");
    assert_eq!(beta.expansion_value, Money::from_major(4_800));
    assert_eq!(beta.potential_arr, Money::from_major(14_400));
    assert_eq!(beta.probability, 0.66);
    assert_eq!(beta.band, ProbabilityBand::Medium);
    assert_eq!(beta.expected_close_date, date(2026, 8, 14));

    // Summary: 18,000 + 4,800 = 22,800; 60,000 + 14,400 = 74,400; 22,800 ÷ 2 = 11,400.
    let s = &result.summary;
    assert_eq!(s.total_opportunities, 2);
    assert_eq!(s.total_expansion_value, Money::from_major(22_800));
    assert_eq!(s.total_potential_arr, Money::from_major(74_400));
    assert_eq!(s.avg_expansion_value, Some(Money::from_major(11_400)));
    let paths: Vec<(&str, usize)> = s
        .by_tier_upgrade
        .iter()
        .map(|t| (t.upgrade.as_str(), t.count))
        .collect();
    assert_eq!(
        paths,
        vec![("professional→enterprise", 1), ("standard→professional", 1)]
    );
    assert_eq!(
        (s.by_probability.high, s.by_probability.medium, s.by_probability.low),
        (1, 1, 0)
    );
    assert_eq!((s.skipped_no_usage_data, s.skipped_no_health_data), (0, 0));
}

#[test]
fn clients_just_below_a_threshold_are_not_candidates() {
    let mut book = three_client_book();
    book[1].latest_health.as_mut().unwrap().overall_score = 74.99;
    book[0].latest_usage.as_mut().unwrap().usage_rate = 0.6999;
    assert!(run(&book, UpsellParams::default()).items.is_empty());
}

#[test]
fn clients_without_usage_data_are_skipped_and_counted() {
    let book = vec![client("delta", Tier::Starter, 2_400, &["tier_starter"]).with_health(95.0, HealthTrend::Stable)];
    let result = run(&book, UpsellParams::default());
    assert!(result.items.is_empty());
    assert_eq!(result.summary.skipped_no_usage_data, 1);
    assert_eq!(result.summary.avg_expansion_value, None);
}

#[test]
fn clients_without_health_data_are_skipped_and_counted_apart() {
    let book = vec![client("delta", Tier::Starter, 2_400, &["tier_starter"]).with_usage(10, 9, 0.9, 0.5)];
    let result = run(&book, UpsellParams::default());
    assert!(result.items.is_empty());
    assert_eq!(
        (
            result.summary.skipped_no_usage_data,
            result.summary.skipped_no_health_data
        ),
        (0, 1)
    );
}

#[test]
fn top_tier_clients_are_neither_candidates_nor_skipped() {
    let book = vec![client("cobalt", Tier::Enterprise, 1_000, &["tier_enterprise"])];
    let result = run(&book, UpsellParams::default());
    assert!(result.items.is_empty());
    assert_eq!(result.summary.skipped_no_usage_data, 0);
}

#[test]
fn zero_seats_add_no_value_and_give_no_item() {
    let book = vec![client("zero", Tier::Standard, 500, &["tier_standard"])
        .with_usage(0, 0, 0.9, 0.5)
        .with_health(90.0, HealthTrend::Stable)];
    assert!(run(&book, UpsellParams::default()).items.is_empty());
}

#[test]
fn clients_without_arr_or_not_active_are_not_candidates() {
    let ready = || {
        client("x", Tier::Standard, 9_600, &["tier_standard"])
            .with_usage(20, 19, 0.9, 0.5)
            .with_health(90.0, HealthTrend::Stable)
    };
    let mut no_arr = ready();
    no_arr.arr = Money::ZERO;
    let paused = ready().with_status(ClientStatus::Paused);
    let result = run(&[no_arr, paused], UpsellParams::default());
    assert!(result.items.is_empty());
    assert_eq!(result.summary.skipped_no_usage_data, 0);
}

#[test]
fn the_tier_field_is_used_when_the_contract_names_no_tier() {
    // 10 seats × (480 − 240) = 2,400.
    let book = vec![client("e", Tier::Starter, 2_400, &[])
        .with_usage(10, 9, 0.8, 0.5)
        .with_health(80.0, HealthTrend::Declining)];
    let item = &run(&book, UpsellParams::default()).items[0];
    assert_eq!(item.recommended_tier.product_id, "tier_standard");
    assert_eq!(item.expansion_value, Money::from_major(2_400));
    assert!(item
        .readiness_indicators
        .contains(&"Health 80 and declining".to_owned()));
}

#[test]
fn one_client_can_be_asked_for_and_an_unknown_one_is_not_found() {
    let book = three_client_book();
    let only_beta = upsell_opportunities(&catalog(), &book, Some("beta"), &UpsellParams::default(), AS_OF).unwrap();
    assert_eq!(only_beta.items.len(), 1);
    assert_eq!(only_beta.items[0].client_id, "beta");
    let missing = upsell_opportunities(&catalog(), &book, Some("nobody"), &UpsellParams::default(), AS_OF);
    assert!(matches!(missing, Err(Error::NotFound { .. })));
}

#[test]
fn thresholds_outside_their_ranges_are_refused_with_the_range() {
    for (params, field, allowed) in [
        (
            UpsellParams {
                min_health_score: 101.0,
                ..Default::default()
            },
            "minHealthScore",
            "0–100",
        ),
        (
            UpsellParams {
                min_health_score: -1.0,
                ..Default::default()
            },
            "minHealthScore",
            "0–100",
        ),
        (
            UpsellParams {
                min_health_score: f64::NAN,
                ..Default::default()
            },
            "minHealthScore",
            "0–100",
        ),
        (
            UpsellParams {
                min_usage_threshold: 2.01,
                ..Default::default()
            },
            "minUsageThreshold",
            "0–2",
        ),
    ] {
        match upsell_opportunities(&catalog(), &[], None, &params, AS_OF) {
            Err(Error::BadUserInput {
                field: f, allowed: a, ..
            }) => {
                assert_eq!((f.as_str(), a.as_deref()), (field, Some(allowed)));
            }
            other => panic!("expected BAD_USER_INPUT, got {other:?}"),
        }
    }
}

#[test]
fn lowest_thresholds_give_the_lower_clamp() {
    // 0.6 × 0 + 0.3 × 0 = 0 → clamped to 0.05.
    let book = vec![client("low", Tier::Starter, 2_400, &["tier_starter"])
        .with_usage(10, 0, 0.0, 0.0)
        .with_health(0.0, HealthTrend::Stable)];
    let params = UpsellParams {
        min_health_score: 0.0,
        min_usage_threshold: 0.0,
    };
    assert_eq!(run(&book, params).items[0].probability, 0.05);
}

/// A random book on the fixture catalog: any tier, seats, usage, health and ARR.
pub(crate) fn arb_client(i: usize) -> impl Strategy<Value = ClientFacts> {
    (
        0..4usize,
        0..300i32,
        0..=300i32,
        0.0..2.0f64,
        0.0..100.0f64,
        0..200_000i64,
        proptest::option::of(1..300i32),
    )
        .prop_map(move |(tier, seats, active, rate, health, arr, base)| {
            let tier_id = ["tier_starter", "tier_standard", "tier_professional", "tier_enterprise"][tier];
            let mut facts = client(&format!("c{i:02}"), Tier::ALL[tier], arr, &[tier_id])
                .with_usage(seats, active.min(seats), rate, 0.5)
                .with_health((health * 100.0).round() / 100.0, HealthTrend::Stable);
            facts.usage_6_months_ago = base.map(|b| usage_at(&facts.client.id, date(2025, 12, 1), seats, b, 0.5, 0.5));
            facts
        })
}

pub(crate) fn arb_book() -> impl Strategy<Value = Vec<ClientFacts>> {
    (0..12usize).prop_flat_map(|n| (0..n).map(arb_client).collect::<Vec<_>>())
}

proptest! {
    #[test]
    fn summaries_add_up_and_items_are_ordered(book in arb_book(), health in 0.0..100.0f64, usage in 0.0..2.0f64) {
        let params = UpsellParams { min_health_score: health, min_usage_threshold: usage };
        let result = run(&book, params);
        let s = &result.summary;
        prop_assert_eq!(s.total_opportunities, result.items.len());
        prop_assert_eq!(s.total_expansion_value, result.items.iter().map(|i| i.expansion_value).sum::<Money>());
        prop_assert_eq!(s.total_potential_arr, result.items.iter().map(|i| i.potential_arr).sum::<Money>());
        prop_assert_eq!(s.by_probability.total(), result.items.len());
        prop_assert_eq!(s.by_tier_upgrade.iter().map(|t| t.count).sum::<usize>(), result.items.len());
        match s.avg_expansion_value {
            None => prop_assert!(result.items.is_empty()),
            Some(avg) => {
                let exact = s.total_expansion_value.cents() as f64 / result.items.len() as f64;
                prop_assert!((avg.cents() as f64 - exact).abs() <= 0.5);
            }
        }
        for item in &result.items {
            prop_assert!((0.05..=0.95).contains(&item.probability));
            prop_assert!(item.health_score >= health && item.usage_rate >= round4(usage) - 1e-4);
            prop_assert!(item.expansion_value.cents() > 0);
            prop_assert_eq!(item.potential_arr, item.current_arr + item.expansion_value);
        }
        for pair in result.items.windows(2) {
            let w = |i: &UpsellItem| i.expansion_value.cents() as f64 * i.probability;
            prop_assert!(w(&pair[0]) > w(&pair[1]) || (w(&pair[0]) == w(&pair[1]) && pair[0].client_id < pair[1].client_id));
        }
    }

    #[test]
    fn the_same_book_in_any_order_gives_the_same_answer(book in arb_book(), seed in any::<u64>()) {
        let mut shuffled = book.clone();
        // A deterministic shuffle: rotate by the seed, then reverse when it is odd.
        if !shuffled.is_empty() {
            let k = (seed % shuffled.len() as u64) as usize;
            shuffled.rotate_left(k);
        }
        if seed % 2 == 1 {
            shuffled.reverse();
        }
        prop_assert_eq!(run(&book, UpsellParams::default()), run(&shuffled, UpsellParams::default()));
    }
}
