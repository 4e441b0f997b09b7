//! CLV on the five-client ledger of the revenue tests, the geometric series' edges, focus, CAC
//! fallbacks and validation.
use super::*;
use crate::processes::revenue::ledger::{current_arr_from_ledger, period_input_from_ledger};
use crate::processes::revenue::tests::{date, five_client_ledger, usd};
use proptest::prelude::*;

fn acquisition(since: &str, dollars: Option<i64>) -> Acquisition {
    Acquisition {
        customer_since: date(since),
        acquisition_cost: dollars.map(usd),
    }
}

/// The ledger as of 2024-09-30. Trailing window 2023-10-02..2024-09-30, opening edge 2023-10-01:
/// A 100000 → 105000 (Δ +5000), B 50000 → 40000 (churned in Q2, back in Q3: Δ −10000, retained);
/// C, D, E were 0 on 2023-10-01. Starting 150000: GRR (150000 − 10000)/150000 = 14/15 (0.9333
/// shown), e 5000/150000 = 1/30 (0.0333 shown), logos 2/2 = 1. CLV uses the unrounded ratios.
/// Active on 2024-09-30: A 105000, B 40000, D 70000, E 20000 (C is 0): ARPA 235000/4 = 58750.
/// Acquired in the window with a cost: C 9000 (2024-02-01), E 15000 (2024-05-15); D (2023-11-01)
/// has none: CAC (9000 + 15000)/2 = 12000.
fn basis() -> PortfolioBasis {
    let as_of = date("2024-09-30");
    let ledger = five_client_ledger();
    let input = PortfolioInput {
        trailing_clients: period_input_from_ledger(&ledger, &Period::trailing_year(as_of)).clients,
        active_client_arr: current_arr_from_ledger(&ledger, &["A", "B", "C", "D", "E"], as_of),
        acquisitions: vec![
            acquisition("2023-06-01", Some(12_000)),
            acquisition("2023-01-10", Some(8_000)),
            acquisition("2024-02-01", Some(9_000)),
            acquisition("2023-11-01", None),
            acquisition("2024-05-15", Some(15_000)),
        ],
    };
    portfolio_basis(&input, as_of)
}

fn portfolio(focus: OptimizationFocus) -> CustomerLifetimeValue {
    customer_lifetime_value(&basis(), None, &ClvParams::default(), focus).unwrap()
}

fn basis_with(arpa: i64, g: f64, e: f64) -> PortfolioBasis {
    PortfolioBasis {
        gross_revenue_retention: Some(g),
        expansion_rate: Some(e),
        arpa: Some(usd(arpa)),
        ..basis()
    }
}

#[test]
fn the_trailing_year_is_one_revenue_period_of_the_ledger() {
    let b = basis();
    assert_eq!((b.window.start, b.window.end), (date("2023-10-02"), date("2024-09-30")));
    assert_eq!(b.cohort_clients, 2);
    assert_eq!(
        (b.gross_revenue_retention, b.expansion_rate, b.logo_retention),
        (Some(140_000.0 / 150_000.0), Some(5_000.0 / 150_000.0), Some(1.0)),
        "unrounded"
    );
    let shown = b.rounded();
    assert_eq!(
        (
            shown.gross_revenue_retention,
            shown.expansion_rate,
            shown.logo_retention
        ),
        (Some(0.9333), Some(0.0333), Some(1.0))
    );
    assert_eq!((b.arpa, b.active_clients), (Some(usd(58_750)), 4));
    assert_eq!(
        (b.cac, b.cac_source, b.cac_clients),
        (Some(usd(12_000)), CacSource::AcquiredInWindow, 2)
    );
}

#[test]
fn portfolio_clv_and_its_three_strategies_follow_the_formula() {
    let v = portfolio(OptimizationFocus::Balanced);
    // From the unrounded rates (rounded once, at output): q = (14/15 + 1/30)/1.1 = 29/33 =
    // 0.878788…; Σ_{y=0}^{9} q^y = 5.983819…; CLV = 58750 × 0.8 × 5.983819… = 281239.51 (computed
    // exactly with fractions; rounding g and e first gave 281172.36). LTV:CAC 281239.51/12000 = 23.4366.
    assert_eq!(v.customer_lifetime_value, Some(Money::from_cents(28_123_951)));
    assert_eq!(v.ltv_cac_ratio, Some(23.4366));
    assert_eq!(
        (v.retention_rate, v.expansion_rate),
        (Some(0.9333), Some(0.0333)),
        "shown to 4 places"
    );
    assert_eq!(v.retention_source, RetentionSource::PortfolioGrr);
    // Logo retention 1: lifespan is the horizon, 12 × 10.
    assert_eq!(v.avg_customer_lifespan_months, Some(120.0));
    let s = &v.strategies;
    assert_eq!(s.len(), 3);
    // Retention 14/15 → 14/15 + 0.05 (0.9333 → 0.9833 shown): CLV 338217.04 (+56977.53), LTV:CAC
    // 28.1848 (+4.7481, the difference of the unrounded ratios, rounded once).
    assert_eq!((s[0].current_rate, s[0].target_rate), (Some(0.9333), Some(0.9833)));
    assert_eq!(s[0].clv_impact, Money::from_cents(5_697_753));
    assert_eq!(s[0].ltv_cac_impact, Some(4.7481));
    // Expansion 1/30 → 1/30 + 0.10 (0.0333 → 0.1333): CLV 410823.25 (+129583.74), LTV:CAC 34.2353 (+10.7986).
    assert_eq!((s[1].current_rate, s[1].target_rate), (Some(0.0333), Some(0.1333)));
    assert_eq!(s[1].clv_impact, Money::from_cents(12_958_374));
    assert_eq!(s[1].ltv_cac_impact, Some(10.7986));
    // CAC 12000 → 9000: CLV unchanged; LTV:CAC 31.2488 (+7.8122).
    assert_eq!(
        (s[2].current_cac, s[2].target_cac),
        (Some(usd(12_000)), Some(usd(9_000)))
    );
    assert_eq!((s[2].clv_impact, s[2].ltv_cac_impact), (Money::ZERO, Some(7.8122)));
    // All together: CLV(14/15 + 0.05, 1/30 + 0.10) = 503375.18; +222135.67 = 0.7898 of today's;
    // ÷ 9000 = 55.9306.
    assert_eq!(v.target_clv, Some(Money::from_cents(50_337_518)));
    assert_eq!(v.improvement_potential, Some(Money::from_cents(22_213_567)));
    assert_eq!(v.improvement_potential_ratio, Some(0.7898));
    assert_eq!(v.target_ltv_cac_ratio, Some(55.9306));
    // Roadmap by CLV impact: expansion +129583.74, retention +56977.53, then reduce_cac (CLV +0,
    // LTV:CAC +7.8122 — it moves only the ratio).
    let order: Vec<StrategyKind> = v.roadmap.iter().map(|r| r.strategy).collect();
    assert_eq!(
        order,
        vec![
            StrategyKind::IncreaseExpansion,
            StrategyKind::ImproveRetention,
            StrategyKind::ReduceCac
        ]
    );
    assert_eq!(
        v.roadmap[0].action,
        "Grow yearly net expansion from 3.33% to 13.33% of starting ARR (upsell, cross-sell, seat growth): \
         CLV $281,239.51 → $410,823.25 (+$129,583.74 per account); LTV:CAC 23.44 → 34.24."
    );
}

#[test]
fn when_g_plus_e_equals_one_plus_d_every_term_is_one() {
    // (0.9 + 0.2)/1.1 = 1: Σ of 10 ones = 10; CLV = 50000 × 0.8 × 10 = 400000.
    let v = customer_lifetime_value(
        &basis_with(50_000, 0.9, 0.2),
        None,
        &ClvParams::default(),
        Default::default(),
    );
    assert_eq!(v.unwrap().customer_lifetime_value, Some(usd(400_000)));
    // d = 0 and g + e = 1: 50000 × 0.8 × 10 again.
    let undiscounted = ClvParams {
        discount_rate: 0.0,
        ..ClvParams::default()
    };
    assert_eq!(clv(usd(50_000), 0.95, 0.05, &undiscounted), usd(400_000));
}

#[test]
fn a_one_year_horizon_is_one_year_of_margin_whatever_the_rates() {
    let one_year = ClvParams {
        horizon_years: 1,
        ..ClvParams::default()
    };
    // Σ_{y=0}^{0} = 1: CLV = 50000 × 0.8 = 40000.
    assert_eq!(clv(usd(50_000), 0.5, 0.1, &one_year), usd(40_000));
    assert_eq!(clv(usd(50_000), 0.99, 0.4, &one_year), usd(40_000));
    let v = customer_lifetime_value(&basis(), None, &one_year, OptimizationFocus::Retention).unwrap();
    assert_eq!(v.strategies[0].clv_impact, Money::ZERO);
    assert_eq!(v.avg_customer_lifespan_months, Some(12.0));
}

#[test]
fn a_client_uses_its_arr_and_renewal_probability_and_says_so() {
    let client = ClientInput {
        client_id: "A".into(),
        arr: usd(105_000),
        renewal_probability: Some(0.87),
    };
    let v = customer_lifetime_value(&basis(), Some(&client), &ClvParams::default(), Default::default()).unwrap();
    assert_eq!((v.arpa, v.retention_rate), (Some(usd(105_000)), Some(0.87)));
    assert_eq!(v.retention_source, RetentionSource::RenewalProbability);
    assert_eq!(
        v.customer_lifetime_value,
        Some(clv(usd(105_000), 0.87, 5_000.0 / 150_000.0, &ClvParams::default()))
    );
    let without = ClientInput {
        renewal_probability: None,
        ..client
    };
    let v = customer_lifetime_value(&basis(), Some(&without), &ClvParams::default(), Default::default()).unwrap();
    assert_eq!(
        (v.retention_rate, v.retention_source),
        (Some(0.9333), RetentionSource::PortfolioGrr)
    );
    assert_eq!(v.client_id.as_deref(), Some("A"));
}

#[test]
fn a_single_focus_keeps_one_strategy_and_targets_only_it() {
    let retention = portfolio(OptimizationFocus::Retention);
    assert_eq!(retention.strategies.len(), 1);
    assert_eq!(retention.target_clv, Some(retention.strategies[0].target_clv));
    let efficiency = portfolio(OptimizationFocus::Efficiency);
    assert_eq!(efficiency.strategies[0].strategy, StrategyKind::ReduceCac);
    assert_eq!(efficiency.improvement_potential, Some(Money::ZERO));
    assert_eq!(efficiency.target_ltv_cac_ratio, Some(31.2488));
    assert_eq!(
        OptimizationFocus::parse("optimizationFocus", "expansion").unwrap(),
        OptimizationFocus::Expansion
    );
    assert!(OptimizationFocus::parse("optimizationFocus", "growth").is_err());
}

#[test]
fn cac_falls_back_to_all_clients_and_is_unknown_without_costs() {
    let as_of = date("2024-09-30");
    let old = PortfolioInput {
        acquisitions: vec![acquisition("2020-01-01", Some(4_000)), acquisition("2024-09-01", None)],
        ..PortfolioInput::default()
    };
    let b = portfolio_basis(&old, as_of);
    assert_eq!((b.cac, b.cac_source), (Some(usd(4_000)), CacSource::AllClients));
    let none = portfolio_basis(&PortfolioInput::default(), as_of);
    assert_eq!((none.cac, none.cac_source), (None, CacSource::Unavailable));
    let without_cac = PortfolioBasis {
        cac: None,
        cac_source: CacSource::Unavailable,
        ..basis()
    };
    let v = customer_lifetime_value(&without_cac, None, &ClvParams::default(), Default::default()).unwrap();
    assert_eq!((v.ltv_cac_ratio, v.target_ltv_cac_ratio), (None, None));
    assert!(v.roadmap.last().unwrap().action.starts_with("Record acquisition costs"));
}

#[test]
fn retention_at_the_cap_is_not_lowered() {
    let v = customer_lifetime_value(
        &basis_with(10_000, 0.995, 0.0),
        None,
        &ClvParams::default(),
        Default::default(),
    );
    let retention = &v.unwrap().strategies[0];
    assert_eq!(
        (retention.target_rate, retention.clv_impact),
        (Some(0.995), Money::ZERO)
    );
}

#[test]
fn an_empty_portfolio_has_no_clv_and_says_why() {
    let empty = portfolio_basis(&PortfolioInput::default(), date("2024-09-30"));
    let v = customer_lifetime_value(&empty, None, &ClvParams::default(), Default::default()).unwrap();
    assert_eq!(
        (v.customer_lifetime_value, v.target_clv, v.avg_customer_lifespan_months),
        (None, None, None)
    );
    assert!(v.strategies.is_empty() && v.roadmap.is_empty());
    assert!(v.reasons.iter().any(|r| r.starts_with("No active client has ARR")));
}

#[test]
fn lifespan_is_capped_by_the_horizon() {
    // 1/(1 − 0.75) = 4 years; 1/(1 − 0.95) = 20 > 10; 1/(1 − 0) = 1.
    assert_eq!(lifespan_months(0.75, 10), 48.0);
    assert_eq!(lifespan_months(0.95, 10), 120.0);
    assert_eq!(lifespan_months(0.0, 10), 12.0);
}

#[test]
fn parameters_and_probabilities_out_of_range_are_refused() {
    let bad = ClvParams {
        horizon_years: 0,
        ..ClvParams::default()
    };
    assert!(matches!(
        customer_lifetime_value(&basis(), None, &bad, Default::default()),
        Err(Error::BadUserInput { field, .. }) if field == "clv.horizon_years"
    ));
    let client = ClientInput {
        client_id: "A".into(),
        arr: usd(1),
        renewal_probability: Some(1.5),
    };
    assert!(customer_lifetime_value(&basis(), Some(&client), &ClvParams::default(), Default::default()).is_err());
}

#[test]
fn parameters_are_echoed_and_money_serializes_as_decimal_strings() {
    let json = serde_json::to_value(portfolio(OptimizationFocus::Balanced)).unwrap();
    assert_eq!(json["params"]["grossMargin"], 0.8);
    assert_eq!(json["params"]["horizonYears"], 10);
    assert_eq!(json["customerLifetimeValue"], "281239.51");
    assert_eq!(json["retentionSource"], "PORTFOLIO_GRR");
    assert_eq!(json["roadmap"][0]["strategy"], "INCREASE_EXPANSION");
}

proptest! {
    #[test]
    fn strategies_never_lower_clv_and_the_same_input_gives_the_same_output(
        arpa in 0i64..10_000_000,
        g in 0.0f64..1.0,
        e in 0.0f64..0.5,
        cac in proptest::option::of(1i64..100_000),
    ) {
        let b = PortfolioBasis {
            cac: cac.map(usd),
            ..basis_with(arpa, (g * 1e4).round() / 1e4, (e * 1e4).round() / 1e4)
        };
        let v = customer_lifetime_value(&b, None, &ClvParams::default(), Default::default()).unwrap();
        prop_assert!(v.strategies.iter().all(|s| s.clv_impact >= Money::ZERO));
        prop_assert!(v.target_clv >= v.customer_lifetime_value);
        prop_assert_eq!(&v, &customer_lifetime_value(&b, None, &ClvParams::default(), Default::default()).unwrap());
    }
}
