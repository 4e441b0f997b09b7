//! 117 `renewals` over the demo book: the window, day counts, reminder dates, buckets, and the
//! probabilities shared with 118.
use crate::helpers::*;
use crate::on_both_backends;
use serde_json::{json, Value};
use std::collections::BTreeSet;

const TRACK: &str = "query($days: Int = 90) { renewals(daysUntilRenewal: $days) { asOf windowEnd \
    renewals { renewalId clientId renewalDate daysUntilRenewal currentArr renewalProbability riskLevel autoRenew \
      reminders { offsetDays dueDate dueInDays status } keyStakeholders { role isPrimary } } \
    overdue { renewalId daysUntilRenewal } \
    summary { totalRenewalsTracked totalArrUpForRenewal arrAtRisk expectedArr autoRenewEnabled manualRenewalRequired overdueCount \
      byTimeframe { within30 { count arr } within60 { count arr } within90 { count arr } beyond90 { count arr } } } } }";

/// Every open renewal of the book: (id, date).
async fn open_renewals(app: &TestApp) -> Vec<(String, chrono::NaiveDate)> {
    let query = "{ clients(first: 100) { nodes { renewals(status: OPEN) { id renewalDate } } } }";
    let response = app.graphql(query, json!({})).await;
    let nodes = response["data"]["clients"]["nodes"].as_array().expect("nodes");
    nodes
        .iter()
        .flat_map(|n| n["renewals"].as_array().expect("renewals").clone())
        .map(|r| (r["id"].as_str().expect("id").to_owned(), date(&r["renewalDate"])))
        .collect()
}

fn items(tracking: &Value, list: &str) -> Vec<Value> {
    tracking[list].as_array().expect("list").clone()
}

on_both_backends! {
    async fn every_open_renewal_in_the_window_is_tracked_with_its_exact_day_count(backend: Backend) {
        let app = spawn_app_with_demo(backend, 90).await.expect("app");
        let response = app.graphql(TRACK, json!({ "days": 90 })).await;
        let tracking = &response["data"]["renewals"];
        let as_of = date(&tracking["asOf"]);
        assert_eq!(date(&tracking["windowEnd"]), as_of + chrono::Days::new(90), "{response}");

        let tracked = items(tracking, "renewals");
        assert!(!tracked.is_empty(), "the demo book renews within 90 days");
        for item in &tracked {
            let days = (date(&item["renewalDate"]) - as_of).num_days();
            assert_eq!(item["daysUntilRenewal"], json!(days), "{item}");
            assert!((0..=90).contains(&days), "{item}");
        }
        for item in items(tracking, "overdue") {
            assert!(item["daysUntilRenewal"].as_i64().expect("days") < 0, "{item}");
        }
        let expected: BTreeSet<String> = open_renewals(&app)
            .await
            .into_iter()
            .filter(|(_, d)| *d >= as_of && *d <= as_of + chrono::Days::new(90))
            .map(|(id, _)| id)
            .collect();
        let got: BTreeSet<String> = tracked.iter().map(|i| i["renewalId"].as_str().expect("id").to_owned()).collect();
        assert_eq!(got, expected);
        let dates: Vec<_> = tracked.iter().map(|i| date(&i["renewalDate"])).collect();
        assert!(dates.windows(2).all(|w| w[0] <= w[1]), "ordered by date");
    }
}

on_both_backends! {
    async fn reminders_fall_due_their_offset_before_the_renewal(backend: Backend) {
        let app = spawn_app_with_demo(backend, 60).await.expect("app");
        let response = app.graphql(TRACK, json!({ "days": 200 })).await;
        let tracking = &response["data"]["renewals"];
        let as_of = date(&tracking["asOf"]);
        for item in items(tracking, "renewals") {
            let renewal_date = date(&item["renewalDate"]);
            let offsets: Vec<i64> = item["reminders"].as_array().expect("reminders").iter().map(|r| r["offsetDays"].as_i64().expect("offset")).collect();
            assert_eq!(offsets, vec![90, 60, 30]);
            let reminders = item["reminders"].as_array().expect("reminders");
            // The newest reminder already due is the current task; the demo's team worked the
            // earlier ones (completed or skipped); the ones ahead are scheduled.
            let current = reminders.iter().rposition(|r| date(&r["dueDate"]) <= as_of);
            for (i, reminder) in reminders.iter().enumerate() {
                let offset = reminder["offsetDays"].as_u64().expect("offset");
                let due = date(&reminder["dueDate"]);
                assert_eq!(due, renewal_date - chrono::Days::new(offset), "{item}");
                assert_eq!(reminder["dueInDays"], json!((due - as_of).num_days()));
                let status = reminder["status"].as_str().expect("status");
                match current {
                    Some(c) if i < c => assert!(status == "COMPLETED" || status == "SKIPPED", "{reminder}"),
                    Some(c) if i == c => assert_eq!(status, "DUE", "{reminder}"),
                    _ => assert_eq!(status, "SCHEDULED", "{reminder}"),
                }
            }
        }
    }
}

on_both_backends! {
    async fn timeframe_buckets_partition_the_tracked_renewals(backend: Backend) {
        let app = spawn_app_with_demo(backend, 90).await.expect("app");
        let response = app.graphql(TRACK, json!({ "days": 180 })).await;
        let tracking = &response["data"]["renewals"];
        let summary = &tracking["summary"];
        let tracked = items(tracking, "renewals");
        let buckets = ["within30", "within60", "within90", "beyond90"];
        let bucket_of = |days: i64| match days { ..=30 => 0, 31..=60 => 1, 61..=90 => 2, _ => 3 };
        let (mut counts, mut arr) = ([0i64; 4], [0i64; 4]);
        for item in &tracked {
            let b = bucket_of(item["daysUntilRenewal"].as_i64().expect("days"));
            counts[b] += 1;
            arr[b] += cents(&item["currentArr"]);
        }
        for (i, name) in buckets.iter().enumerate() {
            assert_eq!(summary["byTimeframe"][name]["count"], json!(counts[i]), "{name}");
            assert_eq!(cents(&summary["byTimeframe"][name]["arr"]), arr[i], "{name}");
        }
        assert_eq!(summary["totalRenewalsTracked"], json!(tracked.len()));
        assert_eq!(counts.iter().sum::<i64>(), tracked.len() as i64);
        assert_eq!(arr.iter().sum::<i64>(), cents(&summary["totalArrUpForRenewal"]));
        let expected: i64 = tracked.iter().map(|i| (cents(&i["currentArr"]) as f64 * i["renewalProbability"].as_f64().expect("p")).round() as i64).sum();
        assert_eq!(cents(&summary["expectedArr"]), expected);
        let at_risk: i64 = tracked.iter().filter(|i| i["renewalProbability"].as_f64().expect("p") < 0.60).map(|i| cents(&i["currentArr"])).sum();
        assert_eq!(cents(&summary["arrAtRisk"]), at_risk);
        let auto = tracked.iter().filter(|i| i["autoRenew"] == true).count();
        assert_eq!(summary["autoRenewEnabled"], json!(auto));
        assert_eq!(summary["manualRenewalRequired"], json!(tracked.len() - auto));
        assert_eq!(summary["overdueCount"], json!(items(tracking, "overdue").len()));
    }
}

on_both_backends! {
    async fn the_client_field_and_the_tracked_renewal_share_the_118_probability(backend: Backend) {
        let app = spawn_app_with_demo(backend, 60).await.expect("app");
        let response = app.graphql(TRACK, json!({ "days": 365 })).await;
        let tracked = items(&response["data"]["renewals"], "renewals");
        let item = tracked.first().expect("a renewal");
        let client_id = item["clientId"].as_str().expect("client");
        let query = "query($id: ID!) { client(id: $id) { renewalProbability } renewals(clientId: $id, daysUntilRenewal: 365) { renewals { clientId renewalProbability } } }";
        let one = app.graphql(query, json!({ "id": client_id })).await;
        assert_eq!(one["data"]["client"]["renewalProbability"], item["renewalProbability"], "{one}");
        let own = one["data"]["renewals"]["renewals"].as_array().expect("renewals");
        assert!(own.iter().all(|r| r["clientId"] == client_id), "narrowed to the client");
        assert_eq!(own[0]["renewalProbability"], item["renewalProbability"], "the model is trained on the whole book");
    }
}

on_both_backends! {
    async fn windows_outside_one_to_730_days_are_refused(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        for days in [0, 1000] {
            let response = app.graphql(TRACK, json!({ "days": days })).await;
            assert_eq!(error_code(&response), "BAD_USER_INPUT", "{response}");
            assert_eq!(response["errors"][0]["extensions"]["field"], "daysUntilRenewal");
            assert_eq!(response["errors"][0]["extensions"]["allowed"], "1–730");
        }
        let response = app.graphql("{ renewals(clientId: \"nobody\") { asOf } }", json!({})).await;
        assert_eq!(error_code(&response), "NOT_FOUND");
    }
}

on_both_backends! {
    async fn overdue_renewals_page_with_their_own_cursor_and_the_summary_counts_all_of_them(backend: Backend) {
        let app = spawn_app_with_demo(backend, 300).await.expect("app");
        // Far enough ahead that many renewals have passed unrenewed.
        let as_of = (chrono::Utc::now().date_naive() + chrono::Days::new(200)).to_string();
        let query = "query($asOf: Date, $n: Int, $after: String) { renewals(asOf: $asOf, overdueFirst: $n, overdueAfter: $after) { \
            overdue { renewalId } overduePage { totalCount pageInfo { hasNextPage endCursor } } summary { overdueCount } } }";
        let all = app.graphql(query, json!({ "asOf": as_of, "n": 1000 })).await;
        let every: Vec<Value> = all["data"]["renewals"]["overdue"].as_array().unwrap_or_else(|| panic!("{all}")).clone();
        assert!(every.len() > 3, "{all}");
        assert_eq!(all["data"]["renewals"]["overduePage"]["totalCount"], json!(every.len()));
        assert_eq!(all["data"]["renewals"]["summary"]["overdueCount"], json!(every.len()));

        let (mut walked, mut after) = (Vec::new(), Value::Null);
        loop {
            let page = app.graphql(query, json!({ "asOf": as_of, "n": 2, "after": after })).await;
            let tracking = &page["data"]["renewals"];
            assert_eq!(tracking["summary"]["overdueCount"], json!(every.len()), "the summary covers every overdue renewal");
            assert_eq!(tracking["overduePage"]["totalCount"], json!(every.len()));
            let items = tracking["overdue"].as_array().unwrap_or_else(|| panic!("{page}"));
            assert!(items.len() <= 2);
            walked.extend(items.iter().cloned());
            if tracking["overduePage"]["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = tracking["overduePage"]["pageInfo"]["endCursor"].clone();
        }
        assert_eq!(walked, every, "the pages walk the whole list in order");

        let default = app.graphql(query, json!({ "asOf": as_of })).await;
        let shown = default["data"]["renewals"]["overdue"].as_array().expect("overdue").len();
        assert_eq!(shown, every.len().min(100));
        for bad in [0, 1001] {
            let refused = app.graphql(query, json!({ "asOf": as_of, "n": bad })).await;
            assert_eq!(error_code(&refused), "BAD_USER_INPUT", "{refused}");
        }
    }
}
