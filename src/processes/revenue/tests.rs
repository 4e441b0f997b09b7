//! A hand-built ledger of 5 clients over the first three quarters of 2024, every figure computed on
//! paper (amounts in dollars).
//!
//! | client | events |
//! |---|---|
//! | A | 2023-06-01 new +100000; 2024-02-15 upsell +20000; 2024-05-10 contraction −30000; 2024-08-01 cross_sell +10000; 2024-09-01 user_expansion +5000 |
//! | B | 2023-01-10 new +50000; 2023-12-31 price_increase +10000; 2024-04-20 churn −60000; 2024-07-15 reactivation +40000 |
//! | C | 2024-02-01 new +30000; 2024-06-01 price_increase +3000; 2024-08-20 churn −33000 |
//! | D | 2023-11-01 new +80000; 2024-01-01 churn −80000; 2024-03-15 reactivation (renewal) +60000; 2024-05-05 usage_expansion +12000; 2024-06-10 contraction −2000 |
//! | E | 2024-05-15 new +25000; 2024-06-20 user_expansion +5000; 2024-09-30 contraction −10000 |
//!
//! ARR at the edges (Σ deltas up to and including the day):
//!
//! | client | 2023-12-31 | 2024-03-31 | 2024-06-30 | 2024-09-30 |
//! |---|---|---|---|---|
//! | A | 100000 | 120000 | 90000 | 105000 |
//! | B | 60000 | 60000 | 0 | 40000 |
//! | C | 0 | 30000 | 33000 | 0 |
//! | D | 80000 | 60000 | 70000 | 70000 |
//! | E | 0 | 0 | 30000 | 20000 |
//! | all | 240000 | 270000 | 223000 | 235000 |
use super::*;
use crate::domain::{Money, RevenueCategory as Cat, RevenueEvent, RevenueKind as Kind};

pub(crate) fn date(text: &str) -> NaiveDate {
    text.parse().expect("test date")
}

pub(crate) fn usd(dollars: i64) -> Money {
    Money::from_major(dollars)
}

fn event(id: i64, client: &str, on: &str, kind: Kind, category: Cat, dollars: i64) -> RevenueEvent {
    RevenueEvent {
        id,
        client_id: client.into(),
        occurred_on: date(on),
        kind,
        category,
        arr_delta: usd(dollars),
        contract_id: None,
        opportunity_id: None,
        renewal_id: None,
    }
}

/// The ledger of the table above.
pub(crate) fn five_client_ledger() -> Vec<RevenueEvent> {
    use Kind::*;
    vec![
        event(1, "A", "2023-06-01", New, Cat::Other, 100_000),
        event(2, "A", "2024-02-15", Expansion, Cat::Upsell, 20_000),
        event(3, "A", "2024-05-10", Contraction, Cat::Other, -30_000),
        event(4, "A", "2024-08-01", Expansion, Cat::CrossSell, 10_000),
        event(5, "A", "2024-09-01", Expansion, Cat::UserExpansion, 5_000),
        event(6, "B", "2023-01-10", New, Cat::Other, 50_000),
        event(7, "B", "2023-12-31", Expansion, Cat::PriceIncrease, 10_000),
        event(8, "B", "2024-04-20", Churn, Cat::Other, -60_000),
        event(9, "B", "2024-07-15", Reactivation, Cat::Other, 40_000),
        event(10, "C", "2024-02-01", New, Cat::Other, 30_000),
        event(11, "C", "2024-06-01", Expansion, Cat::PriceIncrease, 3_000),
        event(12, "C", "2024-08-20", Churn, Cat::Other, -33_000),
        event(13, "D", "2023-11-01", New, Cat::Other, 80_000),
        event(14, "D", "2024-01-01", Churn, Cat::Other, -80_000),
        event(15, "D", "2024-03-15", Reactivation, Cat::Renewal, 60_000),
        event(16, "D", "2024-05-05", Expansion, Cat::UsageExpansion, 12_000),
        event(17, "D", "2024-06-10", Contraction, Cat::Other, -2_000),
        event(18, "E", "2024-05-15", New, Cat::Other, 25_000),
        event(19, "E", "2024-06-20", Expansion, Cat::UserExpansion, 5_000),
        event(20, "E", "2024-09-30", Contraction, Cat::Other, -10_000),
    ]
}

/// The three quarters' movements as of 2024-09-30 (all complete).
fn three_quarters() -> Vec<PeriodMovements> {
    let ledger = five_client_ledger();
    let inputs: Vec<PeriodInput> = periods(TimePeriod::Quarterly, 3, date("2024-09-30"))
        .unwrap()
        .iter()
        .map(|p| ledger::period_input_from_ledger(&ledger, p))
        .collect();
    revenue_expansion(TimePeriod::Quarterly, date("2024-09-30"), &inputs, None).periods
}

fn category_arrs(m: &PeriodMovements) -> Vec<(Cat, Money)> {
    m.expansion_by_type.iter().map(|c| (c.category, c.arr)).collect()
}

fn top(m: &PeriodMovements) -> Vec<(&str, Money, Option<Cat>)> {
    let accounts = &m.top_expansion_accounts;
    accounts
        .iter()
        .map(|a| (a.client_id.as_str(), a.expansion_arr, a.dominant_category))
        .collect()
}

#[test]
fn arr_on_a_date_sums_the_deltas_up_to_and_including_it() {
    let d = [
        (date("2023-11-01"), usd(80_000)),
        (date("2024-01-01"), usd(-80_000)),
        (date("2024-03-15"), usd(60_000)),
    ];
    assert_eq!(ledger::arr_on(&d, date("2023-12-31")), usd(80_000));
    assert_eq!(ledger::arr_on(&d, date("2024-01-01")), Money::ZERO);
    assert_eq!(ledger::arr_on(&d, date("2024-03-15")), usd(60_000));
    assert_eq!(ledger::arr_on(&d, date("2023-10-31")), Money::ZERO);
}

#[test]
fn q1_a_client_churning_and_returning_within_the_quarter_is_a_contraction() {
    let q1 = &three_quarters()[0];
    // Cohort (ARR on 2023-12-31 > 0): A 100000, B 60000, D 80000 → starting 240000.
    // A 120000: Δ +20000 expansion. B 60000: Δ 0. D 60000 (80000 − 80000 on Jan 1, +60000 on Mar 15):
    // still paying on e, so not churned: Δ −20000 contraction.
    assert_eq!((q1.cohort_clients, q1.retained_clients, q1.churned_clients), (3, 3, 0));
    assert_eq!((q1.expanded_clients, q1.contracted_clients), (1, 1));
    assert_eq!(q1.starting_arr, usd(240_000));
    assert_eq!(
        (q1.expansion_arr, q1.contraction_arr, q1.churned_arr),
        (usd(20_000), usd(20_000), Money::ZERO)
    );
    // 240000 − 0 − 20000 + 20000 = 240000 = 120000 + 60000 + 60000.
    assert_eq!(q1.cohort_ending_arr, usd(240_000));
    // New: C 30000 (E is 0 on Mar 31). Ending 240000 + 30000 = 270000.
    assert_eq!(
        (q1.new_clients, q1.new_arr, q1.ending_arr),
        (1, usd(30_000), usd(270_000))
    );
    // NRR 240000/240000 = 1; GRR (240000 − 20000 − 0)/240000 = 0.91666… → 0.9167;
    // expansion 20000/240000 = 0.08333… → 0.0833 (0.9167 + 0.0833 = 1.0000); logos 3/3.
    assert_eq!(q1.net_revenue_retention, Some(1.0));
    assert_eq!(q1.gross_revenue_retention, Some(0.9167));
    assert_eq!(q1.expansion_rate, Some(0.0833));
    assert_eq!(q1.logo_retention, Some(1.0));
    // Gross: D's win-back +60000 (renewal) and A's upsell +20000; C's +30000 is outside the cohort.
    // 80000 gross against 20000 net expansion: gross is not net.
    assert_eq!(
        category_arrs(q1),
        vec![(Cat::Renewal, usd(60_000)), (Cat::Upsell, usd(20_000))]
    );
    assert_eq!(q1.gross_expansion_arr, usd(80_000));
    assert_eq!(top(q1), vec![("A", usd(20_000), Some(Cat::Upsell))]);
}

#[test]
fn q2_churn_contraction_and_expansion_of_the_cohort_add_up() {
    let q2 = &three_quarters()[1];
    // Cohort (ARR on 2024-03-31): A 120000, B 60000, C 30000, D 60000 → starting 270000.
    // A 90000: Δ −30000 contraction. B 0: churned, churnedArr 60000. C 33000: Δ +3000.
    // D 70000 (+12000 − 2000): Δ +10000. Expansion 3000 + 10000 = 13000.
    assert_eq!((q2.cohort_clients, q2.retained_clients, q2.churned_clients), (4, 3, 1));
    assert_eq!(q2.starting_arr, usd(270_000));
    assert_eq!(
        (q2.expansion_arr, q2.contraction_arr, q2.churned_arr),
        (usd(13_000), usd(30_000), usd(60_000))
    );
    // 270000 − 60000 − 30000 + 13000 = 193000 = 90000 + 0 + 33000 + 70000.
    assert_eq!(q2.cohort_ending_arr, usd(193_000));
    // New: E 25000 + 5000 = 30000 (its expansion is new ARR, not cohort expansion). Ending 223000.
    assert_eq!(
        (q2.new_clients, q2.new_arr, q2.ending_arr),
        (1, usd(30_000), usd(223_000))
    );
    // NRR 193000/270000 = 0.714814… → 0.7148; GRR 180000/270000 = 0.666… → 0.6667;
    // expansion 13000/270000 = 0.048148… → 0.0481 (0.6667 + 0.0481 = 0.7148); logos 3/4 = 0.75.
    assert_eq!(q2.net_revenue_retention, Some(0.7148));
    assert_eq!(q2.gross_revenue_retention, Some(0.6667));
    assert_eq!(q2.expansion_rate, Some(0.0481));
    assert_eq!(q2.logo_retention, Some(0.75));
    assert_eq!(
        category_arrs(q2),
        vec![(Cat::UsageExpansion, usd(12_000)), (Cat::PriceIncrease, usd(3_000))]
    );
    assert_eq!(
        top(q2),
        vec![
            ("D", usd(10_000), Some(Cat::UsageExpansion)),
            ("C", usd(3_000), Some(Cat::PriceIncrease))
        ]
    );
}

#[test]
fn q3_a_reactivated_client_is_new_arr_and_the_last_day_counts() {
    let q3 = &three_quarters()[2];
    // Cohort (ARR on 2024-06-30): A 90000, C 33000, D 70000, E 30000 → starting 223000 (B is 0).
    // A 105000: Δ +15000. C 0: churned 33000. D 70000: Δ 0. E 20000 (−10000 on 2024-09-30 = e,
    // included): Δ −10000.
    assert_eq!((q3.cohort_clients, q3.retained_clients, q3.churned_clients), (4, 3, 1));
    assert_eq!(
        (q3.expansion_arr, q3.contraction_arr, q3.churned_arr),
        (usd(15_000), usd(10_000), usd(33_000))
    );
    // 223000 − 33000 − 10000 + 15000 = 195000 = 105000 + 0 + 70000 + 20000.
    assert_eq!(q3.cohort_ending_arr, usd(195_000));
    // B came back with 40000 on 2024-07-15: outside the cohort, so new ARR. Ending 235000.
    assert_eq!(
        (q3.new_clients, q3.new_arr, q3.ending_arr),
        (1, usd(40_000), usd(235_000))
    );
    // NRR 195000/223000 = 0.874439… → 0.8744; GRR 180000/223000 = 0.807174… → 0.8072;
    // expansion 15000/223000 = 0.067264… → 0.0673. Here GRR + expansion = 0.8745: the documented
    // one-unit rounding gap, each rate being its own correctly rounded ratio.
    assert_eq!(q3.net_revenue_retention, Some(0.8744));
    assert_eq!(q3.gross_revenue_retention, Some(0.8072));
    assert_eq!(q3.expansion_rate, Some(0.0673));
    assert_eq!(q3.logo_retention, Some(0.75));
    // A's cross_sell 10000 and user_expansion 5000; B's reactivation is outside the cohort.
    assert_eq!(
        category_arrs(q3),
        vec![(Cat::CrossSell, usd(10_000)), (Cat::UserExpansion, usd(5_000))]
    );
    assert_eq!(top(q3), vec![("A", usd(15_000), Some(Cat::CrossSell))]);
}

#[test]
fn success_factors_correlate_expanding_with_the_facts_at_the_start() {
    let ledger = five_client_ledger();
    let q2 = &periods(TimePeriod::Quarterly, 2, date("2024-06-30")).unwrap()[1];
    let mut input = ledger::period_input_from_ledger(&ledger, q2);
    for edge in &mut input.clients {
        let (health, adoption) = match edge.client_id.as_str() {
            "A" => (60.0, Some(0.5)),
            "B" => (40.0, Some(0.3)),
            "C" => (80.0, None),
            _ => (90.0, None),
        };
        edge.facts = StartFacts {
            health: Some(health),
            seat_utilization: Some(0.8),
            adoption,
        };
    }
    let factors = movements_of(&input).success_factors;
    // Expanded (C, D) = [0, 0, 1, 1] for A, B, C, D; health [60, 40, 80, 90] (E is not in the cohort).
    // Means 0.5 and 67.5; Σdx·dy = 0.5·(7.5 + 27.5 + 12.5 + 22.5) = 35; Σdx² = 1;
    // Σdy² = 56.25 + 756.25 + 156.25 + 506.25 = 1475; r = 35/√1475 = 0.911322… → 0.9113.
    assert_eq!(factors.health.correlation, Some(0.9113));
    assert_eq!(factors.health.sample_size, 4);
    assert_eq!(
        (factors.health.mean_when_expanded, factors.health.mean_otherwise),
        (Some(85.0), Some(50.0))
    );
    // Seat utilization is the same for all: no variance, no correlation.
    assert_eq!(factors.seat_utilization.correlation, None);
    // Adoption is known for A and B only, neither expanded: undefined.
    assert_eq!((factors.adoption.correlation, factors.adoption.sample_size), (None, 2));
}

#[test]
fn an_empty_cohort_has_no_rates_and_no_division() {
    let ledger = five_client_ledger();
    let before_anyone = &periods(TimePeriod::Yearly, 1, date("2022-06-30")).unwrap()[0];
    let m = movements_of(&ledger::period_input_from_ledger(&ledger, before_anyone));
    assert_eq!((m.cohort_clients, m.starting_arr), (0, Money::ZERO));
    assert_eq!(
        (
            m.net_revenue_retention,
            m.gross_revenue_retention,
            m.logo_retention,
            m.expansion_rate
        ),
        (None, None, None, None)
    );
    assert_eq!(m.success_factors, SuccessFactors::default());
    assert_eq!(m.ending_arr, Money::ZERO);
}

#[test]
fn top_expansion_accounts_keep_five_by_delta_then_id() {
    let period = periods(TimePeriod::Monthly, 1, date("2024-01-31")).unwrap().remove(0);
    let clients: Vec<ClientEdge> = [("g", 5), ("a", 1), ("b", 5), ("c", 3), ("d", 9), ("e", 2), ("f", 0)]
        .iter()
        .map(|&(id, grew)| ClientEdge {
            client_id: id.into(),
            arr_before_start: usd(10),
            arr_at_end: usd(10 + grew),
            facts: StartFacts::default(),
        })
        .collect();
    let m = period_movements(&period, &clients, &[]);
    let ids: Vec<&str> = m.top_expansion_accounts.iter().map(|a| a.client_id.as_str()).collect();
    assert_eq!(ids, vec!["d", "b", "g", "c", "e"]);
    assert!(m.top_expansion_accounts.iter().all(|a| a.dominant_category.is_none()));
}

#[test]
fn the_report_lists_periods_oldest_first_with_the_pipeline_when_asked() {
    let ledger = five_client_ledger();
    let mut inputs: Vec<PeriodInput> = periods(TimePeriod::Quarterly, 2, date("2024-08-15"))
        .unwrap()
        .iter()
        .map(|p| ledger::period_input_from_ledger(&ledger, p))
        .collect();
    inputs.reverse();
    let open = [OpenOpportunity {
        value: usd(1_000),
        probability: 0.5,
    }];
    let report = revenue_expansion(TimePeriod::Quarterly, date("2024-08-15"), &inputs, Some(&open));
    let labels: Vec<&str> = report.periods.iter().map(|p| p.period.label.as_str()).collect();
    assert_eq!(labels, vec!["2024-Q2", "2024-Q3"]);
    assert!(!report.periods[1].period.complete);
    // Q3 cut at 2024-08-15: A 100000 (+10000 on Aug 1), C still 33000, E 30000, D 70000.
    assert_eq!(
        report.periods[1].cohort_ending_arr,
        usd(100_000 + 33_000 + 70_000 + 30_000)
    );
    assert_eq!(report.pipeline.map(|p| p.weighted_value), Some(usd(500)));
}

#[test]
fn the_report_serializes_money_as_decimal_strings_and_rates_as_numbers() {
    let json = serde_json::to_value(&three_quarters()[0]).unwrap();
    assert_eq!(json["startingArr"], "240000.00");
    assert_eq!(json["grossRevenueRetention"], 0.9167);
    assert_eq!(json["expansionByType"][0]["category"], "RENEWAL");
    assert_eq!(json["period"]["label"], "2024-Q1");
    assert_eq!(json["topExpansionAccounts"][0]["dominantCategory"], "UPSELL");
}
