use super::*;
use crate::domain::{Opportunity, OpportunitySource};
use chrono::{TimeZone, Utc};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn stored(stage: OpportunityStage) -> Opportunity {
    Opportunity {
        id: "EXP-1".into(),
        client_id: "acme".into(),
        opportunity_type: OpportunityType::CrossSell,
        product_id: Some("api".into()),
        name: "Add API Suite".into(),
        value: Money::from_major(12_000),
        probability: 0.5,
        stage,
        source: OpportunitySource::Detected,
        detection_key: Some("cross_sell:acme:api".into()),
        reasons: vec!["31 of 50".into()],
        expected_close_date: None,
        closed_on: None,
        owner: None,
        version: 3,
        created_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
    }
}

fn move_to(stage: OpportunityStage) -> OpportunityForUpdate {
    OpportunityForUpdate {
        expected_version: 3,
        stage: Some(stage),
        ..Default::default()
    }
}

#[test]
fn stages_move_forward_one_step_or_to_lost() {
    use OpportunityStage::*;
    for (from, to) in [
        (Identified, Qualified),
        (Qualified, Proposed),
        (Proposed, Won),
        (Identified, Lost),
        (Qualified, Lost),
        (Proposed, Lost),
    ] {
        assert!(from.check_move(to).is_ok(), "{from} → {to}");
    }
    for (from, to) in [
        (Identified, Proposed),
        (Identified, Won),
        (Qualified, Won),
        (Proposed, Qualified),
        (Qualified, Identified),
    ] {
        assert!(
            matches!(from.check_move(to), Err(Error::BadUserInput { field, .. }) if field == "stage"),
            "{from} → {to}"
        );
    }
}

#[test]
fn a_closed_opportunity_refuses_any_change() {
    for stage in [OpportunityStage::Won, OpportunityStage::Lost] {
        let update = OpportunityForUpdate {
            expected_version: 3,
            owner: Some("Kim".into()),
            ..Default::default()
        };
        assert!(matches!(
            update.apply(&stored(stage), date(2026, 6, 1)),
            Err(Error::Conflict(_))
        ));
    }
}

#[test]
fn winning_stamps_the_close_date_and_certainty_and_bumps_the_version() {
    let won = move_to(OpportunityStage::Won)
        .apply(&stored(OpportunityStage::Proposed), date(2026, 6, 1))
        .unwrap();
    assert_eq!(
        (won.stage, won.closed_on, won.probability, won.version),
        (OpportunityStage::Won, Some(date(2026, 6, 1)), 1.0, 4)
    );
    let lost = OpportunityForUpdate {
        closed_on: Some(date(2026, 5, 2)),
        ..move_to(OpportunityStage::Lost)
    }
    .apply(&stored(OpportunityStage::Identified), date(2026, 6, 1))
    .unwrap();
    assert_eq!((lost.closed_on, lost.probability), (Some(date(2026, 5, 2)), 0.0));
}

#[test]
fn absent_fields_stay_and_a_close_date_needs_a_close() {
    let update = OpportunityForUpdate {
        expected_version: 3,
        value: Some(Money::from_major(9_000)),
        ..Default::default()
    };
    let next = update
        .apply(&stored(OpportunityStage::Qualified), date(2026, 6, 1))
        .unwrap();
    assert_eq!(
        (next.stage, next.value, next.name.as_str()),
        (OpportunityStage::Qualified, Money::from_major(9_000), "Add API Suite")
    );
    let dated = OpportunityForUpdate {
        closed_on: Some(date(2026, 6, 1)),
        ..move_to(OpportunityStage::Qualified)
    };
    assert!(dated
        .apply(&stored(OpportunityStage::Identified), date(2026, 6, 1))
        .is_err());
}

#[test]
fn a_new_opportunity_must_start_open_with_a_probability_in_range() {
    let input = OpportunityForCreate {
        client_id: "acme".into(),
        opportunity_type: OpportunityType::Training,
        product_id: None,
        name: " Onboarding bootcamp ".into(),
        value: Money::from_major(5_000),
        probability: 0.4,
        stage: OpportunityStage::Identified,
        expected_close_date: None,
        owner: None,
        reasons: vec![],
    };
    assert_eq!(input.clone().validate().unwrap().name, "Onboarding bootcamp");
    assert!(OpportunityForCreate {
        stage: OpportunityStage::Won,
        ..input.clone()
    }
    .validate()
    .is_err());
    assert!(OpportunityForCreate {
        probability: 1.5,
        ..input
    }
    .validate()
    .is_err());
}
