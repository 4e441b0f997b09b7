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

/// Opens a connection, sends a POST's head announcing 100 bytes, then one byte every 500 ms;
/// returns what the server answered and how long until it closed the connection.
async fn trickle(address: &str) -> (String, std::time::Duration) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.expect("connect");
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.expect("head");
    let started = std::time::Instant::now();
    let mut answer = Vec::new();
    let mut buffer = [0u8; 1024];
    loop {
        tokio::select! {
            read = stream.read(&mut buffer) => match read {
                Ok(0) | Err(_) => break,
                Ok(n) => answer.extend_from_slice(&buffer[..n]),
            },
            _ = tokio::time::sleep(std::time::Duration::from_millis(500)) => {
                if stream.write_all(b" ").await.is_err() {
                    break;
                }
            }
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "the connection was never closed"
        );
    }
    (String::from_utf8_lossy(&answer).into_owned(), started.elapsed())
}

on_both_backends! {
    async fn bodies_trickled_slower_than_the_time_limit_are_answered_408_and_closed(backend: Backend) {
        let app = spawn_app_with(backend, |s| s.limits.body_timeout_secs = 2).await.expect("app");
        let trickles = (0..4).map(|_| trickle(&app.address));
        for (answer, elapsed) in futures_util::future::join_all(trickles).await {
            assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
            assert!(elapsed < std::time::Duration::from_secs(5), "closed after {elapsed:?}");
        }
        let response = app.graphql("{ __typename }", json!({})).await;
        assert_eq!(response["data"]["__typename"], "QueryRoot", "the server still answers");
    }
}
