//! Answers a CS manager and an agent can act on (issue 13): each (client, type, product) once in
//! the pipeline and in the table, one open negotiation per renewal, talking points within the
//! guardrails, overdue renewals at HIGH risk.
use crate::helpers::*;
use crate::negotiation::{negotiate, open_renewal_clients};
use crate::on_both_backends;
use serde_json::{json, Value};
use std::collections::BTreeMap;

const PIPELINE: &str =
    "{ expansionOpportunities { clients { clientId opportunities { opportunityType productId value } } \
    portfolio { totalOpportunities totalPipelineValue } } }";

/// Groups of open stored opportunities sharing a (client, type, product) key, product ignored for
/// seat and usage expansion.
const DUPLICATE_GROUPS: &str = "(SELECT client_id, type, \
    COALESCE(CASE WHEN type IN ('user_expansion', 'usage_expansion') THEN NULL ELSE product_id END, '') AS product \
    FROM opportunity WHERE stage NOT IN ('won', 'lost') GROUP BY 1, 2, 3 HAVING COUNT(*) > 1) AS groups";

/// (client, type, product) → how many items the pipeline lists, and the pipeline's total in cents.
async fn pipeline_keys(app: &TestApp) -> (BTreeMap<(String, String, String), usize>, i64, i64) {
    let response = app.graphql(PIPELINE, json!({})).await;
    let result = &response["data"]["expansionOpportunities"];
    let mut keys = BTreeMap::new();
    let mut sum = 0;
    for client in result["clients"].as_array().unwrap_or_else(|| panic!("{response}")) {
        for o in client["opportunities"].as_array().expect("items") {
            let kind = o["opportunityType"].as_str().expect("type").to_owned();
            let product = match kind.as_str() {
                "USER_EXPANSION" | "USAGE_EXPANSION" => String::new(),
                _ => o["productId"].as_str().unwrap_or_default().to_owned(),
            };
            *keys
                .entry((client["clientId"].as_str().expect("id").to_owned(), kind, product))
                .or_insert(0) += 1;
            sum += cents(&o["value"]);
        }
    }
    let total = cents(&result["portfolio"]["totalPipelineValue"]);
    assert_eq!(
        result["portfolio"]["totalOpportunities"],
        json!(keys.values().sum::<usize>())
    );
    (keys, sum, total)
}

on_both_backends! {
    async fn the_pipeline_lists_each_client_type_and_product_once_and_identify_never_opens_a_second(backend: Backend) {
        let app = spawn_app_with_demo(backend, 80).await.expect("app");
        let (keys, sum, total) = pipeline_keys(&app).await;
        assert!(!keys.is_empty());
        assert!(keys.values().all(|&n| n == 1), "duplicates: {:?}", keys.iter().filter(|(_, &n)| n > 1).collect::<Vec<_>>());
        assert_eq!(sum, total, "the summary counts each item once");
        let stored_before = app.count_where("opportunity", "stage NOT IN ('won', 'lost')").await;
        let duplicates_before = app.count(DUPLICATE_GROUPS).await;

        let identify = "mutation { identifyExpansionOpportunities { created } }";
        let first = app.graphql(identify, json!({})).await;
        let created = first["data"]["identifyExpansionOpportunities"]["created"].as_i64().unwrap_or_else(|| panic!("{first}"));
        let again = app.graphql(identify, json!({})).await;
        assert_eq!(again["data"]["identifyExpansionOpportunities"]["created"], json!(0), "{again}");

        // Every pipeline key is now stored once: what was listed, no more.
        assert_eq!(app.count(DUPLICATE_GROUPS).await, duplicates_before);
        let stored_after = app.count_where("opportunity", "stage NOT IN ('won', 'lost')").await;
        assert_eq!(stored_after, stored_before + created);
        let (after, _, total_after) = pipeline_keys(&app).await;
        assert_eq!(after, keys);
        assert_eq!(total_after, total);
    }
}

const NEGOTIATIONS: &str =
    "query($client: ID!, $id: ID!) { client(id: $client) { negotiations { id status supersededBy renewal { id } } } \
    negotiation(id: $id) { id status supersededBy } }";

on_both_backends! {
    async fn a_new_negotiation_supersedes_the_open_one_which_is_kept_with_its_offers(backend: Backend) {
        let app = spawn_app_with_demo(backend, 60).await.expect("app");
        let (client, renewal, _) = open_renewal_clients(&app).await.remove(0);
        let first = negotiate(&app, &client, "VALUE_REINFORCEMENT").await;
        let offer = "mutation($id: ID!, $arr: Money!) { recordNegotiationOffer(negotiationId: $id, arr: $arr, termMonths: 12) { id } }";
        let floor = first["package"]["guardrails"]["minimumAcceptableArr"].clone();
        let recorded = app.graphql(offer, json!({ "id": first["id"], "arr": floor })).await;
        assert!(recorded["errors"].is_null(), "{recorded}");
        let second = negotiate(&app, &client, "COMPETITIVE_DEFENSE").await;
        let third = negotiate(&app, &client, "EXPANSION_BUNDLE").await;
        assert_eq!(third["status"], json!("OPEN"));

        let read = app.graphql(NEGOTIATIONS, json!({ "client": client, "id": first["id"] })).await;
        let listed: Vec<(Value, Value, Value, Value)> = read["data"]["client"]["negotiations"]
            .as_array()
            .unwrap_or_else(|| panic!("{read}"))
            .iter()
            .map(|n| (n["id"].clone(), n["status"].clone(), n["supersededBy"].clone(), n["renewal"]["id"].clone()))
            .collect();
        assert_eq!(
            listed,
            vec![
                (third["id"].clone(), json!("OPEN"), Value::Null, json!(renewal)),
                (second["id"].clone(), json!("SUPERSEDED"), third["id"].clone(), json!(renewal)),
                (first["id"].clone(), json!("SUPERSEDED"), second["id"].clone(), json!(renewal)),
            ]
        );
        assert_eq!(read["data"]["negotiation"]["status"], json!("SUPERSEDED"));
        assert_eq!(app.count_where("negotiation", "status = 'open'").await, 1);
        assert_eq!(app.count("negotiation_offer").await, 1, "the superseded negotiation keeps its offer");

        let refused = app.graphql(offer, json!({ "id": first["id"], "arr": floor })).await;
        assert_eq!(error_code(&refused), "CONFLICT", "{refused}");
    }
}

on_both_backends! {
    async fn talking_points_propose_only_terms_within_the_guardrails(backend: Backend) {
        let app = spawn_app_with_demo(backend, 60).await.expect("app");
        let clients = open_renewal_clients(&app).await;
        let mut beyond = 0;
        for (client, _, _) in clients.iter().take(4) {
            for strategy in ["VALUE_REINFORCEMENT", "COMPETITIVE_DEFENSE", "EXPANSION_BUNDLE"] {
                let package = negotiate(&app, client, strategy).await["package"].clone();
                let max = package["guardrails"]["maxDiscount"].as_f64().expect("max");
                for term in package["termOptions"].as_array().expect("terms") {
                    let discount = term["discount"].as_f64().expect("discount");
                    let within = discount <= max + 1e-9;
                    assert_eq!(term["withinGuardrails"], json!(within), "{term} against {max}");
                    let offered = format!("Offer {} months", term["months"]);
                    let proposed = package["talkingPoints"].as_array().expect("points").iter().any(|p| p.as_str().is_some_and(|p| p.starts_with(&offered)));
                    if !within {
                        beyond += 1;
                        assert!(!proposed, "{offered} proposed beyond {max}: {}", package["talkingPoints"]);
                    }
                }
                assert!(package["talkingPoints"].as_array().expect("points").iter().all(|p| !p.as_str().unwrap_or_default().contains("below the floor")));
            }
        }
        assert!(beyond > 0, "the default terms exceed the 5% VALUE_REINFORCEMENT maximum");
    }
}

on_both_backends! {
    async fn an_overdue_renewal_is_high_risk_and_says_by_how_many_days(backend: Backend) {
        let app = spawn_app_with_demo(backend, 60).await.expect("app");
        let listing = app.graphql("{ renewals(daysUntilRenewal: 365) { renewals { renewalId renewalDate riskLevel } } }", json!({})).await;
        let renewals = listing["data"]["renewals"]["renewals"].as_array().unwrap_or_else(|| panic!("{listing}")).clone();
        let low = renewals.iter().find(|r| r["riskLevel"] == "LOW").expect("a LOW-risk open renewal");
        let as_of = date(&low["renewalDate"]) + chrono::Days::new(5);
        let later = app
            .graphql(
                "query($asOf: Date) { renewals(asOf: $asOf) { overdue { renewalId riskLevel riskReasons daysUntilRenewal } } }",
                json!({ "asOf": as_of.to_string() }),
            )
            .await;
        let overdue = later["data"]["renewals"]["overdue"].as_array().unwrap_or_else(|| panic!("{later}"));
        let item = overdue.iter().find(|r| r["renewalId"] == low["renewalId"]).expect("overdue five days later");
        assert_eq!((&item["riskLevel"], &item["riskReasons"]), (&json!("HIGH"), &json!(["overdue by 5 days"])));
        assert!(overdue.iter().all(|r| r["riskLevel"] == "HIGH"), "{overdue:?}");
    }
}

/// What an agent reads: under 20 KB for a tool call without arguments (one client for the tool
/// that needs one).
const MCP_ANSWER_BUDGET: usize = 20 * 1024;

on_both_backends! {
    async fn every_mcp_tool_answers_the_500_client_demo_by_default_in_under_20_kb(backend: Backend) {
        let app = spawn_app_with_demo(backend, 500).await.expect("app");
        let client = crate::agent::first_active_client(&app).await;
        let (_, list) = crate::agent::rpc(&app, json!({ "jsonrpc": "2.0", "id": 1, "method": "tools/list" })).await;
        let tools = list["result"]["tools"].as_array().expect("tools").clone();
        let mut sizes = Vec::new();
        for tool in &tools {
            let name = tool["name"].as_str().expect("name");
            let required = tool["inputSchema"]["required"].as_array().expect("required");
            let arguments = if required.is_empty() { json!({}) } else { json!({ "client_id": client }) };
            let message = json!({ "jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": { "name": name, "arguments": arguments } });
            let response = app.http.post(format!("{}/mcp", app.address)).json(&message).send().await.expect("sent");
            let body = response.bytes().await.expect("body");
            let reply: Value = serde_json::from_slice(&body).expect("JSON");
            let answer = crate::agent::tool_body(&reply);
            assert_eq!(answer["status"], "success", "{name}: {reply}");
            sizes.push((name.to_owned(), body.len()));
            if tool["inputSchema"]["properties"]["limit"].is_object() {
                let total = answer["totalCount"].as_u64().unwrap_or_else(|| panic!("{name}: {answer}"));
                assert_eq!(answer["pageInfo"]["hasNextPage"], json!(total > 10), "{name}: {total} items");
            }
        }
        println!("default MCP answers on the 500-client demo: {sizes:?}");
        assert_eq!(sizes.len(), expansion_api::operations::OPERATIONS.len());
        assert!(sizes.iter().all(|(_, n)| *n < MCP_ANSWER_BUDGET), "{sizes:?}");
    }
}

on_both_backends! {
    async fn every_process_item_list_pages_with_first_and_after_and_reports_the_total(backend: Backend) {
        let app = spawn_app_with_demo(backend, 80).await.expect("app");
        let lists = [
            ("upsellOpportunities(minHealthScore: 0, minUsageThreshold: 0", "opportunities { clientId }", "summary { totalOpportunities }"),
            ("crossSellOpportunities(minFitScore: 0", "opportunities { clientId }", "summary { clientsWithOpportunities }"),
            ("expansionOpportunities(", "clients { clientId }", "portfolio { totalOpportunities }"),
            ("renewals(daysUntilRenewal: 730", "renewals { renewalId }", "summary { totalRenewalsTracked }"),
            ("renewalForecast(forecastPeriodDays: 730", "renewals { renewalId }", "renewalsDue"),
        ];
        for (field, list, summary) in lists {
            let sep = if field.ends_with('(') { "" } else { ", " };
            let query = |extra: &str| format!("{{ r: {field}{sep}{extra}) {{ totalCount pageInfo {{ hasNextPage endCursor }} {list} {summary} }} }}");
            let all = app.graphql(&query("first: 1000"), json!({})).await;
            let all = &all["data"]["r"];
            let key = list.split(' ').next().expect("list name");
            let items = all[key].as_array().unwrap_or_else(|| panic!("{field}: {all}")).clone();
            assert!(items.len() > 3, "{field}: {} items", items.len());
            assert_eq!(all["totalCount"], json!(items.len()), "{field}");
            let first = app.graphql(&query("first: 2"), json!({})).await;
            let first = &first["data"]["r"];
            assert_eq!(first[key].as_array().cloned(), Some(items[..2].to_vec()), "{field}");
            assert_eq!((&first["totalCount"], &first["pageInfo"]["hasNextPage"]), (&json!(items.len()), &json!(true)));
            assert_eq!(first["summary"], all["summary"], "{field}: the summary covers every item");
            assert_eq!(first["portfolio"], all["portfolio"]);
            let cursor = first["pageInfo"]["endCursor"].as_str().expect("cursor");
            let next = app.graphql(&query(&format!("first: 2, after: \"{cursor}\"")), json!({})).await;
            assert_eq!(next["data"]["r"][key].as_array().cloned(), Some(items[2..4].to_vec()), "{field}: {next}");
            let too_many = app.graphql(&query("first: 1001"), json!({})).await;
            assert_eq!(error_code(&too_many), "BAD_USER_INPUT", "{field}: {too_many}");
        }
    }
}

on_both_backends! {
    async fn the_servers_address_redirects_to_the_graphiql_page(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        let response = client.get(format!("{}/", app.address)).send().await.expect("sent");
        assert_eq!(response.status().as_u16(), 302);
        assert_eq!(response.headers().get("location").and_then(|l| l.to_str().ok()), Some("/graphql"));
    }
}

on_both_backends! {
    async fn money_in_sentences_has_the_currency_and_separators_and_forecast_factors_are_in_words(backend: Backend) {
        let app = spawn_app_with_demo(backend, 120).await.expect("app");
        let forecast = app
            .graphql(
                "{ renewalForecast(forecastPeriodDays: 365, first: 5) { renewals { factors { name value description } } \
                   riskAnalysis { mitigationSteps } } }",
                json!({}),
            )
            .await;
        let renewals = forecast["data"]["renewalForecast"]["renewals"].as_array().unwrap_or_else(|| panic!("{forecast}"));
        let factors: Vec<Value> = renewals.iter().flat_map(|r| r["factors"].as_array().cloned().unwrap_or_default()).collect();
        assert!(!factors.is_empty(), "{forecast}");
        for f in &factors {
            let description = f["description"].as_str().expect("description");
            let value = f["value"].as_f64().expect("value");
            // The words end with the contribution to 2 places, with a true minus sign.
            let (sign, tail) = description.rsplit_once(": ").expect("words: value");
            let shown: f64 = tail.replace('−', "-").parse().unwrap_or_else(|_| panic!("{description}"));
            assert!((shown - value).abs() <= 0.0051, "{description} vs {value}");
            assert!(sign.contains(char::is_numeric) || sign.contains('%'), "{description}");
        }
        let steps = forecast["data"]["renewalForecast"]["riskAnalysis"]["mitigationSteps"].as_array().expect("steps");
        assert!(steps.iter().any(|s| s.as_str().is_some_and(|s| s.contains(" ARR)") && s.contains('$'))), "{steps:?}");
        let cross = app
            .graphql("{ crossSellOpportunities(minFitScore: 0, first: 20) { opportunities { recommendedProducts { annualValue readinessSignals } } } }", json!({}))
            .await;
        let items = cross["data"]["crossSellOpportunities"]["opportunities"].as_array().unwrap_or_else(|| panic!("{cross}"));
        let mut checked = 0;
        for product in items.iter().flat_map(|i| i["recommendedProducts"].as_array().cloned().unwrap_or_default()) {
            let value: f64 = product["annualValue"].as_str().expect("Money is a string").parse().expect("exact decimal");
            assert!(!product["annualValue"].as_str().unwrap().contains([',', '$']), "Money fields stay exact decimals");
            let last = product["readinessSignals"].as_array().and_then(|s| s.last()).and_then(Value::as_str).expect("signal");
            let written = format!("{value:.2}");
            let (whole, cents) = written.split_once('.').expect("cents");
            let grouped: String = whole
                .chars()
                .rev()
                .collect::<Vec<_>>()
                .chunks(3)
                .map(|c| c.iter().collect::<String>())
                .collect::<Vec<_>>()
                .join(",")
                .chars()
                .rev()
                .collect();
            assert!(last.contains(&format!("${grouped}.{cents} per year")), "{last} should name ${grouped}.{cents}");
            checked += 1;
        }
        assert!(checked > 0, "{cross}");
    }
}

on_both_backends! {
    async fn the_demo_task_list_holds_one_current_reminder_per_open_renewal_and_the_earlier_ones_worked(backend: Backend) {
        let app = spawn_app_with_demo(backend, 300).await.expect("app");
        let due = app.graphql("{ dueReminders(first: 100) { totalCount nodes { renewal { id } } } }", json!({})).await;
        let total = due["data"]["dueReminders"]["totalCount"].as_u64().unwrap_or_else(|| panic!("{due}"));
        assert!(total > 0, "{due}");
        let completed = app.count_where("renewal_reminder", "status = 'completed'").await;
        let skipped = app.count_where("renewal_reminder", "status = 'skipped'").await;
        assert!(completed > 3 * skipped && skipped > 0, "{completed} completed, {skipped} skipped");
        // One current task per open renewal whose reminders have started: never two for one renewal.
        let stacked = app
            .count("(SELECT renewal_id FROM renewal_reminder WHERE status = 'due' GROUP BY renewal_id HAVING COUNT(*) > 1) s")
            .await;
        assert_eq!(stacked, 0);
        let listed: Vec<&str> = due["data"]["dueReminders"]["nodes"].as_array().expect("nodes").iter()
            .map(|n| n["renewal"]["id"].as_str().expect("id")).collect();
        let distinct: std::collections::BTreeSet<&str> = listed.iter().copied().collect();
        assert_eq!(distinct.len(), listed.len(), "the due list names each renewal once: {due}");
    }
}
