//! Introspection: graphql-js's standard query (what GraphiQL, codegen and Postman send) passes the
//! default limits, and a server with introspection off says so with a code.
use crate::helpers::*;
use crate::on_both_backends;
use serde_json::json;

/// `getIntrospectionQuery()` of npm `graphql` 16.15.0 with its default options, byte for byte
/// (`node -e 'process.stdout.write(require("graphql").getIntrospectionQuery())'`).
const STANDARD_QUERY: &str = include_str!("fixtures/graphql_js_introspection_query.graphql");

on_both_backends! {
    async fn the_standard_introspection_query_is_answered_with_the_default_limits(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let token = app.create_token("graphiql", "VIEWER").await;
        let response = app.graphql_as(&token, STANDARD_QUERY, json!({})).await;
        assert!(response["errors"].is_null(), "{response}");
        let types = response["data"]["__schema"]["types"].as_array().expect("types");
        assert!(types.iter().any(|t| t["name"] == "Client"), "the schema's own types are listed");
        assert_eq!(response["data"]["__schema"]["queryType"]["name"], "QueryRoot");
        let cost = &response["extensions"]["cost"];
        assert!(cost["requested"].as_u64().is_some_and(|c| c > 50), "introspection still costs: {cost}");
    }
}

on_both_backends! {
    async fn introspection_turned_off_is_refused_with_its_code(backend: Backend) {
        let app = spawn_app_with(backend, |s| s.limits.introspection = false).await.expect("app");
        let response = app.graphql(STANDARD_QUERY, json!({})).await;
        assert_eq!(error_code(&response), "INTROSPECTION_DISABLED", "{response}");
        let typename = app.graphql("{ __typename }", json!({})).await;
        assert_eq!(typename["data"]["__typename"], "QueryRoot", "__typename is not introspection");
    }
}

on_both_backends! {
    async fn introspection_fields_do_not_count_against_depth_but_other_fields_do(backend: Backend) {
        let app = spawn_app_with(backend, |s| s.limits.max_depth = 2).await.expect("app");
        let deep_schema = app.graphql("{ __schema { types { fields { type { ofType { ofType { name } } } } } } }", json!({})).await;
        assert!(deep_schema["errors"].is_null(), "{deep_schema}");
        let deep_data = app.graphql("{ clients { nodes { contracts { id } } } }", json!({})).await;
        assert_eq!(error_code(&deep_data), "BAD_USER_INPUT");
        assert_eq!(deep_data["errors"][0]["extensions"]["limit"], 2);
    }
}
