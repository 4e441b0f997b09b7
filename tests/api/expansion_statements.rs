//! The expansion queries read the whole book in a fixed number of statements: the count is the
//! same for 200 clients as for 1,000 (statements counted by the connection's hook).
use crate::helpers::*;
use crate::on_both_backends;
use serde_json::json;

const QUERIES: [(&str, &str); 3] = [
    ("upsellOpportunities", "{ upsellOpportunities { summary { totalOpportunities } opportunities { clientId client { name tier } } } }"),
    (
        "crossSellOpportunities",
        "{ crossSellOpportunities { summary { totalOpportunities } opportunities { client { name } currentProducts { product { name } } } } }",
    ),
    (
        "expansionOpportunities",
        "{ expansionOpportunities { portfolio { totalOpportunities } clients { client { name } opportunities { name product { name } } } } }",
    ),
];

/// Statements each query costs on a demo book of `clients` clients.
async fn statements(backend: Backend, clients: usize) -> Vec<u64> {
    let app = spawn_app_with_demo(backend, clients).await.expect("app");
    let mut counts = Vec::new();
    for (field, query) in QUERIES {
        let before = app.sql_statements.get();
        let response = app.graphql(query, json!({})).await;
        assert!(response["errors"].is_null(), "{response}");
        assert!(response["data"][field].is_object(), "{response}");
        counts.push(app.sql_statements.get() - before);
    }
    counts
}

on_both_backends! {
    async fn expansion_queries_cost_the_same_statements_for_200_and_1000_clients(backend: Backend) {
        let small = statements(backend, 200).await;
        let large = statements(backend, 1_000).await;
        eprintln!("{backend:?}: upsell / cross-sell / pipeline = {small:?} statements for 200 clients, {large:?} for 1,000");
        assert_eq!(small, large);
        // Eight whole-book reads (+ stored opportunities for the pipeline) and one per loader.
        assert!(large.iter().all(|&n| n <= 12), "{large:?}");
    }
}
