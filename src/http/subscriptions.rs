//! GraphQL subscriptions over WebSocket on `/graphql` (`graphql-transport-ws`, and the older
//! `graphql-ws` that some clients still speak): the same schema, each operation with the request
//! context of the connection.
//!
//! Who subscribes is decided as for every request (`auth`), with one addition for browsers, which
//! cannot set headers on a WebSocket: the token may come in the `connection_init` payload, as
//! `{"Authorization": "Bearer exp_…"}` (what Apollo and graphql-ws clients send) or
//! `{"token": "exp_…"}`. A refused token closes the connection with its reason.
//! Browsers do send `Origin` on the upgrade: a page on another site may not subscribe (the
//! cross-site WebSocket hijacking that CORS does not cover), as it may not use `/mcp`.
use super::auth::{self, Gate};
use super::edge;
use super::graphql::request_context;
use super::negotiation::MediaType;
use super::reply::Refusal;
use super::AppState;
use crate::domain::access::Actor;
use actix_web::guard::GuardContext;
use actix_web::{web, HttpRequest, HttpResponse};
use async_graphql::{Data, ErrorExtensions};
use async_graphql_actix_web::GraphQLSubscription;

/// A WebSocket upgrade (any other GET is a query or GraphiQL).
pub fn is_upgrade(ctx: &GuardContext<'_>) -> bool {
    ctx.head()
        .headers()
        .get(actix_web::http::header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

/// `GET /graphql` with `Upgrade: websocket`.
pub async fn websocket(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> actix_web::Result<HttpResponse> {
    if let Err(refusal) = edge::check_origin(&state, &req, "subscribe") {
        return Ok(refusal.respond(MediaType::Json));
    }
    // A token in the upgrade's own header (non-browser clients) is checked before upgrading, so a
    // wrong one is a plain 401.
    let header_actor = match auth::bearer(&req) {
        Ok(Some(secret)) => match auth::actor_of(&state.gate, Some(secret), "").await {
            Ok(actor) => Some(actor),
            Err(refusal) => return Ok(refusal.respond(MediaType::Json)),
        },
        Ok(None) => None,
        Err(refusal) => return Ok(refusal.respond(MediaType::Json)),
    };
    let (gate, host) = (state.gate.clone(), auth::host_of(&req).to_owned());
    // The connection's id, clock and address; its actor is set once `connection_init` is read.
    let mut context = request_context(&req, Actor::without_token("anonymous"));
    GraphQLSubscription::new(state.schema.clone())
        .on_connection_init(move |init| async move {
            let actor = connection_actor(&gate, header_actor, &init, &host)
                .await
                .map_err(|refusal| {
                    async_graphql::Error::new(refusal.message().to_owned())
                        .extend_with(|_, e| e.set("code", refusal.code()))
                })?;
            context.actor = actor;
            let mut data = Data::default();
            data.insert(context);
            Ok(data)
        })
        .start(&req, payload)
}

/// The connection's actor: the `connection_init` token if one is sent, else the upgrade header's,
/// else the anonymous actor of an open server.
async fn connection_actor(
    gate: &Gate,
    header_actor: Option<Actor>,
    init: &serde_json::Value,
    host: &str,
) -> Result<Actor, Refusal> {
    match init_secret(init)? {
        Some(secret) => auth::actor_of(gate, Some(secret), host).await,
        None => match header_actor {
            Some(actor) => Ok(actor),
            None => auth::actor_of(gate, None, host).await,
        },
    }
}

/// The token of a `connection_init` payload, if it carries one.
fn init_secret(init: &serde_json::Value) -> Result<Option<&str>, Refusal> {
    let field = |name: &str| {
        init.as_object()
            .and_then(|o| o.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)))
            .and_then(|(_, v)| v.as_str())
    };
    if let Some(value) = field("authorization") {
        return auth::bearer_secret(value);
    }
    Ok(field("token").map(str::trim).filter(|t| !t.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::init_secret;
    use serde_json::json;

    #[test]
    fn connection_init_tokens_are_read_from_either_field() {
        let secret = |v| init_secret(&v).map(|s| s.map(str::to_owned)).map_err(|r| r.code());
        assert_eq!(
            secret(json!({"Authorization": "Bearer exp_a"})),
            Ok(Some("exp_a".into()))
        );
        assert_eq!(
            secret(json!({"authorization": "bearer  exp_b "})),
            Ok(Some("exp_b".into()))
        );
        assert_eq!(secret(json!({"token": "exp_c"})), Ok(Some("exp_c".into())));
        assert_eq!(secret(json!({})), Ok(None));
        assert_eq!(secret(json!(null)), Ok(None));
        assert_eq!(secret(json!({"Authorization": "Basic x"})), Err("UNAUTHENTICATED"));
    }
}
