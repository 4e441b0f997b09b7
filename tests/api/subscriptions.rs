//! The `events` subscription over a real WebSocket (`graphql-transport-ws`): a subscriber sees an
//! `opportunity.won` a mutation causes, also when another replica wrote it.
use crate::concurrency::contracted_clients;
use crate::helpers::*;
use crate::on_both_backends;
use crate::webhooks::{quick, win_one};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Connects, initialises and subscribes to `query`.
pub async fn subscribe(app: &TestApp, query: &str) -> Socket {
    let mut socket = open(app, &[]).await.expect("WebSocket connects");
    send(&mut socket, json!({ "type": "connection_init", "payload": {} })).await;
    assert_eq!(next(&mut socket).await["type"], "connection_ack");
    start(&mut socket, query).await;
    socket
}

/// Opens a `graphql-transport-ws` WebSocket with extra upgrade `headers`; the HTTP status when
/// the upgrade is refused.
async fn open(app: &TestApp, headers: &[(&'static str, &str)]) -> Result<Socket, u16> {
    let url = format!("{}/graphql", app.address.replace("http://", "ws://"));
    let mut request = url.into_client_request().expect("request");
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().expect("header"),
    );
    for (name, value) in headers {
        request.headers_mut().insert(*name, value.parse().expect("header"));
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok((socket, response)) => {
            assert_eq!(response.headers()["sec-websocket-protocol"], "graphql-transport-ws");
            Ok(socket)
        }
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => Err(response.status().as_u16()),
        Err(other) => panic!("WebSocket failed: {other}"),
    }
}

async fn start(socket: &mut Socket, query: &str) {
    send(
        socket,
        json!({ "id": "1", "type": "subscribe", "payload": { "query": query } }),
    )
    .await;
}

/// The close frame's code and reason that ends the connection (within 15 s).
async fn closed(socket: &mut Socket) -> (u16, String) {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(15), socket.next())
            .await
            .expect("a message within 15 s");
        match message {
            Some(Ok(Message::Close(Some(frame)))) => return (frame.code.into(), frame.reason.to_string()),
            Some(Ok(Message::Close(None))) | None => return (0, String::new()),
            Some(Ok(Message::Text(text))) => panic!("expected the connection to close, got {text}"),
            Some(Ok(_)) => continue,
            Some(Err(err)) => panic!("socket error: {err}"),
        }
    }
}

async fn send(socket: &mut Socket, message: Value) {
    socket.send(Message::text(message.to_string())).await.expect("sent");
}

/// The next JSON message (pings skipped), within 15 s.
pub async fn next(socket: &mut Socket) -> Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(15), socket.next())
            .await
            .expect("a message within 15 s")
            .expect("socket open")
            .expect("message");
        if let Message::Text(text) = message {
            let value: Value = serde_json::from_str(&text).expect("JSON");
            if value["type"] != "ping" && value["type"] != "pong" {
                return value;
            }
        }
    }
}

const WON: &str =
    "subscription { events(types: [OPPORTUNITY_WON]) { id type typeName clientId subjectId reason data } }";

on_both_backends! {
    async fn a_subscriber_receives_the_opportunity_won_a_mutation_causes(backend: Backend) {
        let app = spawn_app_with(backend, quick).await.expect("app");
        crate::webhooks::seed(&app).await;
        let client = contracted_clients(&app).await.remove(0);
        let mut socket = subscribe(&app, WON).await;
        // The subscription is live once the server has read the request; give it a moment.
        tokio::time::sleep(Duration::from_millis(200)).await;

        let opportunity = win_one(&app, &client, "Live win").await;

        let message = next(&mut socket).await;
        assert_eq!(message["type"], "next", "{message}");
        assert_eq!(message["id"], "1");
        let event = &message["payload"]["data"]["events"];
        assert_eq!(event["type"], "OPPORTUNITY_WON", "only the subscribed type: {message}");
        assert_eq!(event["subjectId"], opportunity.as_str());
        assert_eq!(event["clientId"], client.as_str());
        assert_eq!(event["data"]["value"], "1250.00");
    }
}

on_both_backends! {
    async fn a_subscriber_sees_events_another_replica_wrote(backend: Backend) {
        let app = spawn_app_with(backend, quick).await.expect("app");
        crate::webhooks::seed(&app).await;
        let replica = app.spawn_replica_configured(quick).await;
        let client = contracted_clients(&app).await.remove(0);
        let mut socket = subscribe(&app, WON).await;
        tokio::time::sleep(Duration::from_millis(200)).await;

        let opportunity = win_one(&replica, &client, "Won elsewhere").await;

        let message = next(&mut socket).await;
        assert_eq!(message["payload"]["data"]["events"]["subjectId"], opportunity.as_str(), "{message}");
    }
}

on_both_backends! {
    async fn once_tokens_exist_a_subscriber_authenticates_in_connection_init(backend: Backend) {
        let app = spawn_app_with(backend, quick).await.expect("app");
        crate::webhooks::seed(&app).await;
        let viewer = app.create_token("watcher", "VIEWER").await;
        let admin = app.create_token("writer", "ADMIN").await;

        let mut anonymous = open(&app, &[]).await.expect("upgrade (the token may still come in init)");
        send(&mut anonymous, json!({ "type": "connection_init", "payload": {} })).await;
        let (_, reason) = closed(&mut anonymous).await;
        assert!(reason.contains("bearer token is required"), "{reason}");

        let mut forged = open(&app, &[]).await.expect("upgrade");
        send(&mut forged, json!({ "type": "connection_init", "payload": { "Authorization": "Bearer exp_made_up" } })).await;
        let (_, reason) = closed(&mut forged).await;
        assert!(reason.contains("unknown, revoked or expired"), "{reason}");

        let mut socket = open(&app, &[]).await.expect("upgrade");
        send(&mut socket, json!({ "type": "connection_init", "payload": { "Authorization": format!("Bearer {viewer}") } })).await;
        assert_eq!(next(&mut socket).await["type"], "connection_ack");
        start(&mut socket, WON).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        let admin = app.with_token(&admin);
        let client = contracted_clients(&admin).await.remove(0);
        let opportunity = win_one(&admin, &client, "Seen by a viewer").await;
        let message = next(&mut socket).await;
        assert_eq!(message["payload"]["data"]["events"]["subjectId"], opportunity.as_str(), "{message}");
    }
}

on_both_backends! {
    async fn a_foreign_origin_or_a_bad_upgrade_token_is_refused_before_upgrading(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        assert_eq!(open(&app, &[("origin", "https://evil.example")]).await.err(), Some(403));
        assert!(open(&app, &[("origin", &app.address)]).await.is_ok(), "the server's own page may");
        app.create_token("someone", "VIEWER").await;
        assert_eq!(open(&app, &[("authorization", "Bearer exp_made_up")]).await.err(), Some(401));
    }
}

on_both_backends! {
    async fn an_idle_server_reads_the_outbox_only_while_someone_subscribes(backend: Backend) {
        let app = spawn_app(backend).await.expect("app");
        let background = app.background_sql_statements.clone();
        let over = |seconds: u64| {
            let background = background.clone();
            async move {
                let before = background.get();
                tokio::time::sleep(Duration::from_secs(seconds)).await;
                background.get() - before
            }
        };
        tokio::time::sleep(Duration::from_millis(300)).await;
        // The webhook worker's look for due deliveries, about once a second; the feed sleeps.
        let idle = over(3).await;
        assert!(idle <= 5, "{idle} statements in 3 s on an idle server");

        let mut socket = subscribe(&app, "subscription { events { type } }").await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        let polling = over(1).await;
        assert!(polling >= 4, "{polling} statements in 1 s while a subscriber listens");
        socket.close(None).await.expect("closed");
        drop(socket);
        tokio::time::sleep(Duration::from_millis(500)).await;
        let idle_again = over(3).await;
        assert!(idle_again <= 5, "{idle_again} statements in 3 s after the subscriber left");
    }
}
