//! 119 `closeRenewal`: outcomes, the next contract and renewal, the ledger invariant, and that a
//! failure at the last write leaves the book unchanged.
use crate::helpers::*;
use crate::negotiation::{negotiate, open_renewal_clients};
use crate::on_both_backends;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{json, Value};

const CLOSE: &str = "mutation($id: ID!, $arr: Money!, $months: Int = 12) { closeRenewal(renewalId: $id, finalArr: $arr, termMonths: $months) { \
    status outcomeArr negotiationsClosed renewal { id status outcomeArr closedAt } \
    revenueEvent { kind category arrDelta occurredOn renewalId contractId } \
    nextContract { id arr startDate endDate contractType status items { arr } } nextRenewal { id status targetArr renewalDate } } }";
const ACCOUNT: &str =
    "query($client: ID!, $on: Date) { client(id: $client) { status arr(asOf: $on) currentContract { id arr } \
    contracts { id status } negotiations { status } } }";

fn money(c: i64) -> String {
    format!("{}.{:02}", c / 100, c % 100)
}

async fn close(app: &TestApp, renewal: &str, final_cents: i64, months: i64) -> Value {
    app.graphql(
        CLOSE,
        json!({ "id": renewal, "arr": money(final_cents), "months": months }),
    )
    .await
}

async fn account(app: &TestApp, client: &str, on: &Value) -> Value {
    app.graphql(ACCOUNT, json!({ "client": client, "on": on })).await["data"]["client"].clone()
}

on_both_backends! {
    async fn closing_renews_into_a_next_contract_and_keeps_the_ledger_equal_to_it(backend: Backend) {
        let app = spawn_app_with_demo(backend, 80).await.expect("app");
        let open = open_renewal_clients(&app).await;
        for ((client, renewal, target), final_cents) in open.iter().take(2).zip([open[0].2 + 123_456, open[1].2 * 4 / 5 + 1]) {
            negotiate(&app, client, "VALUE_REINFORCEMENT").await;
            let response = close(&app, renewal, final_cents, 24).await;
            let closing = &response["data"]["closeRenewal"];
            let expected = if final_cents >= *target { "RENEWED" } else { "DOWNGRADED" };
            assert_eq!(closing["status"], expected, "{response}");
            assert_eq!(closing["renewal"]["status"], expected);
            assert_eq!(closing["negotiationsClosed"], 1);
            let next = &closing["nextContract"];
            assert_eq!(cents(&next["arr"]), final_cents);
            let items: i64 = next["items"].as_array().expect("items").iter().map(|i| cents(&i["arr"])).sum();
            assert_eq!(items, final_cents, "scaled items add up to the cent");
            assert_eq!((&next["contractType"], &next["status"]), (&json!("MULTI_YEAR"), &json!("ACTIVE")));
            assert_eq!(closing["nextRenewal"]["renewalDate"], next["endDate"]);
            assert_eq!(cents(&closing["nextRenewal"]["targetArr"]), final_cents);
            let event = &closing["revenueEvent"];
            assert_eq!(cents(&event["arrDelta"]), final_cents - target);
            assert_eq!(event["category"], "RENEWAL");
            assert_eq!(event["occurredOn"], next["startDate"]);

            let after = account(&app, client, &next["startDate"]).await;
            assert_eq!(after["arr"], after["currentContract"]["arr"], "ledger = active contract: {after}");
            assert_eq!(after["currentContract"]["id"], next["id"]);
            assert_eq!(after["negotiations"], json!([{ "status": "CLOSED" }]));
            let again = close(&app, renewal, final_cents, 12).await;
            assert_eq!(error_code(&again), "CONFLICT");
        }
    }
}

on_both_backends! {
    async fn closing_at_zero_churns_the_client(backend: Backend) {
        let app = spawn_app_with_demo(backend, 60).await.expect("app");
        let (client, renewal, target) = open_renewal_clients(&app).await.remove(0);
        let response = close(&app, &renewal, 0, 12).await;
        let closing = &response["data"]["closeRenewal"];
        assert_eq!(closing["status"], "CHURNED", "{response}");
        assert!(closing["nextContract"].is_null() && closing["nextRenewal"].is_null());
        assert_eq!(closing["revenueEvent"]["kind"], "CHURN");
        assert_eq!(cents(&closing["revenueEvent"]["arrDelta"]), -target);
        let after = account(&app, &client, &closing["revenueEvent"]["occurredOn"]).await;
        assert_eq!((&after["status"], &after["arr"]), (&json!("CHURNED"), &json!("0.00")), "{after}");
        assert!(after["currentContract"].is_null());
        assert!(after["contracts"].as_array().expect("contracts").iter().any(|c| c["status"] == "CHURNED"));
    }
}

/// Takes the id the next renewal would get, so closing fails at its last write.
async fn occupy_next_renewal_id(app: &TestApp, renewal: &str) {
    let backend = app.db.get_database_backend();
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            backend,
            "SELECT next_value FROM id_sequence WHERE name = 'renewal'",
        ))
        .await
        .expect("query")
        .expect("the renewal sequence exists");
    let next: i64 = row.try_get("", "next_value").expect("next_value");
    let sql = "INSERT INTO renewal (id, contract_id, client_id, renewal_date, target_arr_cents, status, outcome_arr_cents, closed_at, created_at) \
        SELECT $1, contract_id, client_id, renewal_date, 0, 'renewed', 0, $2, $3 FROM renewal WHERE id = $4";
    let now = chrono::Utc::now();
    let values = vec![format!("RNW-{next}").into(), now.into(), now.into(), renewal.into()];
    app.db
        .execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .expect("blocker inserted");
}

on_both_backends! {
    async fn a_failure_at_the_last_write_leaves_the_book_unchanged(backend: Backend) {
        let app = spawn_app_with_demo(backend, 60).await.expect("app");
        let (client, renewal, target) = open_renewal_clients(&app).await.remove(0);
        negotiate(&app, &client, "COMPETITIVE_DEFENSE").await;
        occupy_next_renewal_id(&app, &renewal).await;
        let far = json!("2099-12-31");
        let before = (app.snapshot_counts().await, account(&app, &client, &far).await);

        let response = close(&app, &renewal, target + 10_000, 12).await;
        assert_eq!(error_code(&response), "CONFLICT", "{response}");
        assert_eq!((app.snapshot_counts().await, account(&app, &client, &far).await), before, "nothing changed");
        let renewal_now = app.graphql("query($c: ID!) { client(id: $c) { renewals(status: OPEN) { id } } }", json!({ "c": client })).await;
        assert_eq!(renewal_now["data"]["client"]["renewals"], json!([{ "id": renewal }]));
        assert_eq!(before.1["negotiations"], json!([{ "status": "OPEN" }]));
    }
}

on_both_backends! {
    async fn bad_closings_are_refused_without_writes(backend: Backend) {
        let app = spawn_app_with_demo(backend, 40).await.expect("app");
        let (_, renewal, _) = open_renewal_clients(&app).await.remove(0);
        let before = app.snapshot_counts().await;
        assert_eq!(error_code(&close(&app, "RNW-999999", 100, 12).await), "NOT_FOUND");
        assert_eq!(error_code(&close(&app, &renewal, 100, 0).await), "BAD_USER_INPUT");
        assert_eq!(error_code(&close(&app, &renewal, 100, 61).await), "BAD_USER_INPUT");
        let negative = app.graphql(CLOSE, json!({ "id": renewal, "arr": "-1.00" })).await;
        assert_eq!(error_code(&negative), "BAD_USER_INPUT");
        assert_eq!(app.snapshot_counts().await, before);
    }
}
