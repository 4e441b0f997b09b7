//! Ingestion mutations: what they write, and that every refused one writes nothing.
use crate::helpers::*;
use crate::on_both_backends;
use serde_json::{json, Value};

const CREATE_CLIENT: &str = "mutation($input: CreateClientInput!) { createClient(input: $input) { id version tier } }";
const CREATE_PRODUCT: &str = "mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }";
pub const CREATE_CONTRACT: &str =
    "mutation($input: CreateContractInput!) { createContract(input: $input) { id arr renewal { id targetArr renewalDate } } }";

fn client_input() -> Value {
    json!({ "id": "acme", "name": "Acme Corp", "industry": "Software", "tier": "PROFESSIONAL", "customerSince": "2025-01-01" })
}

pub fn contract_input() -> Value {
    json!({
        "clientId": "acme", "contractType": "ANNUAL", "startDate": "2025-01-01", "endDate": "2025-12-31", "seats": 10,
        "items": [{ "productId": "tier_professional", "quantity": 10, "arr": "7200.00" }, { "productId": "api", "quantity": 1, "arr": 1500.5 }]
    })
}

/// A client `acme` with the products its contract needs.
pub async fn book_with_client(app: &TestApp) {
    let tier = json!({ "id": "tier_professional", "name": "Professional", "family": "platform", "kind": "TIER", "tierRank": 3, "pricing": "PER_SEAT", "annualPrice": "720" });
    let api = json!({ "id": "api", "name": "API Suite", "family": "integrations", "kind": "ADDON", "pricing": "FLAT", "annualPrice": "1500.50" });
    for product in [tier, api] {
        let response = app.graphql(CREATE_PRODUCT, json!({ "input": product })).await;
        assert!(response["errors"].is_null(), "{response}");
    }
    let response = app.graphql(CREATE_CLIENT, json!({ "input": client_input() })).await;
    assert!(response["errors"].is_null(), "{response}");
}

/// Runs `mutation`, expects `code`, and checks no table changed.
async fn refused_without_writes(app: &TestApp, mutation: &str, variables: Value, code: &str) -> Value {
    let before = app.snapshot_counts().await;
    let response = app.graphql(mutation, variables).await;
    assert_eq!(error_code(&response), code, "{response}");
    assert_eq!(app.snapshot_counts().await, before, "a refused mutation wrote rows");
    response
}

on_both_backends! {
    async fn first_contract_writes_items_renewal_and_new_ledger_event(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        book_with_client(&app).await;
        let response = app.graphql(CREATE_CONTRACT, json!({ "input": contract_input() })).await;
        let contract = &response["data"]["createContract"];
        assert_eq!(contract["arr"], "8700.50", "{response}");
        assert_eq!(contract["renewal"]["targetArr"], "8700.50");
        assert_eq!(contract["renewal"]["renewalDate"], "2025-12-31");
        let ledger = app.graphql("{ client(id: \"acme\") { arr(asOf: \"2025-06-01\") before: arr(asOf: \"2024-12-31\") revenueEvents { kind arrDelta occurredOn } } }", json!({})).await;
        let client = &ledger["data"]["client"];
        assert_eq!(client["arr"], "8700.50");
        assert_eq!(client["before"], "0.00");
        assert_eq!(client["revenueEvents"], json!([{ "kind": "NEW", "arrDelta": "8700.50", "occurredOn": "2025-01-01" }]));
    }
}

on_both_backends! {
    async fn generated_client_ids_are_unique_slugs(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let input = json!({ "name": "Ünïted Widgets, Inc.", "industry": "Retail", "tier": "STARTER", "customerSince": "2024-03-01" });
        let first = app.graphql(CREATE_CLIENT, json!({ "input": input })).await;
        let second = app.graphql(CREATE_CLIENT, json!({ "input": input })).await;
        let (a, b) = (first["data"]["createClient"]["id"].as_str().expect("id"), second["data"]["createClient"]["id"].as_str().expect("id"));
        assert!(a.starts_with("cs_") && a.ends_with("_n_ted_widgets_inc"), "{a}");
        assert_ne!(a, b);
        assert!(b.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'), "{b}");
    }
}

on_both_backends! {
    async fn update_with_the_current_version_bumps_it(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        book_with_client(&app).await;
        let response = app.graphql("mutation { updateClient(id: \"acme\", expectedVersion: 1, input: { tier: ENTERPRISE }) { version tier } }", json!({})).await;
        assert_eq!(response["data"]["updateClient"], json!({ "version": 2, "tier": "ENTERPRISE" }), "{response}");
    }
}

on_both_backends! {
    async fn health_score_is_the_weighted_sum_with_a_trend(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        book_with_client(&app).await;
        let mutation = "mutation($input: RecordHealthScoreInput!) { recordHealthScore(input: $input) { exactScore score trend } }";
        let first = json!({ "clientId": "acme", "asOf": "2025-01-31", "usageScore": 80, "engagementScore": 60, "supportScore": 100, "satisfactionScore": 40, "paymentScore": 90 });
        let response = app.graphql(mutation, json!({ "input": first })).await;
        assert_eq!(response["data"]["recordHealthScore"], json!({ "exactScore": 73.0, "score": 73, "trend": "STABLE" }), "{response}");
        let second = json!({ "clientId": "acme", "asOf": "2025-02-28", "usageScore": 90, "engagementScore": 70, "supportScore": 100, "satisfactionScore": 40, "paymentScore": 90 });
        let response = app.graphql(mutation, json!({ "input": second })).await;
        // +10×.35 + 10×.25 = +6 points: improving.
        assert_eq!(response["data"]["recordHealthScore"], json!({ "exactScore": 79.0, "score": 79, "trend": "IMPROVING" }), "{response}");
    }
}

on_both_backends! {
    async fn a_bad_client_id_is_refused(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let mut input = client_input();
        input["id"] = json!("has space;");
        let response = refused_without_writes(&app, CREATE_CLIENT, json!({ "input": input }), "BAD_USER_INPUT").await;
        assert_eq!(response["errors"][0]["extensions"]["field"], "id");
        assert!(response["errors"][0]["extensions"]["allowed"].as_str().is_some());
    }
}

on_both_backends! {
    async fn a_bad_email_is_refused(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        book_with_client(&app).await;
        let mutation = "mutation($input: AddContactInput!) { addContact(input: $input) { id } }";
        let input = json!({ "clientId": "acme", "name": "Jane", "email": "jane@@acme", "role": "CHAMPION" });
        let response = refused_without_writes(&app, mutation, json!({ "input": input }), "BAD_USER_INPUT").await;
        assert_eq!(response["errors"][0]["extensions"]["field"], "email");
    }
}

on_both_backends! {
    async fn negative_money_is_refused(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        book_with_client(&app).await;
        let mut input = contract_input();
        input["items"][0]["arr"] = json!("-5.00");
        let response = refused_without_writes(&app, CREATE_CONTRACT, json!({ "input": input }), "BAD_USER_INPUT").await;
        assert_eq!(response["errors"][0]["extensions"]["field"], "items.arr");
    }
}

on_both_backends! {
    async fn a_contract_ending_before_it_starts_is_refused(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        book_with_client(&app).await;
        let mut input = contract_input();
        input["endDate"] = json!("2024-12-31");
        let response = refused_without_writes(&app, CREATE_CONTRACT, json!({ "input": input }), "BAD_USER_INPUT").await;
        assert_eq!(response["errors"][0]["extensions"]["field"], "endDate");
    }
}

on_both_backends! {
    async fn an_unknown_enum_value_is_refused(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let mut input = client_input();
        input["tier"] = json!("PLATINUM");
        let response = refused_without_writes(&app, CREATE_CLIENT, json!({ "input": input }), "BAD_USER_INPUT").await;
        assert!(response["errors"][0]["message"].as_str().is_some_and(|m| m.contains("PLATINUM")), "{response}");
    }
}

on_both_backends! {
    async fn an_out_of_range_health_component_is_refused(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        book_with_client(&app).await;
        let mutation = "mutation($input: RecordHealthScoreInput!) { recordHealthScore(input: $input) { score } }";
        let input = json!({ "clientId": "acme", "asOf": "2025-01-31", "usageScore": 101, "engagementScore": 60, "supportScore": 100, "satisfactionScore": 40, "paymentScore": 90 });
        let response = refused_without_writes(&app, mutation, json!({ "input": input }), "BAD_USER_INPUT").await;
        assert_eq!(response["errors"][0]["extensions"]["field"], "usageScore");
        assert_eq!(response["errors"][0]["extensions"]["allowed"], "0–100");
    }
}

on_both_backends! {
    async fn a_stale_version_is_a_conflict(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        book_with_client(&app).await;
        let mutation = "mutation { updateClient(id: \"acme\", expectedVersion: 7, input: { name: \"Renamed\" }) { version } }";
        refused_without_writes(&app, mutation, json!({}), "CONFLICT").await;
        let name = app.graphql("{ client(id: \"acme\") { name version } }", json!({})).await;
        assert_eq!(name["data"]["client"], json!({ "name": "Acme Corp", "version": 1 }));
    }
}

on_both_backends! {
    async fn an_unknown_client_is_not_found(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        book_with_client(&app).await;
        let mut input = contract_input();
        input["clientId"] = json!("nobody");
        refused_without_writes(&app, CREATE_CONTRACT, json!({ "input": input }), "NOT_FOUND").await;
        let response = app.graphql("{ client(id: \"nobody\") { id } }", json!({})).await;
        assert_eq!(error_code(&response), "NOT_FOUND");
    }
}

on_both_backends! {
    async fn a_second_active_contract_is_a_conflict(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        book_with_client(&app).await;
        let response = app.graphql(CREATE_CONTRACT, json!({ "input": contract_input() })).await;
        assert!(response["errors"].is_null(), "{response}");
        refused_without_writes(&app, CREATE_CONTRACT, json!({ "input": contract_input() }), "CONFLICT").await;
    }
}

on_both_backends! {
    async fn a_revenue_event_taking_arr_below_zero_is_refused(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        book_with_client(&app).await;
        let mutation = "mutation($input: RecordRevenueEventInput!) { recordRevenueEvent(input: $input) { id } }";
        let input = json!({ "clientId": "acme", "occurredOn": "2025-02-01", "kind": "CHURN", "category": "RENEWAL", "arrDelta": "-100.00" });
        refused_without_writes(&app, mutation, json!({ "input": input }), "BAD_USER_INPUT").await;
    }
}
