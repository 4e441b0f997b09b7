//! The ledger invariant over the demo data: every client's ledger ARR equals its active contract's.
use crate::helpers::*;
use crate::on_both_backends;
use serde_json::json;

on_both_backends! {
    async fn every_clients_ledger_equals_its_active_contract(backend: Backend) {
        let app = spawn_app_with_demo(backend, 150).await.expect("app");
        let query = "query($after: String) { clients(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { id status arr currentContract { arr } } } }";
        let (mut after, mut checked, mut churned) = (serde_json::Value::Null, 0, 0);
        loop {
            let response = app.graphql(query, json!({ "after": after })).await;
            let page = &response["data"]["clients"];
            for node in page["nodes"].as_array().expect("nodes") {
                let contract_arr = node["currentContract"]["arr"].as_str().unwrap_or("0.00");
                assert_eq!(node["arr"].as_str(), Some(contract_arr), "client {}", node["id"]);
                if node["status"] == "CHURNED" {
                    churned += 1;
                    assert_eq!(node["arr"], "0.00");
                }
                checked += 1;
            }
            if page["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = page["pageInfo"]["endCursor"].clone();
        }
        assert_eq!(checked, 150);
        assert!(churned > 0, "the demo book has churned clients");
    }
}

on_both_backends! {
    async fn demo_data_is_the_same_for_the_same_seed(backend: Backend) {
        let first = spawn_app_with_demo(backend, 30).await.expect("app");
        let second = spawn_app_with_demo(backend, 30).await.expect("app");
        let query = "{ clients(first: 30, orderBy: ID_ASC) { nodes { id name tier arr contracts { id arr } } } revenueEvents(first: 100) { totalCount } }";
        assert_eq!(first.graphql(query, json!({})).await, second.graphql(query, json!({})).await);
    }
}
