//! 119 negotiations over the demo book: the stored package read back, the guardrail on offers,
//! and refused inputs that write nothing.
use crate::helpers::*;
use crate::on_both_backends;
use serde_json::{json, Value};

pub const NEGOTIATE: &str = "mutation($client: ID!, $strategy: NegotiationStrategy = VALUE_REINFORCEMENT) { negotiateRenewal(clientId: $client, negotiationStrategy: $strategy) { \
    id status strategy package { strategy renewalProbability currentContract { id arr } \
    proposal { uplift baseRenewal expansionValue totalProposedArr expansionOptions { key value probability } } \
    termOptions { months discount annualArr totalContractValue withinGuardrails } valueProposition { topic statement } \
    riskSignals { signal } guardrails { maxDiscount totalProposedArr minimumAcceptableArr atRisk } talkingPoints } } }";
const OFFER: &str = "mutation($id: ID!, $arr: Money!) { recordNegotiationOffer(negotiationId: $id, arr: $arr, termMonths: 12) { id arr discount approvedBy } }";

/// (client id, renewal id, target ARR in cents) of open renewals, earliest first.
pub async fn open_renewal_clients(app: &TestApp) -> Vec<(String, String, i64)> {
    let response = app
        .graphql(
            "{ renewals(daysUntilRenewal: 730) { renewals { clientId renewalId currentArr } } }",
            json!({}),
        )
        .await;
    response["data"]["renewals"]["renewals"]
        .as_array()
        .unwrap_or_else(|| panic!("{response}"))
        .iter()
        .map(|r| {
            (
                r["clientId"].as_str().expect("id").to_owned(),
                r["renewalId"].as_str().expect("id").to_owned(),
                cents(&r["currentArr"]),
            )
        })
        .collect()
}

/// Negotiates for `client` and returns the negotiation.
pub async fn negotiate(app: &TestApp, client: &str, strategy: &str) -> Value {
    let response = app
        .graphql(NEGOTIATE, json!({ "client": client, "strategy": strategy }))
        .await;
    assert!(response["errors"].is_null(), "{response}");
    response["data"]["negotiateRenewal"].clone()
}

on_both_backends! {
    async fn a_negotiation_stores_its_package_and_reads_it_back(backend: Backend) {
        let app = spawn_app_with_demo(backend, 80).await.expect("app");
        let (client, _, target) = open_renewal_clients(&app).await.remove(0);
        let negotiation = negotiate(&app, &client, "EXPANSION_BUNDLE").await;
        assert!(negotiation["id"].as_str().is_some_and(|id| id.starts_with("NEG-")));
        assert_eq!((&negotiation["status"], &negotiation["strategy"]), (&json!("OPEN"), &json!("EXPANSION_BUNDLE")));
        let package = &negotiation["package"];
        let proposal = &package["proposal"];
        assert_eq!(cents(&package["currentContract"]["arr"]), target);
        assert_eq!(cents(&proposal["baseRenewal"]), target, "no uplift for EXPANSION_BUNDLE");
        assert_eq!(cents(&proposal["totalProposedArr"]), cents(&proposal["baseRenewal"]) + cents(&proposal["expansionValue"]));
        let guardrails = &package["guardrails"];
        let floor = (cents(&proposal["totalProposedArr"]) as f64 * (1.0 - guardrails["maxDiscount"].as_f64().expect("d"))).round() as i64;
        assert_eq!(cents(&guardrails["minimumAcceptableArr"]), floor);
        assert_eq!(package["termOptions"].as_array().map(Vec::len), Some(3));
        assert!(!package["talkingPoints"].as_array().expect("points").is_empty());

        let read = "query($id: ID!, $client: ID!) { negotiation(id: $id) { id status package { proposal { totalProposedArr } guardrails { minimumAcceptableArr } talkingPoints } } \
            client(id: $client) { negotiations { id strategy } } }";
        let back = app.graphql(read, json!({ "id": negotiation["id"], "client": client })).await;
        assert_eq!(back["data"]["negotiation"]["package"]["talkingPoints"], package["talkingPoints"], "{back}");
        assert_eq!(back["data"]["negotiation"]["package"]["guardrails"]["minimumAcceptableArr"], guardrails["minimumAcceptableArr"]);
        assert_eq!(back["data"]["client"]["negotiations"], json!([{ "id": negotiation["id"], "strategy": "EXPANSION_BUNDLE" }]));
        assert_eq!(app.count("negotiation").await, 1);
    }
}

on_both_backends! {
    async fn an_offer_below_the_floor_needs_an_admin_token_and_a_refusal_writes_nothing(backend: Backend) {
        let app = spawn_app_with_demo(backend, 80).await.expect("app");
        let (client, _, _) = open_renewal_clients(&app).await.remove(0);
        let negotiation = negotiate(&app, &client, "VALUE_REINFORCEMENT").await;
        let id = negotiation["id"].clone();
        let floor = cents(&negotiation["package"]["guardrails"]["minimumAcceptableArr"]);
        let money = |c: i64| format!("{}.{:02}", c / 100, c % 100);

        let (csm, admin) = (app.create_token("casey-csm", "CSM").await, app.create_token("avery-admin", "ADMIN").await);
        let before = app.snapshot_counts().await;
        let refused = app.graphql_as(&csm, OFFER, json!({ "id": id, "arr": money(floor - 1) })).await;
        assert_eq!(error_code(&refused), "GUARDRAIL_VIOLATION", "{refused}");
        assert_eq!(app.snapshot_counts().await, before, "refused offers wrote nothing");

        let at_floor = app.graphql_as(&csm, OFFER, json!({ "id": id, "arr": money(floor) })).await;
        assert_eq!(cents(&at_floor["data"]["recordNegotiationOffer"]["arr"]), floor, "{at_floor}");
        assert!(at_floor["data"]["recordNegotiationOffer"]["approvedBy"].is_null());
        let approved = app.graphql_as(&admin, OFFER, json!({ "id": id, "arr": money(floor / 2) })).await;
        let offer = &approved["data"]["recordNegotiationOffer"];
        assert_eq!(offer["approvedBy"], "avery-admin", "{approved}");
        let total = cents(&negotiation["package"]["guardrails"]["totalProposedArr"]) as f64;
        let discount = ((1.0 - (floor / 2) as f64 / total) * 10_000.0).round() / 10_000.0;
        assert_eq!(offer["discount"].as_f64(), Some(discount));
        let offers = app.graphql_as(&csm, "query($id: ID!) { negotiation(id: $id) { offers { arr } } }", json!({ "id": id })).await;
        assert_eq!(offers["data"]["negotiation"]["offers"].as_array().map(Vec::len), Some(2));
    }
}

on_both_backends! {
    async fn unknown_strategies_and_clients_without_an_open_renewal_are_refused(backend: Backend) {
        let app = spawn_app_with_demo(backend, 60).await.expect("app");
        let before = app.snapshot_counts().await;
        let (client, _, _) = open_renewal_clients(&app).await.remove(0);
        let unknown = app.graphql("mutation($c: ID!) { negotiateRenewal(clientId: $c, negotiationStrategy: HARDBALL) { id } }", json!({ "c": client })).await;
        assert_eq!(error_code(&unknown), "BAD_USER_INPUT", "{unknown}");

        let churned = app.graphql("{ clients(first: 1, filter: { status: CHURNED }) { nodes { id } } }", json!({})).await;
        let churned = churned["data"]["clients"]["nodes"][0]["id"].clone();
        assert!(churned.is_string(), "the demo book has churned clients");
        let response = app.graphql(NEGOTIATE, json!({ "client": churned })).await;
        assert_eq!(error_code(&response), "NOT_FOUND", "{response}");
        assert!(response["errors"][0]["message"].as_str().is_some_and(|m| m.contains("open renewal")));
        let response = app.graphql(NEGOTIATE, json!({ "client": "nobody" })).await;
        assert_eq!(error_code(&response), "NOT_FOUND");
        let response = app.graphql(OFFER, json!({ "id": "NEG-999", "arr": "1.00" })).await;
        assert_eq!(error_code(&response), "NOT_FOUND");
        assert_eq!(app.snapshot_counts().await, before);
    }
}

on_both_backends! {
    async fn expansion_options_include_what_is_detected_now(backend: Backend) {
        let app = spawn_app_with_demo(backend, 60).await.expect("app");
        let pipeline = app
            .graphql(
                "{ expansionOpportunities { clients { clientId opportunities { detected detectionKey opportunityId } } } \
                   clients(first: 100, filter: { renewalBefore: \"2999-01-01\", status: ACTIVE }) { nodes { id } } }",
                serde_json::json!({}),
            )
            .await;
        let renewing: Vec<&str> =
            pipeline["data"]["clients"]["nodes"].as_array().expect("nodes").iter().filter_map(|n| n["id"].as_str()).collect();
        let (client, keys) = pipeline["data"]["expansionOpportunities"]["clients"]
            .as_array()
            .expect("clients")
            .iter()
            .find_map(|c| {
                let id = c["clientId"].as_str()?;
                let keys: Vec<String> = c["opportunities"]
                    .as_array()?
                    .iter()
                    .filter(|o| o["detected"] == true && o["opportunityId"].is_null())
                    .filter_map(|o| o["detectionKey"].as_str().map(str::to_owned))
                    .collect();
                (renewing.contains(&id) && !keys.is_empty()).then(|| (id.to_owned(), keys))
            })
            .expect("a renewing client with detected, unstored opportunities");
        let negotiation = app
            .graphql(
                "mutation($c: ID!) { negotiateRenewal(clientId: $c, negotiationStrategy: EXPANSION_BUNDLE) { package { proposal { expansionOptions { key source } } } } }",
                serde_json::json!({ "c": client }),
            )
            .await;
        let options = negotiation["data"]["negotiateRenewal"]["package"]["proposal"]["expansionOptions"]
            .as_array()
            .unwrap_or_else(|| panic!("{negotiation}"))
            .clone();
        for key in keys {
            assert!(options.iter().any(|o| o["key"] == key.as_str() && o["source"] == "DETECTED"), "{key} in {options:?}");
        }
    }
}
