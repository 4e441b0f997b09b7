//! Probes, GraphiQL, and the HTTP rules of `/graphql`: media types, status codes, refusals.
use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends! {
    async fn health_and_ready_answer_ok(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        for path in ["/health", "/ready"] {
            let response = app.http.get(format!("{}{path}", app.address)).send().await.expect("sent");
            assert_eq!(response.status().as_u16(), 200, "{path}");
        }
    }
}

on_both_backends! {
    async fn a_mutation_over_get_is_refused_with_405(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let url = format!("{}/graphql?query=mutation%20%7B%20createClient(input%3A%7B%7D)%20%7B%20id%20%7D%20%7D", app.address);
        let response = app.http.get(url).send().await.expect("sent");
        assert_eq!(response.status().as_u16(), 405);
        assert_eq!(app.count("client").await, 0);
    }
}

on_both_backends! {
    async fn a_query_over_get_is_answered(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let url = format!("{}/graphql?query=%7B%20products%20%7B%20id%20%7D%20%7D", app.address);
        let body: serde_json::Value = app.http.get(url).send().await.expect("sent").json().await.expect("json");
        assert_eq!(body["data"]["products"], serde_json::json!([]));
    }
}

on_both_backends! {
    async fn browsers_get_graphiql_with_assets_from_this_server(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let page = app
            .http
            .get(format!("{}/graphql", app.address))
            .header("accept", "text/html")
            .send()
            .await
            .expect("sent")
            .text()
            .await
            .expect("text");
        assert!(page.contains("/graphiql/assets/graphiql.min.js"));
        assert!(!page.contains("unpkg") && !page.contains("https://"), "no CDN");
        let asset = app.http.get(format!("{}/graphiql/assets/graphiql.min.js", app.address)).send().await.expect("sent");
        assert_eq!(asset.status().as_u16(), 200);
    }
}

// GraphQL over HTTP: media types, status codes and refusals (DESIGN §4).

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// An answer as the tests read it: status, `Content-Type`, JSON body.
struct Answer {
    status: u16,
    content_type: String,
    body: serde_json::Value,
}

async fn read(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text = response.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
    Answer {
        status,
        content_type,
        body,
    }
}

/// POSTs `body` with the given `Content-Type` and `Accept`.
async fn post(app: &TestApp, content_type: &str, accept: &str, body: String) -> Answer {
    let request = app
        .http
        .post(format!("{}/graphql", app.address))
        .header("content-type", content_type)
        .header("accept", accept)
        .body(body);
    read(request.send().await.expect("sent")).await
}

/// The three kinds of request error: the document does not parse, does not validate, or its
/// variables do not fit their types.
fn request_errors() -> Vec<(&'static str, String)> {
    let bad_variable = serde_json::json!({
        "query": "query($first: Int) { clients(first: $first) { totalCount } }",
        "variables": { "first": "ten" },
    });
    vec![
        ("parse error", serde_json::json!({ "query": "{" }).to_string()),
        (
            "validation error",
            serde_json::json!({ "query": "{ noSuchField }" }).to_string(),
        ),
        ("bad variable", bad_variable.to_string()),
    ]
}

on_both_backends! {
    async fn a_post_that_is_not_json_is_refused_with_415_and_writes_nothing(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let mutation = r#"mutation { createProduct(input: { id: "api", name: "API Suite", family: "integrations", kind: ADDON, pricing: FLAT, annualPrice: "1500" }) { id } }"#;
        let body = serde_json::json!({ "query": mutation }).to_string();

        let refused = post(&app, "text/plain;charset=UTF-8", "application/json", body.clone()).await;
        assert_eq!(refused.status, 415);
        assert_eq!(error_code(&refused.body), "UNSUPPORTED_MEDIA_TYPE");
        assert_eq!(app.count("product").await, 0, "a refused request wrote a row");

        // The same request as JSON is a valid mutation: the 415 was about the media type alone.
        let accepted = post(&app, "application/json", "application/json", body).await;
        assert_eq!(accepted.body["data"]["createProduct"]["id"], "api", "{}", accepted.body);
        assert_eq!(app.count("product").await, 1);
    }
}

on_both_backends! {
    async fn request_errors_are_400_without_data_in_graphql_response_json(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        for (kind, body) in request_errors() {
            let answer = post(&app, "application/json", GRAPHQL_RESPONSE, body).await;
            assert_eq!(answer.status, 400, "{kind}: {}", answer.body);
            assert!(answer.content_type.starts_with(GRAPHQL_RESPONSE), "{kind}: {}", answer.content_type);
            assert!(answer.body.get("data").is_none(), "{kind}: {}", answer.body);
            assert_eq!(error_code(&answer.body), "BAD_USER_INPUT", "{kind}");
        }
    }
}

on_both_backends! {
    async fn request_errors_are_200_with_null_data_in_json(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        for (kind, body) in request_errors() {
            let answer = post(&app, "application/json", "application/json", body).await;
            assert_eq!(answer.status, 200, "{kind}: {}", answer.body);
            assert!(answer.content_type.starts_with("application/json"), "{kind}: {}", answer.content_type);
            assert_eq!(answer.body["data"], serde_json::Value::Null, "{kind}");
            assert_eq!(error_code(&answer.body), "BAD_USER_INPUT", "{kind}");
        }
    }
}

on_both_backends! {
    async fn a_result_in_graphql_response_json_is_200(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let body = serde_json::json!({ "query": "{ products { id } }" }).to_string();
        let accept = "application/graphql-response+json, application/json;q=0.9";
        let answer = post(&app, "application/json", accept, body).await;
        assert_eq!(answer.status, 200);
        assert!(answer.content_type.starts_with(GRAPHQL_RESPONSE), "{}", answer.content_type);
        assert_eq!(answer.body["data"]["products"], serde_json::json!([]));
    }
}

on_both_backends! {
    async fn a_client_accepting_neither_json_type_gets_406(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let body = serde_json::json!({ "query": "{ products { id } }" }).to_string();
        let answer = post(&app, "application/json", "text/html", body).await;
        assert_eq!(answer.status, 406);
        assert_eq!(error_code(&answer.body), "NOT_ACCEPTABLE");
    }
}

on_both_backends! {
    async fn a_body_over_the_limit_is_a_413_json_error(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let padding = " ".repeat(1024 * 1024 + 1);
        let body = serde_json::json!({ "query": format!("{{ products {{ id }} }}{padding}") }).to_string();
        let answer = post(&app, "application/json", "application/json", body).await;
        assert_eq!(answer.status, 413);
        assert!(answer.content_type.starts_with("application/json"), "{}", answer.content_type);
        assert_eq!(error_code(&answer.body), "PAYLOAD_TOO_LARGE");
    }
}

on_both_backends! {
    async fn get_variables_that_are_not_json_are_a_400_naming_them(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let url = format!("{}/graphql?query=%7B%20products%20%7B%20id%20%7D%20%7D&variables=%7Bnot-json", app.address);
        let answer = read(app.http.get(url).send().await.expect("sent")).await;
        assert_eq!(answer.status, 400);
        assert_eq!(error_code(&answer.body), "BAD_REQUEST");
        let message = answer.body["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains("`variables`") && message.contains("not valid JSON"), "{message}");
    }
}

on_both_backends! {
    async fn a_missing_query_is_a_400(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let answer = post(&app, "application/json", "application/json", r#"{"variables":{}}"#.to_owned()).await;
        assert_eq!(answer.status, 400);
        assert_eq!(error_code(&answer.body), "BAD_REQUEST");
        let answer = read(app.http.get(format!("{}/graphql", app.address)).send().await.expect("sent")).await;
        assert_eq!(answer.status, 400, "GET without a query and without text/html");
    }
}

on_both_backends! {
    async fn parameters_of_the_wrong_json_type_are_a_400(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        for body in [r#"{"query":1}"#, r#"{"query":"{ products { id } }","variables":[]}"#, r#"{"query":"{ products { id } }","operationName":false}"#, "\"{ products { id } }\""] {
            let answer = post(&app, "application/json", "application/json", body.to_owned()).await;
            assert_eq!(answer.status, 400, "{body}: {}", answer.body);
            assert_eq!(error_code(&answer.body), "BAD_REQUEST", "{body}");
        }
    }
}
