//! Repeated process queries on an unchanged book are answered from the cache (one statement: the
//! book version); any committed write — through this server or another replica — makes the next
//! answer fresh.
use crate::concurrency::contracted_clients;
use crate::helpers::*;
use crate::on_both_backends;
use serde_json::{json, Value};

const PIPELINE: &str = "{ revenueExpansion(asOf: \"2026-06-30\") { pipeline { openOpportunities totalValue } } \
    upsellOpportunities(asOf: \"2026-06-30\") { summary { totalOpportunities totalExpansionValue } } }";

async fn ask(app: &TestApp) -> (Value, u64) {
    let before = app.sql_statements.get();
    let response = app.graphql(PIPELINE, json!({})).await;
    assert!(response["errors"].is_null(), "{response}");
    (response["data"].clone(), app.sql_statements.get() - before)
}

on_both_backends! {
    async fn an_unchanged_book_is_answered_from_the_cache_and_a_write_anywhere_refreshes_it(backend: Backend) {
        let app = spawn_app_with_demo(backend, 40).await.expect("app");
        let (first, computed) = ask(&app).await;
        let (second, cached) = ask(&app).await;
        assert_eq!(first, second);
        assert!(computed > 2, "the first answer is computed ({computed} statements)");
        assert_eq!(cached, 2, "each cached answer costs one statement: the book version");

        // A write through another replica of the same database.
        let replica = app.spawn_replica().await;
        let client = contracted_clients(&app).await.remove(0);
        let created = replica
            .graphql("mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { id } }",
                json!({ "i": { "clientId": client, "opportunityType": "TRAINING", "name": "Fresh", "value": "1234.00", "probability": 0.5 } }))
            .await;
        assert!(created["errors"].is_null(), "{created}");
        let (third, recomputed) = ask(&app).await;
        assert!(recomputed > 2, "recomputed after the write ({recomputed} statements)");
        let open = |v: &Value| v["revenueExpansion"]["pipeline"]["openOpportunities"].as_i64().expect("count");
        assert_eq!(open(&third), open(&first) + 1, "the new opportunity is in the fresh answer");
        assert_eq!(third["upsellOpportunities"], first["upsellOpportunities"]);
    }
}
