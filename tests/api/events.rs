//! Events in the outbox: written with their cause (never for a rolled-back one), listed with
//! filters and over MCP, and `reminder.due` once per reminder with two servers on one database.
use crate::concurrency::contracted_clients;
use crate::helpers::*;
use crate::negotiation::{negotiate, open_renewal_clients};
use crate::on_both_backends;
use crate::webhooks::win_one;
use serde_json::{json, Value};

const EVENTS: &str = "query($types: [EventType!], $client: ID, $since: DateTime) { events(types: $types, clientId: $client, since: $since, first: 100) { \
    totalCount nodes { id seq type typeName occurredAt clientId subjectId reason data } } }";

async fn events(app: &TestApp, variables: Value) -> Vec<Value> {
    let response = app.graphql(EVENTS, variables).await;
    response["data"]["events"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{response}"))
        .clone()
}

on_both_backends! {
    async fn each_mutation_writes_its_event_with_names_amounts_and_a_reason(backend: Backend) {
        let app = spawn_app_with_demo(backend, 40).await.expect("app");
        let client = contracted_clients(&app).await.remove(0);
        let opportunity = win_one(&app, &client, "Evented win").await;
        let (renewal_client, renewal, target) = open_renewal_clients(&app).await.remove(0);
        let negotiation = negotiate(&app, &renewal_client, "VALUE_REINFORCEMENT").await;
        let floor = cents(&negotiation["package"]["guardrails"]["minimumAcceptableArr"]);
        let offer = app.graphql("mutation($id: ID!, $arr: Money!) { recordNegotiationOffer(negotiationId: $id, arr: $arr, termMonths: 24) { id } }",
            json!({ "id": negotiation["id"], "arr": format!("{}.{:02}", floor / 100, floor % 100) })).await;
        assert!(offer["errors"].is_null(), "{offer}");
        let final_cents = target + 100_000;
        let closed = app.graphql("mutation($id: ID!, $arr: Money!) { closeRenewal(renewalId: $id, finalArr: $arr, termMonths: 12) { status } }",
            json!({ "id": renewal, "arr": format!("{}.{:02}", final_cents / 100, final_cents % 100) })).await;
        assert!(closed["errors"].is_null(), "{closed}");

        let all = events(&app, json!({ "types": ["OPPORTUNITY_STAGE_CHANGED", "OPPORTUNITY_WON", "NEGOTIATION_OFFER_RECORDED", "RENEWAL_CLOSED"] })).await;
        let kinds: Vec<&str> = all.iter().map(|e| e["typeName"].as_str().expect("type")).collect();
        assert_eq!(kinds, ["opportunity.stage_changed", "opportunity.won", "negotiation.offer_recorded", "renewal.closed"], "in commit order");
        assert!(all.windows(2).all(|w| w[0]["seq"].as_i64() < w[1]["seq"].as_i64()));
        let (moved, won, offered, closing) = (&all[0], &all[1], &all[2], &all[3]);
        assert_eq!((moved["data"]["from"].as_str(), moved["data"]["to"].as_str()), (Some("proposed"), Some("won")), "{moved}");
        assert_eq!(won["subjectId"], opportunity.as_str());
        assert_eq!(won["clientId"], client.as_str());
        let name = won["data"]["client"]["name"].as_str().expect("client name");
        assert!(won["reason"].as_str().expect("reason").starts_with(&format!("{name}: opportunity {opportunity}")), "{won}");
        assert_eq!(offered["data"]["termMonths"], 24);
        assert_eq!(offered["data"]["belowMinimum"], false);
        assert_eq!(closing["subjectId"], renewal.as_str());
        assert_eq!(closing["data"]["outcome"], "renewed");
        assert_eq!(cents(&closing["data"]["arrDelta"]), 100_000);
        assert!(closing["reason"].as_str().expect("reason").contains("(+$1,000.00)"), "{closing}");
        assert!(won["id"].as_str().expect("id").starts_with("evt_"));

        let mine = events(&app, json!({ "client": client, "types": ["OPPORTUNITY_WON"] })).await;
        assert_eq!(mine.len(), 1);
        let later = events(&app, json!({ "since": "2999-01-01T00:00:00Z" })).await;
        assert!(later.is_empty());

        let call = json!({ "jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": { "name": "list_events", "arguments": { "types": ["renewal.closed"], "limit": 5 } } });
        let mcp: Value = app.http.post(format!("{}/mcp", app.address)).json(&call).send().await.expect("sent").json().await.expect("json");
        let text = mcp["result"]["content"][0]["text"].as_str().unwrap_or_else(|| panic!("{mcp}"));
        assert!(text.contains("\"success\"") && text.contains(&renewal) && !text.contains("opportunity.won"), "{text}");
    }
}

on_both_backends! {
    async fn a_rolled_back_mutation_leaves_no_event(backend: Backend) {
        let app = spawn_app_with_demo(backend, 20).await.expect("app");
        let made = app.graphql("mutation($i: CreateClientInput!) { createClient(input: $i) { id } }",
            json!({ "i": { "name": "No Contract Inc", "industry": "Retail", "tier": "STARTER", "customerSince": "2025-01-01" } })).await;
        let client = made["data"]["createClient"]["id"].as_str().unwrap_or_else(|| panic!("{made}")).to_owned();
        let input = json!({ "i": { "clientId": client, "opportunityType": "USAGE_EXPANSION", "name": "Cannot book", "value": "10.00", "probability": 0.5, "stage": "PROPOSED" } });
        let created = app.graphql("mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { id } }", input).await;
        let id = created["data"]["createOpportunity"]["id"].clone();
        let before = app.count("event_outbox").await;

        let won = app.graphql("mutation($id: ID!) { updateOpportunity(id: $id, expectedVersion: 1, input: { stage: WON }) { stage } }", json!({ "id": id })).await;

        assert_eq!(error_code(&won), "CONFLICT", "no active contract to book it on: {won}");
        assert_eq!(app.count("event_outbox").await, before, "the stage change written before the failure rolled back too");
        assert!(events(&app, json!({ "client": client })).await.is_empty());
    }
}

on_both_backends! {
    async fn two_servers_on_one_database_announce_each_due_reminder_exactly_once(backend: Backend) {
        let app = spawn_app_with_demo(backend, 60).await.expect("app");
        // Both replicas run the scheduler at startup, at the same time.
        let (a, b) = tokio::join!(app.spawn_replica(), app.spawn_replica());
        let c = app.spawn_replica().await;
        let due = app.count_where("renewal_reminder", &format!(
            "status IN ('scheduled', 'due') AND due_date <= '{}' AND renewal_id IN (SELECT id FROM renewal WHERE status = 'open')",
            chrono::Utc::now().date_naive())).await;
        assert!(due > 0, "the demo book has due reminders");
        assert_eq!(app.count_where("event_outbox", "event_type = 'reminder.due'").await, due);
        let distinct = app.count("(SELECT DISTINCT subject_id FROM event_outbox WHERE event_type = 'reminder.due') AS d").await;
        assert_eq!(distinct, due, "one event per reminder");
        let today = chrono::Utc::now().date_naive();
        let overdue = app.count_where("renewal", &format!("status = 'open' AND renewal_date < '{today}'")).await;
        assert_eq!(app.count_where("event_outbox", "dedupe_key LIKE 'renewal.at_risk:overdue:%'").await, overdue);
        let unlikely = app.count_where("event_outbox", "dedupe_key LIKE 'renewal.at_risk:probability:%'").await;
        let unlikely_renewals = app.count("(SELECT DISTINCT subject_id FROM event_outbox WHERE dedupe_key LIKE 'renewal.at_risk:probability:%') AS u").await;
        assert_eq!(unlikely, unlikely_renewals, "one probability alert per renewal");
        let listed = events(&c, json!({ "types": ["REMINDER_DUE"] })).await;
        assert!(listed.iter().all(|e| e["data"]["reminderId"] == e["subjectId"] && e["data"]["renewalId"].is_string()));
        drop((a, b));
    }
}

on_both_backends! {
    async fn a_renewal_gone_overdue_is_announced_at_risk_once_with_the_days_overdue(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        crate::ingestion::book_with_client(&app).await;
        let contract = app.graphql(crate::ingestion::CREATE_CONTRACT, json!({ "input": crate::ingestion::contract_input() })).await;
        let renewal = contract["data"]["createContract"]["renewal"].clone();
        assert_eq!(renewal["renewalDate"], "2025-12-31", "{contract}");

        // Each replica's startup run of the scheduler finds it overdue; only one event is written.
        let (_a, _b) = tokio::join!(app.spawn_replica(), app.spawn_replica());

        let at_risk = events(&app, json!({ "types": ["RENEWAL_AT_RISK"] })).await;
        assert_eq!(at_risk.len(), 1, "{at_risk:?}");
        let days = (chrono::Utc::now().date_naive() - chrono::NaiveDate::from_ymd_opt(2025, 12, 31).expect("date")).num_days();
        let event = &at_risk[0];
        assert_eq!(event["subjectId"], renewal["id"]);
        assert_eq!((event["data"]["cause"].as_str(), event["data"]["daysOverdue"].as_i64()), (Some("overdue"), Some(days)));
        assert_eq!(event["data"]["targetArr"], "8700.50");
        let reason = event["reason"].as_str().expect("reason");
        assert!(reason.contains(&format!("is overdue by {days} days with $8,700.50 of ARR still open")), "{reason}");
    }
}

/// Records a health score of `score` in every component for `acme` on `as_of`.
async fn health(app: &TestApp, as_of: chrono::NaiveDate, score: i64) {
    let input = json!({ "clientId": "acme", "asOf": as_of, "usageScore": score, "engagementScore": score,
        "supportScore": score, "satisfactionScore": score, "paymentScore": score });
    let response = app
        .graphql(
            "mutation($i: RecordHealthScoreInput!) { recordHealthScore(input: $i) { exactScore } }",
            json!({ "i": input }),
        )
        .await;
    assert!(response["errors"].is_null(), "{response}");
}

async fn scheduler_run(app: &TestApp) {
    let scheduler = expansion_api::scheduler::ReminderScheduler {
        db: app.db.clone(),
        offsets: vec![90, 60, 30],
        interval: std::time::Duration::ZERO,
    };
    scheduler.run_once().await;
}

on_both_backends! {
    async fn a_renewal_is_announced_at_risk_each_time_it_falls_below_sixty_percent(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        crate::ingestion::book_with_client(&app).await;
        let today = chrono::Utc::now().date_naive();
        let mut contract = crate::ingestion::contract_input();
        contract["startDate"] = json!(today - chrono::Duration::days(300));
        contract["endDate"] = json!(today + chrono::Duration::days(64));
        let created = app.graphql(crate::ingestion::CREATE_CONTRACT, json!({ "input": contract })).await;
        let renewal = created["data"]["createContract"]["renewal"]["id"].as_str().unwrap_or_else(|| panic!("{created}")).to_owned();
        let at_risk = || async { events(&app, json!({ "types": ["RENEWAL_AT_RISK"] })).await };

        // Too little history for a model: the heuristic's health bands (≥ 85 → 0.92, < 60 → 0.40).
        health(&app, today - chrono::Duration::days(3), 90).await;
        scheduler_run(&app).await;
        assert!(at_risk().await.is_empty(), "0.92 is not at risk");

        health(&app, today - chrono::Duration::days(2), 30).await;
        scheduler_run(&app).await;
        scheduler_run(&app).await;
        let first = at_risk().await;
        assert_eq!(first.len(), 1, "one alert for one fall, however often the scheduler looks: {first:?}");
        assert_eq!((first[0]["subjectId"].as_str(), first[0]["data"]["crossing"].as_i64()), (Some(renewal.as_str()), Some(1)));
        assert_eq!(first[0]["data"]["probability"], 0.4);

        health(&app, today - chrono::Duration::days(1), 90).await;
        scheduler_run(&app).await;
        assert_eq!(at_risk().await.len(), 1, "recovering is not an alert");

        health(&app, today, 30).await;
        scheduler_run(&app).await;
        let again = at_risk().await;
        assert_eq!(again.len(), 2, "falling again is: {again:?}");
        assert_eq!(again[1]["data"]["crossing"], 2);
        assert!(again[1]["reason"].as_str().expect("reason").ends_with("below 60 % again"), "{}", again[1]);
    }
}
