//! Concurrent writers: sixteen of them, mixing every kind of write, all succeed; every
//! acknowledged write is stored once; the ledger invariant holds; optimistic concurrency still
//! lets exactly one of sixteen racers win.
use crate::helpers::*;
use crate::on_both_backends;
use serde_json::{json, Value};
use std::sync::Arc;

const WRITERS: usize = 16;
const ROUNDS: usize = 6;

const ADD_CONTACT: &str = "mutation($i: AddContactInput!) { addContact(input: $i) { id email } }";
const RECORD_USAGE: &str = "mutation($i: RecordUsageInput!) { recordUsage(input: $i) { periodStart } }";
const CREATE_OPP: &str = "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { id version } }";
const UPDATE_OPP: &str = "mutation($id: ID!, $v: Int!, $i: UpdateOpportunityInput!) { updateOpportunity(id: $id, expectedVersion: $v, input: $i) { id stage } }";

/// Clients that have an active contract (a won opportunity needs one).
pub async fn contracted_clients(app: &TestApp) -> Vec<String> {
    let response = app
        .graphql(
            "{ clients(first: 100, filter: { status: ACTIVE }) { nodes { id currentContract { id } } } }",
            json!({}),
        )
        .await;
    let nodes = response["data"]["clients"]["nodes"]
        .as_array()
        .expect("clients")
        .clone();
    nodes
        .iter()
        .filter(|c| !c["currentContract"].is_null())
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .collect()
}

/// What one writer had acknowledged.
#[derive(Default)]
struct Acknowledged {
    contacts: Vec<String>,
    usage_months: usize,
    won: Vec<String>,
}

fn ok<'a>(response: &'a Value, field: &str) -> &'a Value {
    assert!(response["errors"].is_null(), "{field} failed: {response}");
    &response["data"][field]
}

async fn writer(app: Arc<TestApp>, clients: Arc<Vec<String>>, w: usize) -> Acknowledged {
    let mut done = Acknowledged::default();
    for round in 0..ROUNDS {
        let client = &clients[(w * 7 + round) % clients.len()];
        let email = format!("writer{w}.round{round}@example.com");
        let contact = app
            .graphql(ADD_CONTACT, json!({ "i": { "clientId": client, "name": format!("Writer {w} {round}"), "email": email, "role": "USER" } }))
            .await;
        done.contacts
            .push(ok(&contact, "addContact")["email"].as_str().expect("email").to_owned());
        let month = format!("{}-{:02}-01", 2200 + w, round + 1);
        let usage = app
            .graphql(RECORD_USAGE, json!({ "i": { "clientId": client, "periodStart": month, "seatsLicensed": 20, "activeUsers": 10, "usageRate": 0.5, "featureAdoption": 0.5 } }))
            .await;
        ok(&usage, "recordUsage");
        done.usage_months += 1;
        let created = app
            .graphql(CREATE_OPP, json!({ "i": { "clientId": client, "opportunityType": "USAGE_EXPANSION", "name": format!("Race {w}/{round}"), "value": "250.00", "probability": 0.5, "stage": "PROPOSED" } }))
            .await;
        let opportunity = ok(&created, "createOpportunity");
        let id = opportunity["id"].as_str().expect("id").to_owned();
        let won = app
            .graphql(
                UPDATE_OPP,
                json!({ "id": id, "v": opportunity["version"], "i": { "stage": "WON" } }),
            )
            .await;
        assert_eq!(ok(&won, "updateOpportunity")["stage"], "WON");
        done.won.push(id);
    }
    done
}

/// Every client's ledger ARR equals its active contract's ARR.
pub async fn assert_ledger_invariant(app: &TestApp) {
    let query = "query($after: String) { clients(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { id arr currentContract { arr } } } }";
    let mut after = Value::Null;
    loop {
        let response = app.graphql(query, json!({ "after": after })).await;
        let page = &response["data"]["clients"];
        for node in page["nodes"].as_array().expect("nodes") {
            let contract_arr = node["currentContract"]["arr"].as_str().unwrap_or("0.00");
            assert_eq!(
                node["arr"].as_str(),
                Some(contract_arr),
                "ledger of client {}",
                node["id"]
            );
        }
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

on_both_backends! {
    async fn sixteen_concurrent_writers_all_succeed_and_every_write_is_kept_once(backend: Backend) {
        let app = Arc::new(spawn_app_with_demo(backend, 40).await.expect("app"));
        let clients = Arc::new(contracted_clients(&app).await);
        let (contacts_before, usage_before, events_before, items_before) = (
            app.count("contact").await,
            app.count("usage_snapshot").await,
            app.count("revenue_event").await,
            app.count("contract_item").await,
        );

        let tasks: Vec<_> = (0..WRITERS).map(|w| tokio::spawn(writer(app.clone(), clients.clone(), w))).collect();
        let mut acknowledged = Vec::new();
        for task in tasks {
            acknowledged.push(task.await.expect("writer finished"));
        }

        let contacts: Vec<&String> = acknowledged.iter().flat_map(|a| &a.contacts).collect();
        let won: Vec<&String> = acknowledged.iter().flat_map(|a| &a.won).collect();
        let usage: usize = acknowledged.iter().map(|a| a.usage_months).sum();
        assert_eq!(contacts.len(), WRITERS * ROUNDS);
        assert_eq!(app.count("contact").await, contacts_before + contacts.len() as i64, "every contact stored once");
        assert_eq!(app.count("usage_snapshot").await, usage_before + usage as i64, "every usage month stored once");
        assert_eq!(app.count("revenue_event").await, events_before + won.len() as i64, "one ledger event per won opportunity");
        for id in &won {
            // A won opportunity always has its ledger event and its contract line.
            assert_eq!(app.count_where("revenue_event", &format!("opportunity_id = '{id}'")).await, 1, "{id}");
        }
        assert_eq!(app.count("contract_item").await, items_before + won.len() as i64, "one contract line per won opportunity");
        assert_ledger_invariant(&app).await;
    }
}

on_both_backends! {
    async fn of_sixteen_racers_on_one_version_exactly_one_wins(backend: Backend) {
        let app = Arc::new(spawn_app_with_demo(backend, 10).await.expect("app"));
        let client = contracted_clients(&app).await.remove(0);
        let created = app
            .graphql(CREATE_OPP, json!({ "i": { "clientId": client, "opportunityType": "TRAINING", "name": "Contended", "value": "900.00", "probability": 0.4 } }))
            .await;
        let id = ok(&created, "createOpportunity")["id"].as_str().expect("id").to_owned();

        let racers: Vec<_> = (0..WRITERS)
            .map(|r| {
                let (app, id) = (app.clone(), id.clone());
                tokio::spawn(async move {
                    app.graphql(UPDATE_OPP, json!({ "id": id, "v": 1, "i": { "name": format!("Racer {r}") } })).await
                })
            })
            .collect();
        let mut codes = Vec::new();
        for racer in racers {
            let response = racer.await.expect("racer finished");
            codes.push(if response["errors"].is_null() { "OK".to_owned() } else { error_code(&response).to_owned() });
        }
        codes.sort();
        let mut expected = vec!["CONFLICT".to_owned(); WRITERS - 1];
        expected.push("OK".to_owned());
        assert_eq!(codes, expected);
    }
}
