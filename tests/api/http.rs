//! Probes, GraphiQL, and the HTTP rules of `/graphql`.
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

on_both_backends! {
    async fn metrics_count_sql_statements(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        app.graphql("{ products { id } }", serde_json::json!({})).await;
        let text = app.http.get(format!("{}/metrics", app.address)).send().await.expect("sent").text().await.expect("text");
        let line = text.lines().find(|l| l.starts_with("expansion_sql_statements_total ")).expect("metric line");
        let value: u64 = line.split_whitespace().nth(1).and_then(|v| v.parse().ok()).expect("number");
        assert!(value >= 1);
    }
}
