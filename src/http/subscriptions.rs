//! GraphQL subscriptions over WebSocket on `/graphql` (`graphql-transport-ws`, and the older
//! `graphql-ws` that some clients still speak): the same schema, each operation with the request
//! context of the connection.
use super::graphql::request_context;
use super::AppState;
use actix_web::guard::GuardContext;
use actix_web::{web, HttpRequest, HttpResponse};
use async_graphql::Data;
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
    let context = request_context(&req);
    GraphQLSubscription::new(state.schema.clone())
        .on_connection_init(move |_payload| async move {
            // The token of `connection_init` is read here once API tokens exist; until then the
            // server is open on loopback only, like every other request.
            let mut data = Data::default();
            data.insert(context);
            Ok(data)
        })
        .start(&req, payload)
}
