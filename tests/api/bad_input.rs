//! Every user mistake is `BAD_USER_INPUT` with the path of the bad value and what is allowed —
//! in literals, variables, nested input objects, GET query strings and MCP arguments — and a
//! refused mutation writes nothing.
use crate::helpers::*;
use crate::on_both_backends;
use serde_json::{json, Value};

const RENEWALS: &str = "query($d: Date) { renewals(asOf: $d) { summary { totalRenewalsTracked } } }";
const CREATE_OPP: &str = "mutation($i: CreateOpportunityInput!) { createOpportunity(input: $i) { id } }";

fn assert_bad_input(response: &Value, field: &str) {
    assert_eq!(error_code(response), "BAD_USER_INPUT", "{response}");
    assert_eq!(response["errors"][0]["extensions"]["field"], field, "{response}");
    assert!(response["errors"][0]["extensions"]["allowed"].is_string(), "{response}");
    assert!(response["data"].is_null(), "nothing ran: {response}");
}

fn bad_fields(response: &Value) -> Vec<String> {
    let fields = response["errors"][0]["extensions"]["fields"]
        .as_array()
        .expect("extensions.fields");
    fields
        .iter()
        .map(|f| f["field"].as_str().expect("field").to_owned())
        .collect()
}

on_both_backends! {
    async fn bad_dates_and_amounts_are_bad_user_input_in_literals_and_variables(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        for date in ["2026-02-30", "2026-13-01", "abc", "2026-1-1"] {
            let literal = app.graphql(&format!("{{ renewals(asOf: \"{date}\") {{ summary {{ totalRenewalsTracked }} }} }}"), json!({})).await;
            assert_bad_input(&literal, "renewals.asOf");
            let variable = app.graphql(RENEWALS, json!({ "d": date })).await;
            assert_bad_input(&variable, "$d");
            assert!(variable["errors"][0]["extensions"]["allowed"].as_str().expect("allowed").contains("YYYY-MM-DD"));
        }
        let number = app.graphql(RENEWALS, json!({ "d": 20260101 })).await;
        assert_bad_input(&number, "$d");
        let days = app.graphql("query($n: Int) { renewals(daysUntilRenewal: $n) { summary { totalRenewalsTracked } } }", json!({ "n": "90" })).await;
        assert_bad_input(&days, "$n");
        let huge = app.graphql("query($n: Int) { renewals(daysUntilRenewal: $n) { summary { totalRenewalsTracked } } }", json!({ "n": 3_000_000_000_i64 })).await;
        assert_bad_input(&huge, "$n");
    }
}

on_both_backends! {
    async fn an_input_object_with_several_bad_fields_reports_all_of_them_and_writes_nothing(backend: Backend) {
        let app = spawn_app_with_demo(backend, 5).await.expect("app");
        let before = app.snapshot_counts().await;
        let input = json!({ "clientId": "nobody", "opportunityType": "BOGUS", "name": "x", "value": "0.001",
                            "probability": "high", "expectedCloseDate": "2026-02-30", "colour": "red" });
        let response = app.graphql(CREATE_OPP, json!({ "i": input })).await;
        assert_eq!(error_code(&response), "BAD_USER_INPUT", "{response}");
        let mut fields = bad_fields(&response);
        fields.sort();
        assert_eq!(fields, ["$i.colour", "$i.expectedCloseDate", "$i.opportunityType", "$i.probability", "$i.value"]);
        let listed = &response["errors"][0]["extensions"]["fields"];
        let enum_problem = listed.as_array().expect("fields").iter().find(|f| f["field"] == "$i.opportunityType").expect("enum");
        assert!(enum_problem["allowed"].as_str().expect("allowed").contains("USER_EXPANSION"), "{enum_problem}");

        let literal = app
            .graphql("mutation { createOpportunity(input: { clientId: \"x\", opportunityType: TRAINING, name: \"n\", value: \"1.234\", probability: 0.5, expectedCloseDate: \"2026-02-31\" }) { id } }", json!({}))
            .await;
        let mut fields = bad_fields(&literal);
        fields.sort();
        assert_eq!(fields, ["createOpportunity.input.expectedCloseDate", "createOpportunity.input.value"], "{literal}");
        assert_eq!(app.snapshot_counts().await, before, "a refused mutation writes nothing");
    }
}

on_both_backends! {
    async fn missing_variables_wrong_json_types_and_nulls_are_bad_user_input(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let missing = app.graphql(CREATE_OPP, json!({})).await;
        assert_bad_input(&missing, "$i");
        let not_object = app.graphql(CREATE_OPP, json!({ "i": [1, 2] })).await;
        assert_bad_input(&not_object, "$i");
        let null_name = app
            .graphql(CREATE_OPP, json!({ "i": { "clientId": "c", "opportunityType": "TRAINING", "name": null, "value": "1.00", "probability": 0.5 } }))
            .await;
        assert_bad_input(&null_name, "$i.name");
        let list = app.graphql("query($t: [OpportunityType!]) { expansionOpportunities(opportunityTypes: $t) { summary { totalOpportunities } } }", json!({ "t": ["UPSELL", "NOPE"] })).await;
        assert_bad_input(&list, "$t[1]");
    }
}

on_both_backends! {
    async fn bad_values_in_a_get_query_string_are_bad_user_input(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let response: Value = app
            .http
            .get(format!("{}/graphql", app.address))
            .query(&[("query", RENEWALS), ("variables", "{\"d\": \"2026-02-30\"}")])
            .send()
            .await
            .expect("sent")
            .json()
            .await
            .expect("JSON");
        assert_bad_input(&response, "$d");
    }
}

on_both_backends! {
    async fn control_characters_and_bidi_overrides_are_refused_and_search_wildcards_match_themselves(backend: Backend) {
        let app = spawn_app_with_demo(backend, 20).await.expect("app");
        let create = "mutation($i: CreateClientInput!) { createClient(input: $i) { id name } }";
        let client = |name: &str| json!({ "i": { "name": name, "industry": "Retail", "tier": "STARTER", "customerSince": "2025-01-01" } });
        for name in ["Null\u{0}Corp", "Bell\u{7}Corp", "\u{202E}evil", "Two\nLines"] {
            let response = app.graphql(create, client(name)).await;
            assert_eq!(error_code(&response), "BAD_USER_INPUT", "{name:?}: {response}");
        }
        let made = app.graphql(create, client("snake_case Holdings")).await;
        assert!(made["errors"].is_null(), "{made}");
        let search = |text: &str| {
            let text = text.to_owned();
            let app = &app;
            async move {
                app.graphql("query($s: String) { clients(first: 100, filter: { search: $s }) { totalCount nodes { name } } }", json!({ "s": text })).await
            }
        };
        let underscore = search("_").await;
        assert_eq!(underscore["data"]["clients"]["totalCount"], 1, "{underscore}");
        assert_eq!(underscore["data"]["clients"]["nodes"][0]["name"], "snake_case Holdings");
        assert_eq!(search("%").await["data"]["clients"]["totalCount"], 0);
        assert_eq!(error_code(&search("\u{202E}x").await), "BAD_USER_INPUT");
        assert_eq!(error_code(&search(&"x".repeat(101)).await), "BAD_USER_INPUT");
    }
}

on_both_backends! {
    async fn domain_rules_report_every_broken_field_of_an_input_at_once(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let before = app.snapshot_counts().await;
        let response = app
            .graphql(
                "mutation($i: CreateClientInput!) { createClient(input: $i) { id } }",
                json!({ "i": { "id": "bad id!", "name": "  ", "industry": "x".repeat(201), "tier": "STARTER", "customerSince": "2025-01-01", "acquisitionCost": "-5.00" } }),
            )
            .await;
        assert_eq!(error_code(&response), "BAD_USER_INPUT", "{response}");
        let mut fields = bad_fields(&response);
        fields.sort();
        assert_eq!(fields, ["acquisitionCost", "id", "industry", "name"], "{response}");
        assert!(response["errors"][0]["message"].as_str().expect("message").starts_with("4 invalid input values"));
        assert_eq!(app.snapshot_counts().await, before);
    }
}
