//! Tests of renewal tracking: window edges, exact day counts, buckets, stakeholders, summary.
use super::*;
use crate::domain::{OpportunitySource, OpportunityStage, OpportunityType, ReminderStatus};
use crate::processes::forecast::test_data::{case, date};
use proptest::prelude::*;

fn facts(id: &str, client: &str, renewal_date: NaiveDate, arr_major: i64, p: f64, auto_renew: bool) -> RenewalFacts {
    let c = case(id, client, renewal_date, arr_major * 100, auto_renew);
    RenewalFacts {
        renewal: c.renewal,
        contract: c.contract,
        health_score: Some(75.0),
        probability: p,
    }
}

fn contact(id: i64, client: &str, name: &str, role: ContactRole, is_primary: bool) -> Contact {
    Contact {
        id,
        client_id: client.to_owned(),
        name: name.to_owned(),
        email: format!("{}@example.com", name.to_lowercase()),
        role,
        is_primary,
    }
}

fn params(days: i64) -> TrackingParams {
    TrackingParams {
        days_until_renewal: days,
        ..TrackingParams::default()
    }
}

#[test]
fn the_window_includes_as_of_and_its_last_day_and_counts_exact_days() {
    let as_of = date("2028-02-28");
    let input = TrackingInput {
        renewals: vec![
            facts("ON_AS_OF", "a", date("2028-02-28"), 1_000, 0.9, true),
            facts("LAST_DAY", "b", date("2028-05-28"), 1_000, 0.9, true),
            facts("AFTER", "c", date("2028-05-29"), 1_000, 0.9, true),
            facts("LEAP", "d", date("2028-03-01"), 1_000, 0.9, true),
        ],
        ..TrackingInput::default()
    };
    let tracking = track_renewals(&input, &params(90), as_of).unwrap();
    let days: Vec<(&str, i64)> = tracking
        .renewals
        .iter()
        .map(|r| (r.renewal_id.as_str(), r.days_until_renewal))
        .collect();
    assert_eq!(days, vec![("ON_AS_OF", 0), ("LEAP", 2), ("LAST_DAY", 90)]);
    assert_eq!(tracking.window_end, date("2028-05-28"));
}

#[test]
fn buckets_split_at_thirty_sixty_and_ninety_days() {
    let as_of = date("2025-01-01");
    let input = TrackingInput {
        renewals: [0u64, 30, 31, 60, 61, 90, 91, 120]
            .iter()
            .map(|&d| facts(&format!("R{d:03}"), "c", as_of + Days::new(d), 100, 0.9, true))
            .collect(),
        ..TrackingInput::default()
    };
    let by = track_renewals(&input, &params(120), as_of)
        .unwrap()
        .summary
        .by_timeframe;
    let counts = [
        by.within30.count,
        by.within60.count,
        by.within90.count,
        by.beyond90.count,
    ];
    assert_eq!(counts, [2, 2, 2, 2]);
    assert_eq!(by.within30.arr, Money::from_major(200));
}

#[test]
fn overdue_renewals_are_listed_apart_and_closed_ones_ignored() {
    let as_of = date("2025-01-01");
    let mut closed = facts("CLOSED", "c", date("2025-01-10"), 100, 0.9, true);
    closed.renewal.status = RenewalStatus::Renewed;
    let input = TrackingInput {
        renewals: vec![
            facts("LATE", "c", date("2024-12-31"), 300, 0.5, false),
            facts("SOON", "c", date("2025-01-10"), 100, 0.9, true),
            closed,
        ],
        ..TrackingInput::default()
    };
    let tracking = track_renewals(&input, &params(30), as_of).unwrap();
    assert_eq!(tracking.overdue.len(), 1);
    assert_eq!(tracking.overdue[0].days_until_renewal, -1);
    assert_eq!(
        tracking.overdue[0]
            .reminders
            .iter()
            .filter(|r| r.status == ReminderStatus::Due)
            .count(),
        3
    );
    assert_eq!(tracking.summary.overdue_count, 1);
    assert_eq!(tracking.summary.overdue_arr, Money::from_major(300));
    assert_eq!(tracking.summary.total_renewals_tracked, 1);
}

#[test]
fn an_overdue_renewal_is_high_risk_overdue_by_its_days_whatever_its_probability() {
    // As of 2025-01-01: LATE was due 2024-12-20 (12 days ago) and the model gives it 0.95 (LOW
    // risk by probability); it is HIGH, "overdue by 12 days". YESTERDAY is overdue by 1 day at 0.70.
    // ON_TIME, due in 9 days at 0.95, stays LOW with its probability as the reason.
    let as_of = date("2025-01-01");
    let input = TrackingInput {
        renewals: vec![
            facts("LATE", "a", date("2024-12-20"), 300, 0.95, true),
            facts("YESTERDAY", "b", date("2024-12-31"), 100, 0.70, true),
            facts("ON_TIME", "c", date("2025-01-10"), 100, 0.95, true),
        ],
        ..TrackingInput::default()
    };
    let tracking = track_renewals(&input, &params(30), as_of).unwrap();
    let overdue: Vec<(&str, RiskLevel, Vec<String>)> = tracking
        .overdue
        .iter()
        .map(|r| (r.renewal_id.as_str(), r.risk_level, r.risk_reasons.clone()))
        .collect();
    assert_eq!(
        overdue,
        vec![
            ("LATE", RiskLevel::High, vec!["overdue by 12 days".to_owned()]),
            ("YESTERDAY", RiskLevel::High, vec!["overdue by 1 day".to_owned()]),
        ]
    );
    let on_time = &tracking.renewals[0];
    assert_eq!(
        (on_time.risk_level, on_time.risk_reasons.clone()),
        (
            RiskLevel::Low,
            vec!["renewal probability 95% (high confidence, ≥ 80%)".to_owned()]
        )
    );
}

#[test]
fn summary_weighs_arr_by_probability_and_flags_risk_below_sixty_percent() {
    let as_of = date("2025-01-01");
    let input = TrackingInput {
        renewals: vec![
            facts("A", "a", date("2025-01-20"), 10_000, 0.6, true),
            facts("B", "b", date("2025-02-20"), 20_000, 0.5999, false),
            facts("C", "c", date("2025-03-20"), 30_001, 0.33336, false),
        ],
        ..TrackingInput::default()
    };
    let s = track_renewals(&input, &params(90), as_of).unwrap().summary;
    assert_eq!(s.total_arr_up_for_renewal, Money::from_major(60_001));
    assert_eq!(s.arr_at_risk, Money::from_major(50_001));
    // 6,000.00 + 11,998.00 + 30,001.00 × 0.3334 (rounded p) = 10,002.33
    assert_eq!(s.expected_arr, Money::from_cents(600_000 + 1_199_800 + 1_000_233));
    assert_eq!((s.auto_renew_enabled, s.manual_renewal_required), (1, 2));
}

#[test]
fn key_stakeholders_put_the_primary_contact_first_then_roles_in_buying_order() {
    let contacts = [
        contact(1, "a", "Uma", ContactRole::User, true),
        contact(2, "a", "Eve", ContactRole::EconomicBuyer, false),
        contact(3, "a", "Dan", ContactRole::DecisionMaker, true),
        contact(4, "a", "Cat", ContactRole::Champion, false),
        contact(5, "b", "Bob", ContactRole::Champion, true),
    ];
    let names: Vec<String> = key_stakeholders(&contacts, "a").into_iter().map(|s| s.name).collect();
    assert_eq!(names, vec!["Dan", "Cat", "Eve"]);
}

#[test]
fn items_carry_term_risk_and_open_opportunities() {
    let as_of = date("2025-01-01");
    let mut won = opportunity("a", 5_000, OpportunityStage::Won);
    won.id = "EXP-2".into();
    let input = TrackingInput {
        renewals: vec![facts("A", "a", date("2025-03-31"), 10_000, 0.7, true)],
        opportunities: vec![opportunity("a", 1_500, OpportunityStage::Proposed), won],
        ..TrackingInput::default()
    };
    let item = &track_renewals(&input, &params(90), as_of).unwrap().renewals[0];
    assert_eq!(item.term_months, 12);
    assert_eq!(item.risk_level, RiskLevel::Medium);
    assert_eq!(
        item.open_opportunities,
        OpenOpportunities {
            count: 1,
            value: Money::from_major(1_500)
        }
    );
    assert_eq!(item.reminders.len(), 3);
}

#[test]
fn windows_outside_one_to_seven_hundred_thirty_days_are_refused() {
    assert!(validate_window_days(0).is_err());
    assert!(validate_window_days(731).is_err());
    assert!(validate_window_days(1000).is_err());
    assert_eq!(validate_window_days(730).unwrap(), 730);
}

#[test]
fn term_months_counts_whole_months_to_the_day_after_the_end() {
    assert_eq!(term_months(date("2024-03-01"), date("2025-02-28")), 12);
    assert_eq!(term_months(date("2024-01-31"), date("2027-01-30")), 36);
    assert_eq!(term_months(date("2024-01-01"), date("2024-01-15")), 0);
}

fn opportunity(client: &str, value_major: i64, stage: OpportunityStage) -> Opportunity {
    Opportunity {
        id: "EXP-1".into(),
        client_id: client.into(),
        opportunity_type: OpportunityType::CrossSell,
        product_id: None,
        name: "API Suite".into(),
        value: Money::from_major(value_major),
        probability: 0.5,
        stage,
        source: OpportunitySource::Manual,
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
    #[test]
    fn timeframes_partition_the_window_and_output_is_deterministic(
        rows in proptest::collection::vec((0u64..400, 1i64..1_000_000, 0.0f64..=1.0, any::<bool>()), 0..40),
        window in 1i64..=730,
    ) {
        let as_of = date("2025-06-15");
        let input = TrackingInput {
            renewals: rows
                .iter()
                .enumerate()
                .map(|(i, &(d, arr, p, auto))| facts(&format!("R{i}"), "c", as_of + Days::new(d) - Days::new(30), arr, p, auto))
                .collect(),
            ..TrackingInput::default()
        };
        let tracking = track_renewals(&input, &params(window), as_of).unwrap();
        let s = &tracking.summary;
        let b = &s.by_timeframe;
        prop_assert_eq!(b.within30.count + b.within60.count + b.within90.count + b.beyond90.count, s.total_renewals_tracked);
        prop_assert_eq!(b.within30.arr + b.within60.arr + b.within90.arr + b.beyond90.arr, s.total_arr_up_for_renewal);
        prop_assert_eq!(s.auto_renew_enabled + s.manual_renewal_required, s.total_renewals_tracked);
        for r in &tracking.renewals {
            prop_assert!((0..=window).contains(&r.days_until_renewal));
        }
        prop_assert!(tracking.overdue.iter().all(|r| r.days_until_renewal < 0));
        prop_assert_eq!(track_renewals(&input, &params(window), as_of).unwrap(), tracking);
    }
}
