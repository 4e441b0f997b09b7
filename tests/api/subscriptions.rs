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
    let url = format!("{}/graphql", app.address.replace("http://", "ws://"));
    let mut request = url.into_client_request().expect("request");
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().expect("header"),
    );
    let (mut socket, response) = tokio_tungstenite::connect_async(request)
        .await
        .expect("WebSocket connects");
    assert_eq!(response.headers()["sec-websocket-protocol"], "graphql-transport-ws");
    send(&mut socket, json!({ "type": "connection_init", "payload": {} })).await;
    assert_eq!(next(&mut socket).await["type"], "connection_ack");
    send(
        &mut socket,
        json!({ "id": "1", "type": "subscribe", "payload": { "query": query } }),
    )
    .await;
    socket
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
        let app = spawn_app_configured(backend, quick).await.expect("app");
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
        let app = spawn_app_configured(backend, quick).await.expect("app");
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
