//! Builders of small books for the forecast's and the other renewal processes' tests.
use super::features::{ClientHistory, RenewalCase};
use crate::domain::health::HealthComponents;
use crate::domain::*;
use chrono::NaiveDate;

pub fn case(id: &str, client_id: &str, renewal_date: NaiveDate, arr_cents: i64, auto_renew: bool) -> RenewalCase {
    let start = renewal_date - chrono::Months::new(12) + chrono::Days::new(1);
    RenewalCase {
        renewal: Renewal {
            id: id.to_owned(),
            contract_id: format!("CNT-{id}"),
            client_id: client_id.to_owned(),
            renewal_date,
            target_arr: Money::from_cents(arr_cents),
            status: RenewalStatus::Open,
            outcome_arr: None,
            closed_at: None,
        },
        contract: Contract {
            id: format!("CNT-{id}"),
            client_id: client_id.to_owned(),
            contract_type: ContractType::Annual,
            start_date: start,
            end_date: renewal_date,
            renewal_date,
            auto_renew,
            notice_period_days: 30,
            payment_status: PaymentStatus::Current,
            seats: 50,
            discount: 0.0,
            status: ContractStatus::Active,
        },
    }
}

pub fn closed(mut case: RenewalCase, status: RenewalStatus) -> RenewalCase {
    case.renewal.status = status;
    case.renewal.outcome_arr = Some(if status == RenewalStatus::Churned {
        Money::ZERO
    } else {
        case.renewal.target_arr
    });
    case.renewal.closed_at = case.renewal.renewal_date.and_hms_opt(12, 0, 0).map(|t| t.and_utc());
    case
}

pub fn history(customer_since: NaiveDate) -> ClientHistory {
    ClientHistory {
        customer_since,
        usage: Vec::new(),
        health: Vec::new(),
    }
}

pub fn health(id: i64, as_of: NaiveDate, score: f64) -> HealthSnapshot {
    let c = score.round() as i32;
    HealthSnapshot {
        id,
        client_id: "c".to_owned(),
        as_of,
        components: HealthComponents {
            usage: c,
            engagement: c,
            support: c,
            satisfaction: c,
            payment: c,
        },
        overall_score: score,
        trend: HealthTrend::Stable,
    }
}

pub fn usage(id: i64, period_start: NaiveDate, active_users: i32, seats: i32, usage_rate: f64) -> UsageSnapshot {
    UsageSnapshot {
        id,
        client_id: "c".to_owned(),
        period_start,
        seats_licensed: seats,
        active_users,
        usage_rate,
        feature_adoption: 0.5,
        api_calls: 0,
        logins: 0,
        reports_exported: 0,
    }
}

pub fn date(text: &str) -> NaiveDate {
    text.parse().expect("a test date")
}
