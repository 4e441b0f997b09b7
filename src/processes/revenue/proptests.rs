//! Properties of the cohort math on random ledgers whose ARR never goes below zero.
use super::tests::date;
use super::*;
use crate::domain::{Money, RevenueCategory, RevenueEvent, RevenueKind};
use chrono::Days;
use proptest::prelude::*;

/// One client's history: (day offset from 2023-01-01, ARR level in cents, category index) steps.
fn client_history() -> impl Strategy<Value = Vec<(u64, i64, usize)>> {
    let level = prop_oneof![Just(0i64), 1i64..500_000_000];
    proptest::collection::vec((0u64..800, level, 0usize..RevenueCategory::ALL.len()), 1..8)
}

/// A ledger: each client moves between ARR levels, each move one event of the level difference.
fn ledger() -> impl Strategy<Value = Vec<RevenueEvent>> {
    proptest::collection::vec(client_history(), 0..10).prop_map(|clients| {
        let origin = date("2023-01-01");
        let mut events = Vec::new();
        for (n, mut steps) in clients.into_iter().enumerate() {
            steps.sort();
            let mut level = 0;
            for (day, next, category) in steps {
                let delta = next - level;
                level = next;
                if delta == 0 {
                    continue;
                }
                events.push(RevenueEvent {
                    id: events.len() as i64 + 1,
                    client_id: format!("c{n}"),
                    occurred_on: origin + Days::new(day),
                    kind: if delta > 0 {
                        RevenueKind::Expansion
                    } else {
                        RevenueKind::Contraction
                    },
                    category: RevenueCategory::ALL[category],
                    arr_delta: Money::from_cents(delta),
                    contract_id: None,
                    opportunity_id: None,
                    renewal_id: None,
                });
            }
        }
        events
    })
}

fn report_periods() -> impl Strategy<Value = Vec<Period>> {
    (0usize..3, 1i64..5, 0u64..900).prop_map(|(kind, count, day)| {
        periods(TimePeriod::ALL[kind], count, date("2023-01-01") + Days::new(day)).expect("valid request")
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn movements_add_up_and_rates_stay_in_range(events in ledger(), periods in report_periods()) {
        for period in &periods {
            let m = movements_of(&ledger::period_input_from_ledger(&events, period));
            // Exact in cents: starting − churned − contraction + expansion = Σ ARR_c(e) over the cohort.
            prop_assert_eq!(
                m.starting_arr - m.churned_arr - m.contraction_arr + m.expansion_arr,
                m.cohort_ending_arr
            );
            prop_assert_eq!(m.cohort_ending_arr + m.new_arr, m.ending_arr);
            prop_assert_eq!(m.retained_clients + m.churned_clients, m.cohort_clients);
            match (m.net_revenue_retention, m.gross_revenue_retention, m.expansion_rate, m.logo_retention) {
                (Some(nrr), Some(grr), Some(expansion), Some(logos)) => {
                    // Each rate is rounded on its own: the identity holds to one unit of the 4th place.
                    prop_assert!((nrr - (grr + expansion)).abs() <= 0.0001 + 1e-9, "{nrr} vs {grr} + {expansion}");
                    prop_assert!(grr <= 1.0);
                    prop_assert!((0.0..=1.0).contains(&logos));
                    prop_assert!(expansion >= 0.0);
                }
                (None, None, None, None) => prop_assert_eq!(m.cohort_clients, 0),
                other => prop_assert!(false, "rates defined inconsistently: {:?}", other),
            }
            prop_assert!(m.top_expansion_accounts.len() <= TOP_ACCOUNTS);
            prop_assert!(m.gross_expansion_arr >= m.expansion_arr, "net growth needs gross movements");
        }
    }

    #[test]
    fn identical_input_gives_identical_output_whatever_the_row_order(
        events in ledger(),
        periods in report_periods(),
        rotate in 0usize..10,
    ) {
        for period in &periods {
            let input = ledger::period_input_from_ledger(&events, period);
            let mut shuffled = input.clone();
            shuffled.clients.reverse();
            shuffled.expansion.reverse();
            if !shuffled.clients.is_empty() {
                let by = rotate % shuffled.clients.len();
                shuffled.clients.rotate_left(by);
            }
            prop_assert_eq!(movements_of(&input), movements_of(&input));
            prop_assert_eq!(movements_of(&input), movements_of(&shuffled));
        }
    }

    #[test]
    fn edges_equal_arr_on_each_clients_ledger(events in ledger(), periods in report_periods()) {
        for period in &periods {
            for edge in ledger::period_input_from_ledger(&events, period).clients {
                let own: Vec<_> = events
                    .iter()
                    .filter(|e| e.client_id == edge.client_id)
                    .map(|e| (e.occurred_on, e.arr_delta))
                    .collect();
                prop_assert_eq!(edge.arr_before_start, ledger::arr_on(&own, period.opening_date()));
                prop_assert_eq!(edge.arr_at_end, ledger::arr_on(&own, period.end));
            }
        }
    }
}
