//! The N+1 rule: a nested page costs the same number of SQL statements for 10 clients as for 100.
//! Statements are counted for real, by the database connection's statement hook.
use crate::helpers::*;
use crate::on_both_backends;
use serde_json::json;

const NESTED_PAGE: &str = "query($n: Int!) { clients(first: $n) { totalCount nodes { id name \
    contracts { id items { quantity arr product { id name } } } renewals { id renewalDate } opportunities { id value } contacts { id email } } } }";

/// Statements the server sends for one nested page of `n` clients.
async fn statements_for_page(app: &TestApp, n: usize) -> u64 {
    let before = app.sql_statements.get();
    let response = app.graphql(NESTED_PAGE, json!({ "n": n })).await;
    assert!(response["errors"].is_null(), "{response}");
    assert_eq!(response["data"]["clients"]["nodes"].as_array().map(Vec::len), Some(n));
    app.sql_statements.get() - before
}

on_both_backends! {
    async fn nested_page_statement_count_does_not_grow_with_page_size(backend: Backend) {
        let app = spawn_app_with_demo(backend, 120).await.expect("app");
        let for_10 = statements_for_page(&app, 10).await;
        let for_100 = statements_for_page(&app, 100).await;
        eprintln!("{backend:?}: nested page = {for_10} SQL statements for 10 clients, {for_100} for 100");
        assert_eq!(for_10, for_100);
        // count + page + contracts + items + products + renewals + opportunities + contacts
        assert!(for_100 <= 8, "{for_100} statements");
    }
}
