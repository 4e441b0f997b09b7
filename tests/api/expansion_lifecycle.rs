//! Persisting detections and moving opportunities: idempotent identify, stages that only move
//! forward, and a won opportunity that moves the ledger and the contract together.
use crate::helpers::*;
use crate::on_both_backends;
use serde_json::{json, Value};

const IDENTIFY: &str = "mutation($client: ID, $asOf: Date) { identifyExpansionOpportunities(clientId: $client, asOf: $asOf) { \
    created updated unchanged opportunities { id client { id } opportunityType value version stage source detectionKey } } }";

const UPDATE: &str = "mutation($id: ID!, $v: Int!, $input: UpdateOpportunityInput!) { updateOpportunity(id: $id, expectedVersion: $v, input: $input) { \
    id stage version value probability closedOn } }";

const CLIENT: &str = "query($id: ID!) { client(id: $id) { arr currentContract { arr seats renewal { targetArr } } \
    revenueEvents { kind category arrDelta } } }";

fn identified(response: &Value) -> &Value {
    let result = &response["data"]["identifyExpansionOpportunities"];
    assert!(result.is_object(), "{response}");
    result
}

async fn update(app: &TestApp, id: &str, version: i64, input: Value) -> Value {
    app.graphql(UPDATE, json!({ "id": id, "v": version, "input": input }))
        .await
}

/// Moves an opportunity from IDENTIFIED to PROPOSED; returns its version.
async fn propose(app: &TestApp, id: &str, version: i64) -> i64 {
    let mut version = version;
    for stage in ["QUALIFIED", "PROPOSED"] {
        let response = update(app, id, version, json!({ "stage": stage })).await;
        assert_eq!(response["data"]["updateOpportunity"]["stage"], stage, "{response}");
        version = response["data"]["updateOpportunity"]["version"]
            .as_i64()
            .expect("version");
    }
    version
}

on_both_backends! {
    async fn identifying_twice_creates_nothing_the_second_time(backend: Backend) {
        let app = spawn_app_with_demo(backend, 60).await.expect("app");
        let first = app.graphql(IDENTIFY, json!({})).await;
        let created = identified(&first)["created"].as_i64().expect("created");
        let stored = identified(&first)["opportunities"].as_array().expect("list").len() as i64;
        assert!(created > 0, "{first}");
        assert_eq!(created, stored);
        assert!(identified(&first)["opportunities"].as_array().expect("list").iter().all(|o| o["source"] == "DETECTED" && o["stage"] == "IDENTIFIED"));
        let count = app.count("opportunity").await;
        let second = app.graphql(IDENTIFY, json!({})).await;
        assert_eq!((identified(&second)["created"].as_i64(), identified(&second)["updated"].as_i64()), (Some(0), Some(0)), "{second}");
        assert_eq!(identified(&second)["unchanged"].as_i64(), Some(stored));
        assert_eq!(app.count("opportunity").await, count);
        let ids = |r: &Value| identified(r)["opportunities"].as_array().expect("list").iter().map(|o| o["id"].clone()).collect::<Vec<_>>();
        assert_eq!(ids(&first), ids(&second));
        let client = identified(&first)["opportunities"][0]["client"]["id"].clone();
        let one = app.graphql(IDENTIFY, json!({ "client": client })).await;
        assert_eq!(identified(&one)["created"].as_i64(), Some(0), "{one}");
        let mine = identified(&one)["opportunities"].as_array().expect("list");
        assert!(!mine.is_empty() && mine.iter().all(|o| o["client"]["id"] == client), "{one}");
    }
}

on_both_backends! {
    async fn a_refresh_never_moves_a_stage_back(backend: Backend) {
        let app = spawn_app_with_demo(backend, 60).await.expect("app");
        let first = app.graphql(IDENTIFY, json!({})).await;
        let opportunities = identified(&first)["opportunities"].as_array().expect("list").clone();
        let target = &opportunities[0];
        let id = target["id"].as_str().expect("id");
        let moved = update(&app, id, 1, json!({ "stage": "QUALIFIED" })).await;
        assert_eq!(moved["data"]["updateOpportunity"]["version"], 2, "{moved}");
        // Two months earlier the same keys carry other numbers: stored ones are refreshed.
        let earlier = (chrono::Utc::now().date_naive() - chrono::Days::new(61)).to_string();
        let again = app.graphql(IDENTIFY, json!({ "asOf": earlier })).await;
        assert!(identified(&again)["updated"].as_i64() > Some(0), "{again}");
        let stored = app.graphql("query($id: ID!) { client(id: $id) { opportunities { id stage } } }", json!({ "id": target["client"]["id"] })).await;
        let stage = stored["data"]["client"]["opportunities"].as_array().expect("list").iter().find(|o| o["id"] == id).map(|o| o["stage"].clone());
        assert_eq!(stage, Some(json!("QUALIFIED")));
    }
}

on_both_backends! {
    async fn a_won_opportunity_moves_arr_by_its_value_and_keeps_the_ledger_equal_to_the_contract(backend: Backend) {
        let app = spawn_app_with_demo(backend, 60).await.expect("app");
        let first = app.graphql(IDENTIFY, json!({})).await;
        let opportunities = identified(&first)["opportunities"].as_array().expect("list").clone();
        let mut booked = 0;
        for kind in ["CROSS_SELL", "USER_EXPANSION", "UPSELL"] {
            let Some(target) = opportunities.iter().find(|o| o["opportunityType"] == kind) else { continue };
            booked += 1;
            let (id, client) = (target["id"].as_str().expect("id"), target["client"]["id"].clone());
            let before = app.graphql(CLIENT, json!({ "id": client })).await["data"]["client"].clone();
            assert_eq!(before["arr"], before["currentContract"]["arr"], "{before}");
            let version = propose(&app, id, target["version"].as_i64().expect("version")).await;
            let (events, items) = (app.count("revenue_event").await, app.count("contract_item").await);
            let won = update(&app, id, version, json!({ "stage": "WON" })).await;
            assert_eq!(won["data"]["updateOpportunity"]["stage"], "WON", "{won}");
            assert_eq!(won["data"]["updateOpportunity"]["probability"], 1.0);
            let after = app.graphql(CLIENT, json!({ "id": client })).await["data"]["client"].clone();
            let value = cents(&target["value"]);
            assert_eq!(cents(&after["arr"]), cents(&before["arr"]) + value, "{kind}");
            assert_eq!(after["arr"], after["currentContract"]["arr"], "{kind}: ledger = contract");
            assert_eq!(cents(&after["currentContract"]["renewal"]["targetArr"]), cents(&before["currentContract"]["renewal"]["targetArr"]) + value);
            let event = after["revenueEvents"].as_array().and_then(|e| e.last()).cloned().expect("event");
            assert_eq!(event, json!({ "kind": "EXPANSION", "category": kind, "arrDelta": target["value"] }));
            assert_eq!((app.count("revenue_event").await, app.count("contract_item").await), (events + 1, items + 1));
            if kind == "USER_EXPANSION" {
                assert!(after["currentContract"]["seats"].as_i64() > before["currentContract"]["seats"].as_i64());
            }
        }
        assert!(booked >= 2, "the demo book detects at least two of the three kinds");
    }
}

const OF_CLIENT: &str = "query($c: ID) { opportunities(first: 100, clientId: $c) { nodes { id version stage value probability closedOn } } }";

/// Sends an update of an opportunity of `client`, expects `code`, and checks nothing changed.
async fn refused_update(app: &TestApp, client: &Value, id: &str, version: i64, input: Value, code: &str) -> Value {
    let (before, opportunities) = (app.snapshot_counts().await, app.count("opportunity").await);
    let stored = app.graphql(OF_CLIENT, json!({ "c": client })).await["data"].clone();
    let response = update(app, id, version, input).await;
    assert_eq!(error_code(&response), code, "{response}");
    assert_eq!(app.snapshot_counts().await, before, "a refused update wrote rows");
    assert_eq!(app.count("opportunity").await, opportunities);
    assert_eq!(
        app.graphql(OF_CLIENT, json!({ "c": client })).await["data"],
        stored,
        "a refused update changed an opportunity"
    );
    response
}

on_both_backends! {
    async fn stale_versions_illegal_moves_and_unbookable_wins_are_refused_without_writes(backend: Backend) {
        let app = spawn_app_with_demo(backend, 60).await.expect("app");
        let churned = app.graphql("{ clients(first: 1, filter: { status: CHURNED }) { nodes { id } } }", json!({})).await;
        let churned = churned["data"]["clients"]["nodes"][0]["id"].clone();
        let active = app.graphql("{ clients(first: 1, filter: { status: ACTIVE }, orderBy: ID_ASC) { nodes { id } } }", json!({})).await;
        let active = active["data"]["clients"]["nodes"][0]["id"].clone();
        let create = "mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id version stage source } }";
        let input = |client: &Value, value: &str| json!({ "clientId": client, "opportunityType": "TRAINING", "productId": "training_admin_academy", "name": "Admin training", "value": value, "probability": 0.5 });
        let free = app.graphql(create, json!({ "input": input(&active, "0") })).await;
        let free = free["data"]["createOpportunity"].clone();
        assert_eq!((free["stage"].as_str(), free["source"].as_str()), (Some("IDENTIFIED"), Some("MANUAL")), "{free}");
        let free_id = free["id"].as_str().expect("id");
        let orphan = app.graphql(create, json!({ "input": input(&churned, "4500") })).await;
        let orphan_id = orphan["data"]["createOpportunity"]["id"].as_str().expect("id").to_owned();

        let skip = refused_update(&app, &active, free_id, 1, json!({ "stage": "WON" }), "BAD_USER_INPUT").await;
        assert_eq!(skip["errors"][0]["extensions"]["field"], "stage");
        let version = propose(&app, free_id, 1).await;
        refused_update(&app, &active, free_id, version - 1, json!({ "stage": "WON" }), "CONFLICT").await;
        refused_update(&app, &active, free_id, version, json!({ "stage": "QUALIFIED" }), "BAD_USER_INPUT").await;
        let zero = refused_update(&app, &active, free_id, version, json!({ "stage": "WON" }), "BAD_USER_INPUT").await;
        assert_eq!(zero["errors"][0]["extensions"]["field"], "value");
        let version = propose(&app, &orphan_id, 1).await;
        refused_update(&app, &churned, &orphan_id, version, json!({ "stage": "WON" }), "CONFLICT").await;
        let lost = update(&app, &orphan_id, version, json!({ "stage": "LOST" })).await;
        assert_eq!(lost["data"]["updateOpportunity"]["stage"], "LOST", "{lost}");
        refused_update(&app, &churned, &orphan_id, version + 1, json!({ "stage": "WON" }), "CONFLICT").await;
        refused_update(&app, &churned, "EXP-999999", 1, json!({ "stage": "LOST" }), "NOT_FOUND").await;
    }
}
