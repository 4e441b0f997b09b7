//! Tests of the forecast as a whole: training windows, no look-ahead, totals and categories.
use super::test_data::{case, closed, date, health, history, usage};
use super::*;
use crate::domain::{Opportunity, OpportunitySource, OpportunityStage, OpportunityType, RenewalStatus};
use proptest::prelude::*;

/// `n` clients, each with a renewal closed on 2024-06-30 (kept when its health then was ≥ 60,
/// except every fifth one, so the classes overlap) and an open renewal due 2025-03-31.
fn book(n: usize) -> ForecastData {
    let mut data = ForecastData::default();
    for i in 0..n {
        let client = format!("c{i:03}");
        let score = 30.0 + (i * 61 % 70) as f64;
        let kept = (score >= 60.0) != (i % 5 == 0);
        let status = if kept {
            RenewalStatus::Renewed
        } else {
            RenewalStatus::Churned
        };
        let old = case(
            &format!("R{i:03}a"),
            &client,
            date("2024-06-30"),
            1_000_000 + i as i64 * 10_000,
            i % 2 == 0,
        );
        data.cases.push(closed(old, status));
        data.cases.push(case(
            &format!("R{i:03}b"),
            &client,
            date("2025-03-31"),
            2_000_000,
            i % 3 == 0,
        ));
        let mut h = history(date("2021-01-15"));
        h.health.push(health(1, date("2024-05-01"), score));
        h.health.push(health(2, date("2025-01-01"), score));
        h.usage.push(usage(
            1,
            date("2024-05-01"),
            20 + (i % 30) as i32,
            50,
            0.4 + (i % 9) as f64 / 10.0,
        ));
        data.clients.insert(client, h);
    }
    data
}

#[test]
fn thirty_or_more_closed_renewals_of_both_outcomes_train_a_logistic_model() {
    let data = book(40);
    let forecast = renewal_forecast(&data, &ForecastParams::default(), date("2025-01-15")).unwrap();
    assert_eq!(forecast.model.kind, ModelKind::Logistic);
    assert_eq!(forecast.model.trained_on, 40);
    assert_eq!(forecast.model.coefficients.len(), 7);
    let health = &forecast.model.coefficients[0];
    assert_eq!(health.feature, "health");
    assert!(health.coefficient > 0.0, "healthier clients renew more: {health:?}");
    assert!(forecast.renewals.iter().all(|r| r.factors.len() <= 3));
}

#[test]
fn fewer_than_thirty_closed_renewals_fall_back_to_the_heuristic() {
    let data = book(29);
    let forecast = renewal_forecast(&data, &ForecastParams::default(), date("2025-01-15")).unwrap();
    assert_eq!(forecast.model.kind, ModelKind::Heuristic);
    assert_eq!(forecast.model.trained_on, 29);
    assert!(forecast
        .model
        .fallback_reason
        .as_deref()
        .unwrap()
        .contains("29 closed renewals"));
    let first = &forecast.renewals[0];
    assert_eq!(first.probability, heuristic::probability(&first.features));
}

#[test]
fn a_single_outcome_falls_back_to_the_heuristic() {
    let mut data = book(40);
    for case in &mut data.cases {
        if case.renewal.status == RenewalStatus::Churned {
            case.renewal.status = RenewalStatus::Downgraded;
        }
    }
    let forecast = renewal_forecast(&data, &ForecastParams::default(), date("2025-01-15")).unwrap();
    assert_eq!(forecast.model.kind, ModelKind::Heuristic);
    assert_eq!(forecast.model.positives, 40);
}

#[test]
fn snapshots_after_thirty_days_before_a_closed_renewal_do_not_change_the_model() {
    let as_of = date("2025-01-15");
    let before = train_model(&book(40), &ModelParams::default(), as_of).unwrap();
    let mut later = book(40);
    for (i, history) in later.clients.values_mut().enumerate() {
        // 2024-06-01 is after 2024-05-31, the cutoff of renewals dated 2024-06-30.
        history
            .health
            .push(health(10, date("2024-06-01"), if i % 2 == 0 { 5.0 } else { 99.0 }));
        history.usage.push(usage(10, date("2024-06-01"), 0, 50, 0.0));
    }
    let after = train_model(&later, &ModelParams::default(), as_of).unwrap();
    assert_eq!(before, after);

    // The same change dated on the cutoff itself is seen, so the test above has teeth.
    let mut on_cutoff = book(40);
    for (i, history) in on_cutoff.clients.values_mut().enumerate() {
        history
            .health
            .push(health(10, date("2024-05-31"), if i % 2 == 0 { 5.0 } else { 99.0 }));
    }
    assert_ne!(before, train_model(&on_cutoff, &ModelParams::default(), as_of).unwrap());
}

#[test]
fn renewals_closed_after_as_of_or_dated_on_it_are_not_training_rows() {
    let mut data = book(40);
    data.cases[0].renewal.closed_at = date("2025-01-16").and_hms_opt(9, 0, 0).map(|t| t.and_utc());
    data.cases[2].renewal.renewal_date = date("2025-01-15");
    let model = train_model(&data, &ModelParams::default(), date("2025-01-15")).unwrap();
    assert_eq!(model.summary.trained_on, 38);
}

#[test]
fn only_open_renewals_inside_the_period_are_forecast_in_date_order() {
    let mut data = book(3);
    data.cases.push(case("EDGE", "c000", date("2025-07-14"), 500_000, true));
    data.cases
        .push(case("AFTER", "c001", date("2025-07-15"), 500_000, true));
    data.cases
        .push(case("TODAY", "c002", date("2025-01-15"), 500_000, true));
    let params = ForecastParams {
        forecast_period_days: 180,
        ..ForecastParams::default()
    };
    let forecast = renewal_forecast(&data, &params, date("2025-01-15")).unwrap();
    let ids: Vec<&str> = forecast.renewals.iter().map(|r| r.renewal_id.as_str()).collect();
    assert_eq!(ids, vec!["TODAY", "R000b", "R001b", "R002b", "EDGE"]);
    assert_eq!(forecast.period_end, date("2025-07-14"));
}

#[test]
fn totals_rates_and_expansion_follow_the_probabilities() {
    let mut data = book(2);
    data.opportunities
        .push(opportunity("c000", 1_000_000, 0.5, OpportunityStage::Qualified));
    data.opportunities
        .push(opportunity("c001", 999_999, 0.9, OpportunityStage::Won));
    data.opportunities
        .push(opportunity("zzz", 999_999, 0.9, OpportunityStage::Identified));
    let forecast = renewal_forecast(&data, &ForecastParams::default(), date("2025-01-15")).unwrap();
    // Heuristic: c000 health 30 → 0.40; c001 health 91 → 0.92. ARR 20,000.00 each.
    assert_eq!(forecast.renewals_due, 2);
    assert_eq!(forecast.arr_renewing, Money::from_major(40_000));
    assert_eq!(forecast.predicted_retained_arr, Money::from_major(26_400));
    assert_eq!(forecast.predicted_churn_arr, Money::from_major(13_600));
    assert_eq!(forecast.predicted_renewal_rate, Some(0.66));
    assert_eq!(forecast.expansion_in_renewals, Money::from_major(5_000));
    assert_eq!(forecast.categories.high_confidence.count, 1);
    assert_eq!(forecast.categories.at_risk.arr, Money::from_major(20_000));
    assert_eq!(forecast.categories.medium_confidence.probability_avg, None);
    assert!(forecast.risk_analysis.is_some());
}

#[test]
fn an_empty_period_has_no_rate_and_a_bad_period_is_refused() {
    let forecast = renewal_forecast(&ForecastData::default(), &ForecastParams::default(), date("2025-01-15")).unwrap();
    assert_eq!((forecast.renewals_due, forecast.predicted_renewal_rate), (0, None));
    for days in [0, 731] {
        let params = ForecastParams {
            forecast_period_days: days,
            ..ForecastParams::default()
        };
        assert!(renewal_forecast(&ForecastData::default(), &params, date("2025-01-15")).is_err());
    }
}

#[test]
fn the_backtest_scores_the_model_and_the_heuristic_on_the_same_renewals() {
    let mut data = book(60);
    for case in data
        .cases
        .iter_mut()
        .filter(|c| c.renewal.status == RenewalStatus::Open)
    {
        case.renewal.status = if case.renewal.client_id.ends_with('7') {
            RenewalStatus::Churned
        } else {
            RenewalStatus::Renewed
        };
    }
    let report = backtest(&data, &ModelParams::default(), date("2025-01-01"), date("2025-06-30")).unwrap();
    assert_eq!(report.model.kind, ModelKind::Logistic);
    assert_eq!(report.evaluated, 60);
    assert_eq!(report.calibration.iter().map(|b| b.count).sum::<usize>(), 60);
    assert!(report.brier_score.is_some() && report.heuristic_brier_score.is_some() && report.log_loss.is_some());
}

fn opportunity(client: &str, value_cents: i64, probability: f64, stage: OpportunityStage) -> Opportunity {
    Opportunity {
        id: format!("EXP-{client}-{value_cents}"),
        client_id: client.to_owned(),
        opportunity_type: OpportunityType::Upsell,
        product_id: None,
        name: "Upgrade".to_owned(),
        value: Money::from_cents(value_cents),
        probability,
        stage,
        source: OpportunitySource::Detected,
        detection_key: None,
        reasons: Vec::new(),
        expected_close_date: None,
        closed_on: None,
        owner: None,
        version: 1,
        created_at: chrono::DateTime::UNIX_EPOCH,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn probabilities_stay_in_range_and_retained_plus_churn_is_the_arr_renewing(
        n in 0usize..45,
        arrs in proptest::collection::vec(1i64..50_000_000, 45),
        day in 0u64..200,
    ) {
        let mut data = book(n);
        for (case, arr) in data.cases.iter_mut().zip(&arrs) {
            case.renewal.target_arr = Money::from_cents(*arr);
        }
        let as_of = date("2024-09-01") + Days::new(day);
        let forecast = renewal_forecast(&data, &ForecastParams::default(), as_of).unwrap();
        for r in &forecast.renewals {
            prop_assert!((0.0..=1.0).contains(&r.probability));
            if forecast.model.kind == ModelKind::Heuristic {
                prop_assert!((0.05..=0.95).contains(&r.probability));
            }
        }
        prop_assert_eq!(forecast.predicted_retained_arr + forecast.predicted_churn_arr, forecast.arr_renewing);
        let retained: Money = forecast.renewals.iter().map(|r| r.arr.times(r.probability)).sum();
        prop_assert_eq!(retained, forecast.predicted_retained_arr);
        let c = &forecast.categories;
        prop_assert_eq!(c.high_confidence.count + c.medium_confidence.count + c.at_risk.count, forecast.renewals_due);
        prop_assert_eq!(c.high_confidence.arr + c.medium_confidence.arr + c.at_risk.arr, forecast.arr_renewing);
        let again = renewal_forecast(&data, &ForecastParams::default(), as_of).unwrap();
        prop_assert_eq!(&again, &forecast);
    }
}
