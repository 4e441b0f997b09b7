//! Crash safety: the server process is killed (SIGKILL) in the middle of a burst of writes and
//! started again on the same database. Every acknowledged write is there, and no transaction is
//! half-applied: every won opportunity has its ledger event and its contract line.
use crate::concurrency::{assert_ledger_invariant, contracted_clients};
use crate::helpers::*;
use crate::on_both_backends;
use crate::receiver::Receiver;
use crate::webhooks::{register, win_one};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::process::{Child, Command};

const BINARY: &str = env!("CARGO_BIN_EXE_expansion-api");
const CREATE_OPP: &str = "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { id version } }";
const WIN_OPP: &str =
    "mutation($id: ID!, $v: Int!) { updateOpportunity(id: $id, expectedVersion: $v, input: { stage: WON }) { stage } }";

/// The server binary on `url` and a free port; returns it once `/health` answers.
async fn serve(url: &str) -> (Child, String) {
    serve_with(url, &[]).await
}

/// [`serve`] with more environment variables.
async fn serve_with(url: &str, env: &[(&str, &str)]) -> (Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let child = Command::new(BINARY)
        .args(["serve", "--port", &port.to_string()])
        .env("DATABASE_URL", url)
        .env("EXPANSION_REMINDERS__INTERVAL", "0")
        .env("RUST_LOG", "error")
        .envs(env.iter().copied())
        .kill_on_drop(true)
        .spawn()
        .expect("server started");
    let address = format!("http://127.0.0.1:{port}");
    for _ in 0..300 {
        if reqwest::get(format!("{address}/health"))
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return (child, address);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server on {address} did not come up");
}

async fn post(http: &reqwest::Client, address: &str, query: &str, variables: Value) -> Option<Value> {
    let response = http
        .post(format!("{address}/graphql"))
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .ok()?;
    response.json().await.ok()
}

/// Creates and wins opportunities until the server stops answering; records what was acknowledged.
async fn burst(
    address: String,
    clients: Arc<Vec<String>>,
    w: usize,
    created: Arc<Mutex<Vec<String>>>,
    won: Arc<Mutex<Vec<String>>>,
    dead: Arc<AtomicBool>,
) {
    let http = reqwest::Client::new();
    for n in 0.. {
        if dead.load(Ordering::SeqCst) {
            return;
        }
        let client = &clients[(w + n) % clients.len()];
        let input = json!({ "i": { "clientId": client, "opportunityType": "USAGE_EXPANSION", "name": format!("Crash {w}/{n}"), "value": "125.00", "probability": 0.5, "stage": "PROPOSED" } });
        let Some(response) = post(&http, &address, CREATE_OPP, input).await else {
            return;
        };
        let Some(opportunity) = response["data"]["createOpportunity"].as_object().cloned() else {
            return;
        };
        let id = opportunity["id"].as_str().expect("id").to_owned();
        created.lock().expect("lock").push(id.clone());
        let Some(response) = post(
            &http,
            &address,
            WIN_OPP,
            json!({ "id": id, "v": opportunity["version"] }),
        )
        .await
        else {
            return;
        };
        if response["data"]["updateOpportunity"]["stage"] == "WON" {
            won.lock().expect("lock").push(id);
        }
    }
}

on_both_backends! {
    async fn a_server_killed_mid_burst_loses_no_acknowledged_write_and_leaves_no_half_transaction(backend: Backend) {
        let app = spawn_app_with_demo(backend, 20).await.expect("app");
        let clients = Arc::new(contracted_clients(&app).await);
        let (mut server, address) = serve(&app.database_url).await;
        let (created, won, dead) = (Arc::default(), Arc::default(), Arc::new(AtomicBool::new(false)));
        let writers: Vec<_> = (0..8)
            .map(|w| tokio::spawn(burst(address.clone(), clients.clone(), w, Arc::clone(&created), Arc::clone(&won), dead.clone())))
            .collect();
        // Kill once a good number of writes were acknowledged, mid-stream.
        for _ in 0..400 {
            if won.lock().expect("lock").len() >= 30 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        server.start_kill().expect("SIGKILL sent");
        server.wait().await.expect("server gone");
        dead.store(true, Ordering::SeqCst);
        for writer in writers {
            writer.await.expect("writer ended");
        }
        let (created, won) = (created.lock().expect("lock").clone(), won.lock().expect("lock").clone());
        assert!(won.len() >= 30, "the burst was under way when the server died ({} won)", won.len());

        let (_restarted, _address) = serve(&app.database_url).await;
        for id in &created {
            assert_eq!(app.count_where("opportunity", &format!("id = '{id}'")).await, 1, "acknowledged {id} kept");
        }
        for id in &won {
            assert_eq!(app.count_where("opportunity", &format!("id = '{id}' AND stage = 'won'")).await, 1, "{id} still won");
        }
        let half_applied = app
            .count_where("opportunity o", "o.stage = 'won' AND NOT EXISTS (SELECT 1 FROM revenue_event e WHERE e.opportunity_id = o.id)")
            .await;
        assert_eq!(half_applied, 0, "every won opportunity has its ledger event");
        let won_total = app.count_where("opportunity", "stage = 'won' AND name LIKE 'Crash %'").await;
        let lines = app.count_where("revenue_event", "opportunity_id IN (SELECT id FROM opportunity WHERE name LIKE 'Crash %')").await;
        assert_eq!(lines, won_total, "one ledger event per won opportunity, none without one");
        assert_ledger_invariant(&app).await;
    }
}

/// A delivery worker that can be killed: fast polls, and a 2 s timeout (so a 7 s claim lease).
const WORKER_ENV: &[(&str, &str)] = &[
    ("EXPANSION_WEBHOOKS__POLL_INTERVAL_MS", "50"),
    ("EXPANSION_WEBHOOKS__TIMEOUT_SECS", "2"),
];

on_both_backends! {
    async fn a_delivery_in_flight_when_the_server_is_killed_is_sent_again_after_restart(backend: Backend) {
        // This in-process server only writes; the killable binary delivers.
        let app = spawn_app_with(backend, |s| s.webhooks.worker = false).await.expect("app");
        crate::webhooks::seed(&app).await;
        let receiver = Receiver::start();
        receiver.hold(true);
        let (endpoint, _) = register(&app, &receiver.url, &["OPPORTUNITY_WON"]).await;
        let (mut server, _) = serve_with(&app.database_url, WORKER_ENV).await;
        let client = contracted_clients(&app).await.remove(0);

        win_one(&app, &client, "Delivered twice").await;
        let first = receiver.wait_for(1, 15).await;
        assert_eq!(first.len(), 1, "the worker is mid-delivery");
        server.start_kill().expect("SIGKILL sent");
        server.wait().await.expect("server gone");
        receiver.hold(false);
        let pending = format!("endpoint_id = '{endpoint}' AND status = 'pending' AND attempts = 1");
        assert_eq!(app.count_where("webhook_delivery", &pending).await, 1, "still pending after the kill");

        let (_restarted, _) = serve_with(&app.database_url, WORKER_ENV).await;
        let received = receiver.wait_for(2, 30).await;
        assert_eq!(received.len(), 2, "sent again once the dead worker's lease ended");
        assert_eq!(received[1].header("x-expansion-delivery"), received[0].header("x-expansion-delivery"), "same idempotency key");
        assert_eq!(received[1].body, received[0].body);
        let delivered = format!("endpoint_id = '{endpoint}' AND status = 'delivered' AND attempts = 2");
        for _ in 0..100 {
            if app.count_where("webhook_delivery", &delivered).await == 1 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the redelivery was not recorded as delivered");
    }
}
