//! Webhooks against a real receiver: signed deliveries of the subscribed types only, retries after
//! a failure, giving up and disabling, redelivery, and URLs that are refused.
use crate::concurrency::contracted_clients;
use crate::helpers::*;
use crate::on_both_backends;
use crate::receiver::Receiver;
use expansion_api::config::Settings;
use expansion_api::events::signature::verify;
use serde_json::{json, Value};
use std::time::Duration;

pub const CREATE_ENDPOINT: &str = "mutation($url: String!, $events: [EventType!]!) { \
    createWebhookEndpoint(url: $url, events: $events, description: \"test receiver\") { secret endpoint { id url events enabled } } }";
const CREATE_OPP: &str = "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { id version } }";
const MOVE_OPP: &str = "mutation($id: ID!, $v: Int!, $stage: OpportunityStage!) { \
    updateOpportunity(id: $id, expectedVersion: $v, input: { stage: $stage }) { stage version } }";
const DELIVERIES: &str = "query($id: ID!) { webhookDeliveries(endpointId: $id, first: 100) { totalCount nodes { \
    id eventType status attempts lastStatusCode lastError deliveredAt } } }";
const ENDPOINTS: &str = "{ webhookEndpoints { id enabled disabledReason consecutiveFailures } }";

/// Fast retries for tests.
pub fn quick(settings: &mut Settings) {
    settings.webhooks.poll_interval_ms = 50;
    settings.webhooks.backoff_base_ms = 100;
    settings.webhooks.backoff_max_ms = 400;
    settings.webhooks.timeout_secs = 5;
}

/// Registers `url` for `events`; returns (endpoint id, secret).
pub async fn register(app: &TestApp, url: &str, events: &[&str]) -> (String, String) {
    let response = app
        .graphql(CREATE_ENDPOINT, json!({ "url": url, "events": events }))
        .await;
    let created = &response["data"]["createWebhookEndpoint"];
    assert!(created.is_object(), "{response}");
    let id = created["endpoint"]["id"].as_str().expect("id").to_owned();
    (id, created["secret"].as_str().expect("secret").to_owned())
}

/// Creates an opportunity for `client` and moves it PROPOSED → WON; returns its id.
pub async fn win_one(app: &TestApp, client: &str, name: &str) -> String {
    let input = json!({ "i": { "clientId": client, "opportunityType": "USAGE_EXPANSION", "name": name, "value": "1250.00", "probability": 0.5, "stage": "PROPOSED" } });
    let created = app.graphql(CREATE_OPP, input).await;
    let id = created["data"]["createOpportunity"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{created}"))
        .to_owned();
    let won = app.graphql(MOVE_OPP, json!({ "id": id, "v": 1, "stage": "WON" })).await;
    assert_eq!(won["data"]["updateOpportunity"]["stage"], "WON", "{won}");
    id
}

async fn deliveries(app: &TestApp, endpoint: &str) -> Vec<Value> {
    let response = app.graphql(DELIVERIES, json!({ "id": endpoint })).await;
    response["data"]["webhookDeliveries"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{response}"))
        .clone()
}

/// Polls the delivery log until `done` holds (or 15 s pass).
async fn log_until(app: &TestApp, endpoint: &str, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    for _ in 0..300 {
        let log = deliveries(app, endpoint).await;
        if done(&log) {
            return log;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    deliveries(app, endpoint).await
}

on_both_backends! {
    async fn a_won_opportunity_is_posted_signed_and_only_to_endpoints_of_its_type(backend: Backend) {
        let receiver = Receiver::start();
        let other = Receiver::start();
        let app = spawn_app_with(backend, quick).await.expect("app");
        seed(&app).await;
        let (endpoint, secret) = register(&app, &receiver.url, &["OPPORTUNITY_WON"]).await;
        register(&app, &other.url, &["RENEWAL_CLOSED"]).await;
        let client = contracted_clients(&app).await.remove(0);

        let opportunity = win_one(&app, &client, "Signed delivery").await;

        let received = receiver.wait_for(1, 15).await;
        assert_eq!(received.len(), 1, "exactly the won event, not the stage change");
        let hit = &received[0];
        assert_eq!(hit.header("x-expansion-event"), "opportunity.won");
        assert_eq!(hit.header("content-type"), "application/json");
        let timestamp: i64 = hit.header("x-expansion-timestamp").parse().expect("timestamp");
        assert!((chrono::Utc::now().timestamp() - timestamp).abs() < 60);
        assert!(verify(&secret, timestamp, &hit.body, hit.header("x-expansion-signature")), "signature");
        assert!(!verify("whsec_wrong", timestamp, &hit.body, hit.header("x-expansion-signature")));
        let body = hit.json();
        assert_eq!(body["type"], "opportunity.won");
        assert_eq!(body["subjectId"], opportunity.as_str());
        assert_eq!(body["data"]["value"], "1250.00");
        assert_eq!(body["data"]["client"]["id"], client.as_str());
        assert!(body["data"]["reason"].as_str().expect("reason").contains("$1,250.00"), "{body}");
        let log = log_until(&app, &endpoint, |l| l.first().is_some_and(|d| d["status"] == "DELIVERED")).await;
        assert_eq!(log.len(), 1);
        assert_eq!(log[0]["id"], hit.header("x-expansion-delivery"));
        assert_eq!((log[0]["attempts"].as_i64(), log[0]["lastStatusCode"].as_i64()), (Some(1), Some(200)));
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(other.received().is_empty(), "an endpoint of another type receives nothing");
    }
}

on_both_backends! {
    async fn a_500_is_retried_with_the_same_delivery_id_until_it_succeeds(backend: Backend) {
        let receiver = Receiver::start();
        receiver.answer(&[500, 503]);
        let app = spawn_app_with(backend, quick).await.expect("app");
        seed(&app).await;
        let (endpoint, _) = register(&app, &receiver.url, &["OPPORTUNITY_WON"]).await;
        let client = contracted_clients(&app).await.remove(0);

        win_one(&app, &client, "Retried delivery").await;

        let received = receiver.wait_for(3, 15).await;
        assert_eq!(received.len(), 3, "two failures, then the success");
        let id = received[0].header("x-expansion-delivery");
        assert!(received.iter().all(|r| r.header("x-expansion-delivery") == id));
        assert!(received.iter().all(|r| r.body == received[0].body), "the same body each time");
        let gap = received[2].at.duration_since(received[1].at).expect("ordered");
        assert!(gap >= Duration::from_millis(90), "backed off: {gap:?}");
        let log = log_until(&app, &endpoint, |l| l.first().is_some_and(|d| d["status"] == "DELIVERED")).await;
        assert_eq!((log[0]["status"].as_str(), log[0]["attempts"].as_i64()), (Some("DELIVERED"), Some(3)), "{log:?}");
        let endpoints = app.graphql(ENDPOINTS, json!({})).await;
        assert_eq!(endpoints["data"]["webhookEndpoints"][0]["consecutiveFailures"], 0, "{endpoints}");
        let metrics = app.http.get(format!("{}/metrics", app.address)).send().await.expect("metrics").text().await.expect("text");
        assert!(metrics.contains("expansion_webhook_attempts_total{outcome=\"retried\"} 2"), "{metrics}");
        assert!(metrics.contains("expansion_webhook_attempts_total{outcome=\"delivered\"} 1"), "{metrics}");
    }
}

on_both_backends! {
    async fn after_the_last_attempt_a_delivery_fails_its_endpoint_is_disabled_and_redelivery_sends_it_again(backend: Backend) {
        let receiver = Receiver::start();
        receiver.always(500);
        let app = spawn_app_with(backend, |s| {
            quick(s);
            s.webhooks.max_attempts = 3;
            s.webhooks.disable_after_failures = 3;
        })
        .await
        .expect("app");
        seed(&app).await;
        let (endpoint, _) = register(&app, &receiver.url, &["OPPORTUNITY_WON"]).await;
        let client = contracted_clients(&app).await.remove(0);

        win_one(&app, &client, "Doomed delivery").await;

        let log = log_until(&app, &endpoint, |l| l.first().is_some_and(|d| d["status"] == "FAILED")).await;
        assert_eq!(log[0]["status"], "FAILED", "{log:?}");
        assert_eq!((log[0]["attempts"].as_i64(), log[0]["lastError"].as_str()), (Some(3), Some("HTTP 500")));
        assert_eq!(receiver.received().len(), 3, "no attempt after the last");
        let endpoints = app.graphql(ENDPOINTS, json!({})).await;
        let state = &endpoints["data"]["webhookEndpoints"][0];
        assert_eq!(state["enabled"], false, "{endpoints}");
        assert!(state["disabledReason"].as_str().expect("reason").contains("3 consecutive failed attempts"), "{endpoints}");

        receiver.always(200);
        let redeliver = app.graphql("mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { status attempts } }", json!({ "id": log[0]["id"] })).await;
        assert_eq!(redeliver["data"]["redeliverWebhook"]["status"], "PENDING", "{redeliver}");
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(receiver.received().len(), 3, "a disabled endpoint receives nothing");
        let enable = app.graphql("mutation($id: ID!) { updateWebhookEndpoint(id: $id, enabled: true) { enabled consecutiveFailures } }", json!({ "id": endpoint })).await;
        assert_eq!(enable["data"]["updateWebhookEndpoint"]["enabled"], true, "{enable}");
        let log = log_until(&app, &endpoint, |l| l.first().is_some_and(|d| d["status"] == "DELIVERED")).await;
        assert_eq!((log[0]["status"].as_str(), log[0]["attempts"].as_i64()), (Some("DELIVERED"), Some(1)), "{log:?}");
        let received = receiver.received();
        assert_eq!(received.len(), 4);
        assert_eq!(received[3].header("x-expansion-delivery"), received[0].header("x-expansion-delivery"));
    }
}

on_both_backends! {
    async fn urls_that_are_not_http_or_point_at_metadata_services_are_refused(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        for url in ["ftp://hooks.example.com/x", "http://169.254.169.254/latest/meta-data", "http://[fe80::1]/hook", "http://metadata.google.internal/", "not a url", "http://user:pw@hooks.example.com/"] {
            let response = app.graphql(CREATE_ENDPOINT, json!({ "url": url, "events": ["RENEWAL_CLOSED"] })).await;
            assert_eq!(error_code(&response), "BAD_USER_INPUT", "{url}: {response}");
            assert_eq!(response["errors"][0]["extensions"]["field"], "url", "{response}");
        }
        let none = app.graphql(CREATE_ENDPOINT, json!({ "url": "https://hooks.example.com/x", "events": [] })).await;
        assert_eq!(error_code(&none), "BAD_USER_INPUT", "{none}");
        assert_eq!(app.count("webhook_endpoint").await, 0);
        let (id, secret) = register(&app, "https://hooks.example.com/x", &["RENEWAL_CLOSED", "REMINDER_DUE"]).await;
        assert!(secret.starts_with("whsec_") && secret.len() > 40);
        let listed = app.graphql("{ webhookEndpoints { id url events } }", json!({})).await;
        assert_eq!(listed["data"]["webhookEndpoints"][0]["id"], id.as_str(), "{listed}");
        assert!(!listed.to_string().contains(&secret), "the secret is shown once");
        let deleted = app.graphql("mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }", json!({ "id": id })).await;
        assert_eq!(deleted["data"]["deleteWebhookEndpoint"], true, "{deleted}");
        let again = app.graphql("mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }", json!({ "id": id })).await;
        assert_eq!(error_code(&again), "NOT_FOUND");
    }
}

/// The demo book of 20 clients (seed 7).
pub async fn seed(app: &TestApp) {
    let options = expansion_api::seed::DemoOptions {
        clients: 20,
        seed: 7,
        ..Default::default()
    };
    expansion_api::seed::seed_demo(&app.db, &options).await.expect("seed");
}
