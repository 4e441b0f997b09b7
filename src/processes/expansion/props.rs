//! Property tests of 116: totals add up, probabilities stay in bounds, order and keys are stable.
use super::*;
use crate::domain::{HealthTrend, Tier};
use crate::processes::common::round4;
use crate::processes::fixtures::*;
use proptest::prelude::*;

/// A random book on the fixture catalog: tiers, add-ons, seats, usage, adoption, growth, health.
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
            (
                0..4usize,
                0..64u8,
                0..200i32,
                0..=200i32,
                proptest::option::of(0..200i32),
            ),
            (0.0..2.2f64, 0.0..1.0f64, 0.0..100.0f64, 0..150_000i64),
        )
            .prop_map(
                move |((tier, mask, seats, active, base), (rate, adoption, health, arr))| {
                    let mut owned =
                        vec![["tier_starter", "tier_standard", "tier_professional", "tier_enterprise"][tier]];
                    owned.extend(
                        addons
                            .iter()
                            .enumerate()
                            .filter(|(b, _)| mask & (1 << b) != 0)
                            .map(|(_, a)| *a),
                    );
                    let mut facts = client(&format!("c{i:02}"), Tier::ALL[tier], arr, &owned)
                        .with_contract(&format!("CNT-{i}"), seats)
                        .with_usage(seats, active.min(seats), rate, adoption)
                        .with_health((health * 100.0).round() / 100.0, HealthTrend::Stable);
                    if let Some(b) = base {
                        facts = facts.with_base_users(b);
                    }
                    facts
                },
            )
    };
    (0..25usize).prop_flat_map(move |n| (0..n).map(one).collect::<Vec<_>>())
}

fn run(book: &[ClientFacts]) -> ExpansionResult {
    expansion_opportunities(&catalog(), book, &[], None, &ExpansionParams::default(), AS_OF).unwrap()
}

proptest! {
    #[test]
    fn totals_are_the_sums_of_the_items(book in arb_book()) {
        let result = run(&book);
        let items: Vec<&PipelineItem> = result.clients.iter().flat_map(|c| &c.opportunities).collect();
        let p = &result.portfolio;
        prop_assert_eq!(p.total_opportunities, items.len());
        prop_assert_eq!(p.total_pipeline_value, items.iter().map(|i| i.value).sum::<Money>());
        // weightedValue = Σ value × probability, each product rounded to the cent.
        prop_assert_eq!(p.weighted_value, items.iter().map(|i| i.value.times(i.probability)).sum::<Money>());
        prop_assert_eq!(p.by_type.iter().map(|t| t.value).sum::<Money>(), p.total_pipeline_value);
        prop_assert_eq!(p.by_type.iter().map(|t| t.weighted_value).sum::<Money>(), p.weighted_value);
        prop_assert_eq!(p.by_type.iter().map(|t| t.count).sum::<usize>(), items.len());
        prop_assert_eq!(p.by_probability.total(), items.len());
        for c in &result.clients {
            prop_assert!(!c.opportunities.is_empty());
            let total: Money = c.opportunities.iter().map(|i| i.value).sum();
            prop_assert_eq!(c.total_pipeline_value, total);
            prop_assert_eq!(c.weighted_value, c.opportunities.iter().map(|i| i.weighted_value).sum::<Money>());
            prop_assert_eq!(c.target_arr, c.current_arr + total);
            let rate = (c.current_arr.cents() > 0).then(|| round4(total.cents() as f64 / c.current_arr.cents() as f64));
            prop_assert_eq!(c.expansion_rate_potential, rate);
        }
    }

    #[test]
    fn probabilities_stay_in_bounds_and_values_are_positive(book in arb_book()) {
        for item in run(&book).clients.iter().flat_map(|c| &c.opportunities) {
            prop_assert!(item.value.cents() > 0);
            prop_assert_eq!(item.weighted_value, item.value.times(item.probability));
            prop_assert_eq!(item.band, ProbabilityBand::of(item.probability));
            if item.opportunity_type == OpportunityType::CrossSell {
                prop_assert!((0.0..=1.0).contains(&item.probability));
            } else {
                prop_assert!((0.05..=0.95).contains(&item.probability), "{:?}", item);
            }
        }
    }

    #[test]
    fn order_is_as_documented_and_keys_are_unique(book in arb_book()) {
        let result = run(&book);
        for pair in result.clients.windows(2) {
            let key = |c: &ClientPipeline| (c.weighted_value, c.total_pipeline_value);
            prop_assert!(key(&pair[0]) > key(&pair[1]) || (key(&pair[0]) == key(&pair[1]) && pair[0].client_id < pair[1].client_id));
        }
        let mut keys = BTreeSet::new();
        for c in &result.clients {
            for pair in c.opportunities.windows(2) {
                prop_assert!((pair[0].weighted_value, pair[0].value) >= (pair[1].weighted_value, pair[1].value));
            }
            for item in &c.opportunities {
                let key = item.detection_key.clone().unwrap();
                let prefix = format!("{}:{}:", item.opportunity_type, c.client_id);
                prop_assert!(key.starts_with(&prefix));
                prop_assert!(keys.insert(key));
            }
        }
    }

    #[test]
    fn the_same_book_in_reverse_gives_the_same_answer(book in arb_book()) {
        let mut reversed = book.clone();
        reversed.reverse();
        prop_assert_eq!(run(&book), run(&reversed));
    }
}
