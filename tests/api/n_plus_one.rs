//! The N+1 rule: a nested page costs the same number of SQL statements for 10 clients as for 100.
//! Statements are counted for real, by the database connection's statement hook.
use crate::helpers::*;
use crate::on_both_backends;
use serde_json::json;

const NESTED_PAGE: &str = "query($n: Int!) { clients(first: $n) { totalCount nodes { id name \
    contracts { id items { quantity arr product { id name } } } renewals { id renewalDate } opportunities { id value } contacts { id email } } } }";

/// The page the peer benchmark (`../shared/peer-bench`) loads: scalars, ledger ARR, the newest
/// health and usage, contracts with their ARR, opportunities.
const PEER_PAGE: &str = "query($n: Int!) { clients(first: $n, orderBy: ID_ASC) { nodes { id name tier \
    arr(asOf: \"2026-06-30\") healthScore(asOf: \"2026-06-30\") latestUsage(asOf: \"2026-06-30\") { usageRate } \
    contracts { id renewalDate arr status } opportunities { id opportunityType value probability } } } }";

/// Statements the server sends for one page of `n` clients of `query`.
async fn statements_for(app: &TestApp, query: &str, n: usize) -> u64 {
    let before = app.sql_statements.get();
    let response = app.graphql(query, json!({ "n": n })).await;
    assert!(response["errors"].is_null(), "{response}");
    assert_eq!(response["data"]["clients"]["nodes"].as_array().map(Vec::len), Some(n));
    app.sql_statements.get() - before
}

on_both_backends! {
    async fn nested_page_statement_count_does_not_grow_with_page_size(backend: Backend) {
        let app = spawn_app_with_demo(backend, 120).await.expect("app");
        let for_10 = statements_for(&app, NESTED_PAGE, 10).await;
        let for_100 = statements_for(&app, NESTED_PAGE, 100).await;
        eprintln!("{backend:?}: nested page = {for_10} SQL statements for 10 clients, {for_100} for 100");
        assert_eq!(for_10, for_100);
        // count + page + contracts with their items + products + renewals + opportunities + contacts
        assert!(for_100 <= 7, "{for_100} statements");
    }
}

on_both_backends! {
    async fn the_peer_benchmark_page_costs_four_statements_whatever_its_size(backend: Backend) {
        let app = spawn_app_with_demo(backend, 120).await.expect("app");
        let for_10 = statements_for(&app, PEER_PAGE, 10).await;
        let for_100 = statements_for(&app, PEER_PAGE, 100).await;
        assert_eq!(for_10, for_100);
        // page (no COUNT: totalCount is not selected) + the clients' facts on asOf (ARR, newest
        // health and usage) + contracts with their items + opportunities
        assert_eq!(for_100, 4, "{for_100} statements");
    }
}
