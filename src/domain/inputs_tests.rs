//! Tests of the validated inputs.
use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn contract() -> ContractForCreate {
    ContractForCreate {
        client_id: "acme".into(),
        contract_type: ContractType::Annual,
        start_date: date(2026, 1, 1),
        end_date: date(2026, 12, 31),
        renewal_date: None,
        auto_renew: true,
        notice_period_days: 30,
        payment_status: PaymentStatus::Current,
        seats: 10,
        discount: 0.0,
        items: vec![
            ContractItemForCreate {
                product_id: "pro".into(),
                quantity: 10,
                arr: Money::from_major(12_000),
            },
            ContractItemForCreate {
                product_id: "api".into(),
                quantity: 1,
                arr: Money::from_cents(250_050),
            },
        ],
    }
}

#[test]
fn contract_arr_is_the_exact_sum_of_items() {
    assert_eq!(contract().validate().unwrap().arr().cents(), 1_200_000 + 250_050);
}

#[test]
fn contract_ending_before_it_starts_is_refused() {
    let bad = ContractForCreate {
        end_date: date(2025, 12, 31),
        ..contract()
    };
    assert!(matches!(bad.validate(), Err(Error::BadUserInput { field, .. }) if field == "endDate"));
}

#[test]
fn contract_with_negative_item_arr_is_refused() {
    let mut bad = contract();
    bad.items[0].arr = Money::from_cents(-1);
    assert!(matches!(bad.validate(), Err(Error::BadUserInput { field, .. }) if field == "items.arr"));
}

#[test]
fn revenue_event_sign_must_match_its_kind() {
    let event = RevenueEventForCreate {
        client_id: "acme".into(),
        occurred_on: date(2026, 1, 1),
        kind: RevenueKind::Churn,
        category: RevenueCategory::Renewal,
        arr_delta: Money::from_major(100),
        contract_id: None,
    };
    assert!(event.clone().validate().is_err());
    assert!(RevenueEventForCreate {
        arr_delta: Money::from_major(-100),
        ..event
    }
    .validate()
    .is_ok());
}

#[test]
fn usage_period_is_the_first_of_its_month() {
    let usage = UsageForCreate {
        client_id: "acme".into(),
        period_start: date(2026, 3, 17),
        seats_licensed: 10,
        active_users: 8,
        usage_rate: 0.8,
        feature_adoption: 0.5,
        api_calls: 0,
        logins: 0,
        reports_exported: 0,
    };
    assert_eq!(usage.validate().unwrap().period_start, date(2026, 3, 1));
}

#[test]
fn tier_products_need_a_rank_and_others_must_not_have_one() {
    let product = ProductForCreate {
        id: "pro".into(),
        name: "Pro".into(),
        family: "platform".into(),
        kind: ProductKind::Tier,
        tier_rank: None,
        pricing: Pricing::PerSeat,
        annual_price: Money::from_major(600),
    };
    assert!(product.clone().validate().is_err());
    assert!(ProductForCreate {
        tier_rank: Some(3),
        ..product.clone()
    }
    .validate()
    .is_ok());
    assert!(ProductForCreate {
        kind: ProductKind::Addon,
        tier_rank: Some(3),
        ..product
    }
    .validate()
    .is_err());
}
