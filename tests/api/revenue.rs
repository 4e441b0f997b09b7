//! 120 and 121 over HTTP on demo data: the reported figures equal a recomputation from the ledger
//! read through the API; bad inputs are refused.
use crate::helpers::*;
use crate::on_both_backends;
use chrono::{Datelike, NaiveDate};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const REPORT: &str = "query($asOf: Date!) { revenueExpansion(timePeriod: QUARTERLY, periods: 4, asOf: $asOf) { \
    periods { label start end complete cohortClients retainedClients startingArr expansionArr contractionArr churnedArr \
              newArr endingArr netRevenueRetention grossRevenueRetention logoRetention expansionRate } \
    pipeline { openOpportunities totalValue } } }";

/// Every ledger event through the `revenueEvents` connection: client → [(date, cents)].
async fn ledger(app: &TestApp) -> BTreeMap<String, Vec<(NaiveDate, i64)>> {
    let query =
        "query($after: String) { revenueEvents(first: 100, after: $after) { pageInfo { hasNextPage endCursor } \
                 nodes { occurredOn arrDelta client { id } } } }";
    let (mut after, mut out) = (Value::Null, BTreeMap::<String, Vec<(NaiveDate, i64)>>::new());
    loop {
        let response = app.graphql(query, json!({ "after": after })).await;
        let page = &response["data"]["revenueEvents"];
        for node in page["nodes"].as_array().unwrap_or_else(|| panic!("{response}")) {
            let client = node["client"]["id"].as_str().expect("client id").to_owned();
            out.entry(client)
                .or_default()
                .push((date(&node["occurredOn"]), cents(&node["arrDelta"])));
        }
        if page["pageInfo"]["hasNextPage"] != true {
            return out;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

fn arr_on(events: &[(NaiveDate, i64)], on: NaiveDate) -> i64 {
    events.iter().filter(|(d, _)| *d <= on).map(|(_, c)| c).sum()
}

fn rate(numerator: i64, denominator: i64) -> Value {
    if denominator == 0 {
        return Value::Null;
    }
    json!(((numerator as f64 / denominator as f64) * 10_000.0).round() / 10_000.0)
}

on_both_backends! {
    async fn reported_figures_equal_a_recomputation_from_the_ledger(backend: Backend) {
        let app = spawn_app_with_demo(backend, 80).await.expect("app");
        let today = chrono::Utc::now().date_naive();
        let response = app.graphql(REPORT, json!({ "asOf": today.to_string() })).await;
        let periods = response["data"]["revenueExpansion"]["periods"].as_array().unwrap_or_else(|| panic!("{response}")).clone();
        assert_eq!(periods.len(), 4);
        assert_eq!(periods[3]["complete"], json!(today.succ_opt().is_some_and(|d| d.month0() % 3 == 0 && d.day() == 1)));
        let events = ledger(&app).await;
        for period in &periods {
            let (start, end) = (date(&period["start"]), date(&period["end"]));
            let before = start.pred_opt().expect("day before");
            let (mut starting, mut expansion, mut contraction, mut churned, mut new, mut ending) = (0, 0, 0, 0, 0, 0);
            let (mut cohort, mut retained) = (0, 0);
            for client_events in events.values() {
                let (a, b) = (arr_on(client_events, before), arr_on(client_events, end));
                ending += b;
                if a <= 0 {
                    new += b;
                    continue;
                }
                cohort += 1;
                starting += a;
                if b == 0 {
                    churned += a;
                } else {
                    retained += 1;
                    expansion += (b - a).max(0);
                    contraction += (a - b).max(0);
                }
            }
            let label = &period["label"];
            assert_eq!(period["cohortClients"], cohort, "{label}");
            assert_eq!(period["retainedClients"], retained, "{label}");
            for (field, expected) in [("startingArr", starting), ("expansionArr", expansion), ("contractionArr", contraction),
                                      ("churnedArr", churned), ("newArr", new), ("endingArr", ending)] {
                assert_eq!(cents(&period[field]), expected, "{label} {field}");
            }
            let cohort_end = starting - churned - contraction + expansion;
            assert_eq!(period["netRevenueRetention"], rate(cohort_end, starting), "{label}");
            assert_eq!(period["grossRevenueRetention"], rate(starting - contraction - churned, starting), "{label}");
            assert_eq!(period["expansionRate"], rate(expansion, starting), "{label}");
            assert_eq!(period["logoRetention"], rate(retained, cohort), "{label}");
        }
        assert!(response["data"]["revenueExpansion"]["pipeline"]["openOpportunities"].as_u64().is_some_and(|n| n > 0));
    }
}

on_both_backends! {
    async fn bad_report_inputs_are_refused_with_their_codes(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        for periods in [0, 25] {
            let response = app.graphql(&format!("{{ revenueExpansion(periods: {periods}) {{ periods {{ label }} }} }}"), json!({})).await;
            assert_eq!(error_code(&response), "BAD_USER_INPUT", "{response}");
            assert_eq!(response["errors"][0]["extensions"]["allowed"], "1–24");
        }
        let response = app.graphql("{ revenueExpansion(timePeriod: WEEKLY) { periods { label } } }", json!({})).await;
        assert_eq!(error_code(&response), "BAD_USER_INPUT");
        let response = app.graphql("{ customerLifetimeValue(clientId: \"nobody\") { customerLifetimeValue } }", json!({})).await;
        assert_eq!(error_code(&response), "NOT_FOUND");
    }
}

on_both_backends! {
    async fn lifetime_value_reports_three_strategies_when_balanced(backend: Backend) {
        let app = spawn_app_with_demo(backend, 80).await.expect("app");
        let query = "query($focus: OptimizationFocus!) { customerLifetimeValue(optimizationFocus: $focus) { customerLifetimeValue \
                     ltvCacRatio retentionSource parameters { grossMargin horizonYears discountRate } \
                     strategies { strategy clvImpact } roadmap { step action } targetClv } }";
        let balanced = app.graphql(query, json!({ "focus": "BALANCED" })).await;
        let value = &balanced["data"]["customerLifetimeValue"];
        assert!(value["customerLifetimeValue"].is_string(), "{balanced}");
        assert_eq!(value["strategies"].as_array().map(Vec::len), Some(3));
        assert_eq!(value["parameters"], json!({ "grossMargin": 0.8, "horizonYears": 10, "discountRate": 0.1 }));
        assert_eq!(value["retentionSource"], "PORTFOLIO_GRR");
        let retention = app.graphql(query, json!({ "focus": "RETENTION" })).await;
        let strategies = retention["data"]["customerLifetimeValue"]["strategies"].as_array().expect("strategies").clone();
        assert_eq!(strategies.len(), 1);
        assert_eq!(strategies[0]["strategy"], "IMPROVE_RETENTION");
    }
}

on_both_backends! {
    async fn client_lifetime_value_is_batched_across_a_page(backend: Backend) {
        let app = spawn_app_with_demo(backend, 60).await.expect("app");
        let query = "query($n: Int!) { clients(first: $n, filter: { status: ACTIVE }) { nodes { arr lifetimeValue { arpa customerLifetimeValue } } } }";
        let mut counts = Vec::new();
        for n in [5, 40] {
            let before = app.sql_statements.get();
            let response = app.graphql(query, json!({ "n": n })).await;
            counts.push(app.sql_statements.get() - before);
            for node in response["data"]["clients"]["nodes"].as_array().unwrap_or_else(|| panic!("{response}")) {
                assert_eq!(node["lifetimeValue"]["arpa"], node["arr"]);
            }
        }
        assert_eq!(counts[0], counts[1], "statements for 5 and 40 clients");
    }
}

on_both_backends! {
    async fn success_factors_are_read_only_when_selected_and_change_no_other_figure(backend: Backend) {
        // Without `successFactors` the report reads no snapshots (two statements fewer); asked
        // next with them — directly or through a fragment — it must not be served the cached
        // answer that lacks them, and every other figure is the same.
        let app = spawn_app_with_demo(backend, 24).await.expect("app");
        let figures = "label startingArr endingArr netRevenueRetention grossRevenueRetention logoRetention expansionRate";
        let factors = "successFactors { health { correlation sampleSize meanWhenExpanded meanOtherwise } \
                       seatUtilization { sampleSize } adoption { sampleSize } }";
        // `selection` of each period, then any fragment definitions; the answer and its statements.
        let ask = |selection: String, fragments: &'static str| {
            let app = &app;
            async move {
                let before = app.sql_statements.get();
                let query = format!("{{ revenueExpansion(periods: 4, asOf: \"2026-06-30\") {{ periods {{ {selection} }} }} }} {fragments}");
                let response = app.graphql(&query, json!({})).await;
                assert!(response["errors"].is_null(), "{response}");
                (response["data"]["revenueExpansion"]["periods"].clone(), app.sql_statements.get() - before)
            }
        };
        let (without, lean) = ask(figures.to_owned(), "").await;
        let (with, full) = ask(format!("{figures} {factors}"), "").await;
        assert_eq!(full, lean + 2, "the success factors cost the two snapshot reads");
        const FRAGMENT: &str = "fragment F on RevenuePeriod { successFactors { health { correlation sampleSize \
                                meanWhenExpanded meanOtherwise } seatUtilization { sampleSize } adoption { sampleSize } } }";
        let (through_fragment, _) = ask(format!("{figures} ...F"), FRAGMENT).await;
        assert_eq!(through_fragment, with, "a fragment selects them too");
        let periods = with.as_array().expect("periods");
        assert_eq!(periods.len(), 4);
        assert!(
            periods.iter().any(|p| p["successFactors"]["health"]["sampleSize"].as_u64().is_some_and(|n| n > 0)),
            "the factors are read: {with}"
        );
        for (lean, full) in without.as_array().expect("periods").iter().zip(periods) {
            for (field, value) in lean.as_object().expect("period") {
                assert_eq!(&full[field], value, "{field}");
            }
        }
    }
}
