//! The SQL-fed path of 120 (ledger aggregated by the database at the period edges) and the pure
//! reference path (aggregated in memory from the raw events) agree on random ledgers.
use crate::helpers::{spawn_app, Backend};
use chrono::{Duration, NaiveDate};
use expansion_api::db;
use expansion_api::domain::inputs::RevenueEventForCreate;
use expansion_api::domain::*;
use expansion_api::processes::revenue::{self, ledger::period_input_from_ledger, TimePeriod};
use proptest::prelude::*;

/// One client's random ledger: (day offset from 2023-01-01, signed cents, category index), made
/// valid by [`events_of`] (never below zero, kinds from the sign and the running ARR).
type RawLedger = Vec<(i64, i64, usize)>;

fn events_of(client_id: &str, raw: &RawLedger) -> Vec<RevenueEventForCreate> {
    let start = NaiveDate::from_ymd_opt(2023, 1, 1).expect("date");
    let mut sorted = raw.clone();
    sorted.sort();
    let (mut arr, mut had_arr, mut out) = (0i64, false, Vec::new());
    for (offset, delta, category) in sorted {
        // Large negative draws close the account: churn the whole ARR.
        let delta = if delta < 0 && arr + delta <= 0 { -arr } else { delta };
        if delta == 0 {
            continue;
        }
        let kind = match (arr, delta > 0) {
            (0, true) if had_arr => RevenueKind::Reactivation,
            (0, true) => RevenueKind::New,
            (_, true) => RevenueKind::Expansion,
            (a, false) if a + delta == 0 => RevenueKind::Churn,
            _ => RevenueKind::Contraction,
        };
        arr += delta;
        had_arr = true;
        out.push(RevenueEventForCreate {
            client_id: client_id.to_owned(),
            occurred_on: start + Duration::days(offset),
            kind,
            category: RevenueCategory::ALL[category % RevenueCategory::ALL.len()],
            arr_delta: Money::from_cents(delta),
            contract_id: None,
        });
    }
    out
}

fn client(id: &str) -> Client {
    let now = chrono::DateTime::from_timestamp(1_700_000_000, 0).expect("timestamp");
    Client {
        id: id.to_owned(),
        name: id.to_owned(),
        company_name: id.to_owned(),
        industry: "Software".to_owned(),
        tier: Tier::Standard,
        lifecycle_stage: LifecycleStage::Active,
        status: ClientStatus::Active,
        csm_owner: None,
        customer_since: NaiveDate::from_ymd_opt(2023, 1, 1).expect("date"),
        acquisition_cost: None,
        created_at: now,
        updated_at: now,
        version: 1,
    }
}

async fn both_paths_agree(ledgers: Vec<RawLedger>, as_of_offset: i64) {
    let app = spawn_app(Backend::Sqlite).await.expect("app");
    let now = chrono::DateTime::from_timestamp(1_700_000_000, 0).expect("timestamp");
    let mut recorded = Vec::new();
    for (i, raw) in ledgers.iter().enumerate() {
        let id = format!("c{i}");
        db::clients::insert(&app.db, &client(&id)).await.expect("client");
        for event in events_of(&id, raw) {
            recorded.push(
                db::revenue::insert(&app.db, &event, None, None, now)
                    .await
                    .expect("event"),
            );
        }
    }
    let as_of = NaiveDate::from_ymd_opt(2023, 1, 1).expect("date") + Duration::days(as_of_offset);
    let selection = expansion_api::services::revenue::RevenueSelection {
        pipeline: false,
        success_factors: true,
    };
    let report =
        expansion_api::services::revenue::revenue_expansion(&app.db, TimePeriod::Quarterly, selection, 6, as_of)
            .await
            .expect("report");
    let periods = revenue::periods(TimePeriod::Quarterly, 6, as_of).expect("periods");
    for (period, sql_fed) in periods.iter().zip(&report.periods) {
        let mut reference = revenue::movements_of(&period_input_from_ledger(&recorded, period));
        // The SQL path adds snapshot facts for the success factors; these ledgers have none.
        reference.success_factors = sql_fed.success_factors.clone();
        assert_eq!(sql_fed, &reference, "period {}", period.label);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn sql_fed_and_pure_paths_agree_on_random_ledgers(
        ledgers in proptest::collection::vec(
            proptest::collection::vec((0i64..900, -2_000_000i64..3_000_000, 0usize..9), 0..12),
            1..8,
        ),
        as_of_offset in 300i64..1000,
    ) {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        runtime.block_on(both_paths_agree(ledgers, as_of_offset));
    }
}
