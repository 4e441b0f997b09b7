//! Measurements, not checks (`--ignored`): delivery latency from an event's time to its receipt
//! over 1,000 events, and how fast one worker drains a backlog of 1,000 deliveries.
//!   TEST_DATABASE_URL=… cargo test --test api webhook_bench -- --ignored --nocapture
use crate::helpers::*;
use crate::negotiation::{negotiate, open_renewal_clients};
use crate::on_both_backends;
use crate::receiver::Receiver;
use crate::webhooks::register;
use serde_json::json;
use std::time::{Duration, Instant, SystemTime};

const EVENTS: usize = 1000;
const OFFER: &str =
    "mutation($id: ID!, $arr: Money!) { recordNegotiationOffer(negotiationId: $id, arr: $arr, termMonths: 12) { id } }";

/// Records `EVENTS` offers on one negotiation (one `negotiation.offer_recorded` each); returns the
/// median mutation round trip.
async fn offers(app: &TestApp) -> Duration {
    let (client, _, _) = open_renewal_clients(app).await.remove(0);
    let negotiation = negotiate(app, &client, "VALUE_REINFORCEMENT").await;
    let floor = cents(&negotiation["package"]["guardrails"]["minimumAcceptableArr"]);
    let arr = format!("{}.{:02}", floor / 100, floor % 100);
    let mut trips = Vec::with_capacity(EVENTS);
    for _ in 0..EVENTS {
        let started = Instant::now();
        let response = app.graphql(OFFER, json!({ "id": negotiation["id"], "arr": arr })).await;
        assert!(response["errors"].is_null(), "{response}");
        trips.push(started.elapsed());
    }
    trips.sort();
    trips[trips.len() / 2]
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

on_both_backends! {
    #[ignore]
    async fn webhook_bench_latency_from_event_to_receipt(backend: Backend) {
        let receiver = Receiver::start();
        let app = spawn_app_with_demo(backend, 20).await.expect("app");
        register(&app, &receiver.url, &["NEGOTIATION_OFFER_RECORDED"]).await;
        let trip = offers(&app).await;
        let received = receiver.wait_for(EVENTS, 120).await;
        assert_eq!(received.len(), EVENTS);
        let mut latencies: Vec<f64> = received
            .iter()
            .map(|r| {
                let occurred = chrono::DateTime::parse_from_rfc3339(r.json()["occurredAt"].as_str().expect("time")).expect("rfc3339");
                let occurred = SystemTime::UNIX_EPOCH + Duration::from_millis(occurred.timestamp_millis() as u64);
                r.at.duration_since(occurred).unwrap_or_default().as_secs_f64() * 1000.0
            })
            .collect();
        latencies.sort_by(f64::total_cmp);
        println!(
            "BENCH {backend:?} latency over {EVENTS} events: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms (mutation round trip p50 {:.1} ms)",
            percentile(&latencies, 0.5), percentile(&latencies, 0.99), latencies[latencies.len() - 1], trip.as_secs_f64() * 1000.0
        );
    }
}

on_both_backends! {
    #[ignore]
    async fn webhook_bench_worker_throughput_on_a_backlog(backend: Backend) {
        let receiver = Receiver::start();
        let app = spawn_app_with(backend, |s| s.webhooks.worker = false).await.expect("app");
        crate::webhooks::seed(&app).await;
        register(&app, &receiver.url, &["NEGOTIATION_OFFER_RECORDED"]).await;
        offers(&app).await;
        assert_eq!(app.count_where("webhook_delivery", "status = 'pending'").await, EVENTS as i64);
        let started = Instant::now();
        let _worker = app.spawn_replica().await;
        let received = receiver.wait_for(EVENTS, 120).await;
        let elapsed = started.elapsed();
        assert_eq!(received.len(), EVENTS);
        let sending = received[EVENTS - 1].at.duration_since(received[0].at).expect("ordered");
        println!(
            "BENCH {backend:?} worker drained {EVENTS} deliveries: {:.0} events/s from first to last receipt ({:.2} s; {:.2} s with the replica's start-up)",
            (EVENTS - 1) as f64 / sending.as_secs_f64(), sending.as_secs_f64(), elapsed.as_secs_f64()
        );
    }
}
