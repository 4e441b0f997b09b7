//! 114–116 over HTTP on the demo book: every item respects the thresholds asked for, summaries are
//! the sums of their items, and bad arguments are refused with their code.
use crate::helpers::*;
use crate::on_both_backends;
use serde_json::{json, Value};

const UPSELL: &str = "query($min: Float!, $usage: Float!) { upsellOpportunities(minHealthScore: $min, minUsageThreshold: $usage, first: 1000) { \
    minHealthScore opportunities { clientId healthScore usageRate expansionValue potentialArr currentArr probability readinessIndicators \
    client { id healthScore latestUsage { usageRate } } } \
    summary { totalOpportunities totalExpansionValue totalPotentialArr avgExpansionValue byTierUpgrade { count } byProbability { high medium low } } } }";

const CROSS_SELL: &str = "query($family: String!, $fit: Float!) { crossSellOpportunities(productFamily: $family, minFitScore: $fit, first: 1000) { \
    opportunities { clientId client { id } totalPotentialValue recommendedProducts { family fitScore annualValue probability readinessSignals } } \
    summary { totalOpportunities clientsWithOpportunities totalPotentialArr } } }";

const PIPELINE: &str = "{ expansionOpportunities(first: 1000) { clients { clientId client { id } currentArr targetArr totalPipelineValue weightedValue \
    opportunities { value weightedValue probability opportunityType reasons } } \
    portfolio { totalOpportunities totalPipelineValue weightedValue byType { count value } byProbability { high medium low } } } }";

fn sum(items: &[Value], field: &str) -> i64 {
    items.iter().map(|i| cents(&i[field])).sum()
}

fn list<'a>(value: &'a Value, what: &str) -> &'a Vec<Value> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("{what} is not a list: {value}"))
}

on_both_backends! {
    async fn upsell_items_meet_the_thresholds_and_the_summary_adds_up(backend: Backend) {
        let app = spawn_app_with_demo(backend, 150).await.expect("app");
        let response = app.graphql(UPSELL, json!({ "min": 80, "usage": 0.9 })).await;
        let result = &response["data"]["upsellOpportunities"];
        let items = list(&result["opportunities"], "opportunities");
        assert!(!items.is_empty(), "{response}");
        for item in items {
            // Checked against the client's own fields, read through another path.
            assert!(item["healthScore"].as_i64() >= Some(80) && item["client"]["healthScore"].as_i64() >= Some(80), "{item}");
            assert!(item["usageRate"].as_f64() >= Some(0.9), "{item}");
            assert!(item["client"]["latestUsage"]["usageRate"].as_f64() >= Some(0.9), "{item}");
            assert_eq!(cents(&item["potentialArr"]), cents(&item["currentArr"]) + cents(&item["expansionValue"]));
            assert!((0.05..=0.95).contains(&item["probability"].as_f64().expect("probability")));
            assert!(!list(&item["readinessIndicators"], "indicators").is_empty());
        }
        let summary = &result["summary"];
        let n = items.len() as i64;
        assert_eq!(summary["totalOpportunities"].as_i64(), Some(n));
        assert_eq!(cents(&summary["totalExpansionValue"]), sum(items, "expansionValue"));
        assert_eq!(cents(&summary["totalPotentialArr"]), sum(items, "potentialArr"));
        assert!((cents(&summary["avgExpansionValue"]) * n - sum(items, "expansionValue")).abs() <= n);
        let by_tier: i64 = list(&summary["byTierUpgrade"], "byTierUpgrade").iter().map(|t| t["count"].as_i64().unwrap_or(0)).sum();
        let bands = &summary["byProbability"];
        assert_eq!(by_tier, n);
        assert_eq!(bands["high"].as_i64().unwrap_or(0) + bands["medium"].as_i64().unwrap_or(0) + bands["low"].as_i64().unwrap_or(0), n);
    }
}

on_both_backends! {
    async fn cross_sell_items_meet_the_fit_and_family_and_the_summary_adds_up(backend: Backend) {
        let app = spawn_app_with_demo(backend, 150).await.expect("app");
        for (family, fit) in [("all", 0.3), ("analytics", 0.4)] {
            let response = app.graphql(CROSS_SELL, json!({ "family": family, "fit": fit })).await;
            let result = &response["data"]["crossSellOpportunities"];
            let clients = list(&result["opportunities"], "opportunities");
            assert!(!clients.is_empty(), "{family}: {response}");
            let mut pairs = 0;
            for client in clients {
                let recommended = list(&client["recommendedProducts"], "recommendedProducts");
                assert_eq!(cents(&client["totalPotentialValue"]), sum(recommended, "annualValue"));
                assert_eq!(client["client"]["id"], client["clientId"]);
                for r in recommended {
                    assert!(r["fitScore"].as_f64() >= Some(fit), "{r}");
                    assert!(family == "all" || r["family"] == family, "{r}");
                    assert!(r["readinessSignals"][0].as_str().is_some_and(|s| s.contains(" clients with ")), "{r}");
                }
                pairs += recommended.len() as i64;
            }
            let summary = &result["summary"];
            assert_eq!(summary["totalOpportunities"].as_i64(), Some(pairs));
            assert_eq!(summary["clientsWithOpportunities"].as_i64(), Some(clients.len() as i64));
            assert_eq!(cents(&summary["totalPotentialArr"]), clients.iter().map(|c| cents(&c["totalPotentialValue"])).sum::<i64>());
        }
    }
}

on_both_backends! {
    async fn the_pipeline_totals_are_the_sums_of_its_items(backend: Backend) {
        let app = spawn_app_with_demo(backend, 150).await.expect("app");
        let response = app.graphql(PIPELINE, json!({})).await;
        let result = &response["data"]["expansionOpportunities"];
        let clients = list(&result["clients"], "clients");
        assert!(!clients.is_empty(), "{response}");
        let mut all = Vec::new();
        for client in clients {
            let items = list(&client["opportunities"], "opportunities");
            assert_eq!(cents(&client["totalPipelineValue"]), sum(items, "value"));
            assert_eq!(cents(&client["weightedValue"]), sum(items, "weightedValue"));
            assert_eq!(cents(&client["targetArr"]), cents(&client["currentArr"]) + cents(&client["totalPipelineValue"]));
            for item in items {
                let p = item["probability"].as_f64().expect("probability");
                assert!((0.0..=1.0).contains(&p));
                assert!((cents(&item["weightedValue"]) as f64 - cents(&item["value"]) as f64 * p).abs() <= 1.0, "{item}");
            }
            all.extend(items.iter().cloned());
        }
        let portfolio = &result["portfolio"];
        assert_eq!(portfolio["totalOpportunities"].as_u64(), Some(all.len() as u64));
        assert_eq!(cents(&portfolio["totalPipelineValue"]), sum(&all, "value"));
        assert_eq!(cents(&portfolio["weightedValue"]), sum(&all, "weightedValue"));
        let by_type = list(&portfolio["byType"], "byType");
        assert_eq!(by_type.len(), 6, "every type has a row");
        assert_eq!(by_type.iter().map(|t| t["count"].as_u64().unwrap_or(0)).sum::<u64>(), all.len() as u64);
        assert_eq!(by_type.iter().map(|t| cents(&t["value"])).sum::<i64>(), sum(&all, "value"));
    }
}

/// Sends `query`, expects `code` (and `field` for BAD_USER_INPUT), and checks nothing was written.
async fn refused(app: &TestApp, query: &str, code: &str, field: Option<&str>) -> Value {
    let (before, opportunities) = (app.snapshot_counts().await, app.count("opportunity").await);
    let response = app.graphql(query, json!({})).await;
    assert_eq!(error_code(&response), code, "{query}: {response}");
    if let Some(field) = field {
        assert_eq!(response["errors"][0]["extensions"]["field"], field, "{response}");
        assert!(
            response["errors"][0]["extensions"]["allowed"].as_str().is_some(),
            "{response}"
        );
    }
    assert_eq!(app.snapshot_counts().await, before, "{query} wrote rows");
    assert_eq!(
        app.count("opportunity").await,
        opportunities,
        "{query} wrote opportunities"
    );
    response
}

on_both_backends! {
    async fn bad_arguments_and_unknown_clients_are_refused_without_writes(backend: Backend) {
        let app = spawn_app_with_demo(backend, 30).await.expect("app");
        refused(&app, "{ upsellOpportunities(minHealthScore: 101) { summary { totalOpportunities } } }", "BAD_USER_INPUT", Some("minHealthScore")).await;
        refused(&app, "{ upsellOpportunities(minUsageThreshold: 3) { summary { totalOpportunities } } }", "BAD_USER_INPUT", Some("minUsageThreshold")).await;
        refused(&app, "{ crossSellOpportunities(minFitScore: 2) { summary { totalOpportunities } } }", "BAD_USER_INPUT", Some("minFitScore")).await;
        let family = refused(&app, "{ crossSellOpportunities(productFamily: \"gadgets\") { summary { totalOpportunities } } }", "BAD_USER_INPUT", Some("productFamily")).await;
        let allowed = family["errors"][0]["extensions"]["allowed"].as_str().unwrap_or_default();
        for known in ["all", "analytics", "integrations", "platform", "services", "training", "usage"] {
            assert!(allowed.split(", ").any(|f| f == known), "{known} missing from {allowed}");
        }
        refused(&app, "{ expansionOpportunities(opportunityTypes: []) { clients { clientId } } }", "BAD_USER_INPUT", Some("opportunityTypes")).await;
        refused(&app, "mutation { identifyExpansionOpportunities(opportunityTypes: []) { created } }", "BAD_USER_INPUT", Some("opportunityTypes")).await;
        for query in [
            "{ upsellOpportunities(clientId: \"nobody\") { summary { totalOpportunities } } }",
            "{ crossSellOpportunities(clientId: \"nobody\") { summary { totalOpportunities } } }",
            "{ expansionOpportunities(clientId: \"nobody\") { clients { clientId } } }",
            "mutation { identifyExpansionOpportunities(clientId: \"nobody\") { created } }",
        ] {
            refused(&app, query, "NOT_FOUND", None).await;
        }
    }
}
