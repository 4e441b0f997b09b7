//! Limits: page size, depth, complexity, body size, batch size.
use crate::helpers::*;
use crate::on_both_backends;
use serde_json::json;

on_both_backends! {
    async fn first_above_100_is_refused_with_the_range(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let response = app.graphql("{ clients(first: 101) { totalCount } }", json!({})).await;
        assert_eq!(error_code(&response), "BAD_USER_INPUT");
        assert_eq!(response["errors"][0]["extensions"]["allowed"], "1–100");
    }
}

on_both_backends! {
    async fn too_deep_a_query_is_refused(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let deep = "{ clients { nodes { contracts { client { contracts { client { contracts { client { contracts { client { id } } } } } } } } } } }";
        let response = app.graphql(deep, json!({})).await;
        assert_eq!(error_code(&response), "BAD_USER_INPUT");
        assert!(response["errors"][0]["message"].as_str().is_some_and(|m| m.contains("nested too deep")), "{response}");
    }
}

on_both_backends! {
    async fn too_complex_a_query_is_refused(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        // Four full pages of 100 clients with relations: about 4 × 100 × 15 > the 5,000 budget.
        let page = "clients(first: 100) { nodes { id name tier status arr contacts { id name email role } contracts { id seats status } } }";
        let wide = format!("{{ a: {page} b: {page} c: {page} d: {page} }}");
        let response = app.graphql(&wide, json!({})).await;
        assert_eq!(error_code(&response), "QUERY_TOO_COMPLEX");
        assert!(response["errors"][0]["message"].as_str().is_some_and(|m| m.contains("too complex")), "{response}");
        let extensions = &response["errors"][0]["extensions"];
        assert!(extensions["cost"].as_u64().is_some_and(|c| c > 5_000), "{response}");
        assert_eq!(extensions["limit"], 5_000);
    }
}

on_both_backends! {
    async fn a_body_over_one_mebibyte_is_refused(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let padding = " ".repeat(1024 * 1024 + 1);
        let body = json!({ "query": format!("{{ products {{ id }} }}{padding}") });
        let response = app.http.post(format!("{}/graphql", app.address)).json(&body).send().await.expect("sent");
        assert_eq!(response.status().as_u16(), 413);
    }
}

on_both_backends! {
    async fn batches_are_capped_at_ten_operations(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let one = json!({ "query": "{ products { id } }" });
        let ok: serde_json::Value = app.http.post(format!("{}/graphql", app.address)).json(&vec![one.clone(); 10]).send().await.expect("sent").json().await.expect("json");
        assert_eq!(ok.as_array().map(Vec::len), Some(10));
        let refused: serde_json::Value = app.http.post(format!("{}/graphql", app.address)).json(&vec![one; 11]).send().await.expect("sent").json().await.expect("json");
        assert_eq!(error_code(&refused), "BAD_USER_INPUT");
    }
}

on_both_backends! {
    async fn a_null_variable_for_a_required_argument_is_bad_input(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let response = app.graphql("query($d: Int) { renewals(daysUntilRenewal: $d) { asOf } }", json!({})).await;
        assert_eq!(error_code(&response), "BAD_USER_INPUT", "{response}");
    }
}
