//! `/graphql`: POST for everything (single or batched), GET for queries (a mutation over GET is
//! 405) and GraphiQL for browsers. Every operation gets fresh loaders, the request clock and id,
//! a timeout, and an error code on every error. The answer's media type and status follow the
//! GraphQL-over-HTTP spec (`negotiation`, `reply`); the parameters are checked in `params`.
use super::negotiation::{self, MediaType};
use super::persisted::PersistedQueryError;
use super::rate_limit::Budget;
use super::reply::{self, Refusal};
use super::{auth, graphiql, params, AppState, RequestId};
use crate::domain::access::Actor;
use crate::graphql::batching::whole_levels;
use crate::graphql::cost;
use crate::graphql::loaders::Loaders;
use crate::services::RequestContext;
use crate::telemetry::meter;
use actix_web::http::header;
use actix_web::http::StatusCode;
use actix_web::{web, HttpMessage, HttpRequest, HttpResponse};
use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql::{BatchRequest, Name, Request, Response, ServerError, Value};
use std::time::{Duration, Instant};

/// `POST /graphql`: a JSON request or a batch (array) of at most `limits.max_batch`.
pub async fn post(state: web::Data<AppState>, req: HttpRequest, payload: web::Payload) -> HttpResponse {
    let Some(media) = negotiation::response_media(&req) else {
        return not_acceptable();
    };
    if let Err(refusal) = json_body(&req) {
        return refusal.respond(media);
    }
    let actor = match auth::actor(&state, &req).await {
        Ok(actor) => actor,
        Err(refusal) => return refusal.respond(media),
    };
    match read_batch(&state, &req, payload).await {
        Ok(batch) => answer(&state, &request_context(&req, actor), media, batch).await,
        Err(refusal) => refusal.respond(media),
    }
}

/// CSRF defence as Apollo Server's: a browser sends `text/plain` and form types cross-origin
/// without a preflight, so only a JSON body (which needs one) may reach GraphQL.
fn json_body(req: &HttpRequest) -> Result<(), Refusal> {
    if negotiation::has_json_body(req) {
        return Ok(());
    }
    Err(Refusal::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "UNSUPPORTED_MEDIA_TYPE",
        "a GraphQL POST body must be JSON: send `Content-Type: application/json`",
    ))
}

/// The parameters of a POST, read once its content type and caller were accepted (a refused
/// request costs no upload).
async fn read_batch(state: &AppState, req: &HttpRequest, payload: web::Payload) -> Result<BatchRequest, Refusal> {
    let timeout = Duration::from_secs(state.limits.body_timeout_secs);
    let body = super::body::read(req, payload, state.limits.max_body_bytes, timeout).await?;
    params::from_body(&body)
}

/// Runs a single request or a batch within its size limit.
async fn answer(state: &AppState, context: &RequestContext, media: MediaType, batch: BatchRequest) -> HttpResponse {
    match batch {
        BatchRequest::Single(request) => reply::single(media, run(state, context, request).await),
        BatchRequest::Batch(requests) if requests.len() > state.limits.max_batch => {
            let message = format!(
                "batch of {} operations exceeds the limit of {}",
                requests.len(),
                state.limits.max_batch
            );
            Refusal::new(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", message).respond(media)
        }
        BatchRequest::Batch(requests) => {
            let runs = requests.into_iter().map(|request| run(state, context, request));
            reply::batch(media, futures_util::future::join_all(runs).await)
        }
    }
}

/// `GET /graphql`: GraphiQL for a browser without a query; otherwise a query from the URL.
pub async fn get(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let wants_html = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let has_query = req
        .query_string()
        .split('&')
        .any(|pair| pair.starts_with("query=") || pair.starts_with("extensions="));
    if wants_html && !has_query {
        let page = graphiql::graphiql_page("/graphql", &examples());
        return HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((
                header::CONTENT_SECURITY_POLICY,
                graphiql::content_security_policy(&page),
            ))
            .body(page);
    }
    let Some(media) = negotiation::response_media(&req) else {
        return not_acceptable();
    };
    let actor = match auth::actor(&state, &req).await {
        Ok(actor) => actor,
        Err(refusal) => return refusal.respond(media),
    };
    let request = match params::from_query_string(req.query_string()) {
        Ok(request) => request,
        Err(refusal) => return refusal.respond(media),
    };
    let request = match state.persisted.resolve(request) {
        Ok(request) => request,
        Err(err) => return reply::single(media, persisted_query_failure(err)),
    };
    if is_mutation(&request) {
        return Refusal::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            "mutations must be sent with POST",
        )
        .allow("POST")
        .respond(media);
    }
    reply::single(media, execute(&state, &request_context(&req, actor), request).await)
}

/// 406: the client accepts neither response type. Said in JSON, the one it is likeliest to read.
fn not_acceptable() -> HttpResponse {
    Refusal::new(
        StatusCode::NOT_ACCEPTABLE,
        "NOT_ACCEPTABLE",
        "`Accept` must allow application/graphql-response+json or application/json",
    )
    .respond(MediaType::Json)
}

/// The example tabs GraphiQL opens with: one per agent operation, then the graph examples.
fn examples() -> Vec<(String, String)> {
    let graph = [
        ("FirstLook", include_str!("examples/first_look.graphql")),
        ("Ledger", include_str!("examples/ledger.graphql")),
        ("Expansion", include_str!("examples/expansion.graphql")),
    ];
    crate::operations::OPERATIONS
        .iter()
        .map(|op| (op.tool.to_owned(), op.document.to_owned()))
        .chain(
            graph
                .into_iter()
                .map(|(name, query)| (name.to_owned(), query.to_owned())),
        )
        .collect()
}

/// Any other method on `/graphql`.
pub async fn method_not_allowed() -> HttpResponse {
    Refusal::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
        "use GET for queries or POST",
    )
    .allow("GET, POST")
    .respond(MediaType::Json)
}

/// The request's clock, id and (authenticated) actor.
pub fn request_context(req: &HttpRequest, actor: Actor) -> RequestContext {
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let client = req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default();
    RequestContext {
        now: chrono::Utc::now(),
        request_id,
        actor,
        client,
    }
}

/// Resolves a persisted query, then executes.
async fn run(state: &AppState, context: &RequestContext, request: Request) -> Response {
    match state.persisted.resolve(request) {
        Ok(request) => execute(state, context, request).await,
        Err(err) => persisted_query_failure(err),
    }
}

/// Executes one operation: measured (depth, aliases, cost) and charged to the caller's budget
/// before anything runs, its inputs checked, then run with fresh loaders and the request context
/// within the time limit, with an error code on every error and the cost in `extensions.cost`.
/// Also the entry point of the MCP tools.
pub async fn execute(state: &AppState, context: &RequestContext, request: Request) -> Response {
    let started = std::time::Instant::now();
    let operation = meter::operation_name(request.operation_name.as_deref(), &request.query);
    tracing::Span::current().record("operation", tracing::field::display(&operation));
    let response = execute_unmeasured(state, context, request).await;
    meter::graphql_operation(&operation, response.errors.is_empty(), started.elapsed());
    for error in &response.errors {
        let code = error.extensions.as_ref().and_then(|e| e.get("code"));
        if let Some(async_graphql::Value::String(code)) = code {
            meter::graphql_error(code);
        }
    }
    response
}

async fn execute_unmeasured(state: &AppState, context: &RequestContext, mut request: Request) -> Response {
    // Parsed once: the measure, the input check and the executor share the document.
    let document = match async_graphql::parser::parse_query(&request.query) {
        Ok(document) => document,
        Err(parse_error) => return with_codes(Response::from_errors(vec![parse_error.into()])),
    };
    let operation_name = request.operation_name.as_deref();
    let cost = match cost::measure(&document, operation_name, &request.variables, &state.limits) {
        Some(Ok(measure)) => measure.cost,
        Some(Err(refused)) => return Response::from_errors(vec![refused]),
        None => 1,
    };
    let taken = match rate_key(context, state.rate_limiter.limits_anonymous()) {
        Some(key) => state.rate_limiter.take(&key, cost, Instant::now()),
        None => Ok(state.rate_limiter.unlimited()),
    };
    let budget = match taken {
        Ok(budget) => budget,
        Err(retry_after) => return rate_limited(cost, retry_after),
    };
    if let Some(bad_input) = crate::graphql::input_check::check(&document, operation_name, &request.variables) {
        return with_cost(Response::from_errors(vec![bad_input]), cost, &budget);
    }
    request.set_parsed_query(document);
    let request = request.data(Loaders::new(&state.db, &state.clv)).data(context.clone());
    let limit = Duration::from_secs(state.limits.request_timeout_secs);
    let response = match tokio::time::timeout(limit, whole_levels(state.schema.execute(request))).await {
        Ok(response) => with_codes(response),
        Err(_) => {
            tracing::warn!("request timed out");
            coded_failure(
                "TIMEOUT",
                &format!("request exceeded the {}s time limit", limit.as_secs()),
            )
        }
    };
    with_cost(response, cost, &budget)
}

/// Whose bucket an operation is charged to: the token's, or the client address's when anonymous
/// callers are limited (`rate_limit.anonymous`); `None`: nobody's.
fn rate_key(context: &RequestContext, limit_anonymous: bool) -> Option<String> {
    match context.actor.token_id {
        Some(id) => Some(format!("token:{id}")),
        None => limit_anonymous.then(|| format!("address:{}", context.client)),
    }
}

/// `extensions.cost`: what this operation cost and what is left of the caller's budget.
fn with_cost(mut response: Response, cost: u64, budget: &Budget) -> Response {
    let mut object = async_graphql::indexmap::IndexMap::new();
    object.insert(Name::new("requested"), Value::from(cost));
    object.insert(Name::new("limit"), Value::from(budget.limit));
    object.insert(Name::new("remaining"), Value::from(budget.remaining));
    object.insert(Name::new("resetSeconds"), Value::from(budget.reset_seconds));
    response.extensions.insert("cost".to_owned(), Value::Object(object));
    response
}

/// `RATE_LIMITED`, with the seconds to wait (`Retry-After` at the HTTP layer).
fn rate_limited(cost: u64, retry_after: u64) -> Response {
    let mut error = ServerError::new(
        format!("rate limit: this operation costs {cost}, more than is left of your budget; retry in {retry_after}s"),
        None,
    );
    let extensions = error.extensions.get_or_insert_with(Default::default);
    extensions.set("code", "RATE_LIMITED");
    extensions.set("cost", cost);
    extensions.set("retryAfter", retry_after);
    Response::from_errors(vec![error])
}

/// Does the request select a mutation? Unparseable queries are left to the executor's error.
fn is_mutation(request: &Request) -> bool {
    let Ok(document) = async_graphql::parser::parse_query(&request.query) else {
        return false;
    };
    match &document.operations {
        DocumentOperations::Single(op) => op.node.ty == OperationType::Mutation,
        DocumentOperations::Multiple(ops) => match &request.operation_name {
            Some(name) => ops
                .get(name.as_str())
                .is_some_and(|op| op.node.ty == OperationType::Mutation),
            None => ops.values().any(|op| op.node.ty == OperationType::Mutation),
        },
    }
}

/// Gives every error a code. Our resolvers set theirs; what is left came from async-graphql itself:
/// without a path it is a parse, validation or limit failure of the request (`BAD_USER_INPUT`), as
/// is an argument value refused at the field; any other field failure is one we did not anticipate
/// (`INTERNAL_SERVER_ERROR`).
fn with_codes(mut response: Response) -> Response {
    let unavailable = response
        .errors
        .iter()
        .filter(|e| code_of(e) == Some("SERVICE_UNAVAILABLE"))
        .count();
    if unavailable > 0 {
        tracing::warn!(
            errors = unavailable,
            "database busy or pool exhausted: answered SERVICE_UNAVAILABLE"
        );
    }
    for error in &mut response.errors {
        let has_code = code_of(error).is_some();
        if !has_code {
            // Argument values async-graphql refused at the field (e.g. a null variable for a
            // non-null argument) carry a path, but they are still the caller's input.
            // (`Failed to parse` is a scalar's own refusal, the rest async-graphql's coercion.)
            let bad_argument = error.message.starts_with("Expected input type")
                || error.message.starts_with("Invalid value for argument")
                || error.message.starts_with("Failed to parse \"")
                || error.message.starts_with("Variable ");
            let code = if error.path.is_empty() || bad_argument {
                "BAD_USER_INPUT"
            } else {
                "INTERNAL_SERVER_ERROR"
            };
            error.extensions.get_or_insert_with(Default::default).set("code", code);
        }
    }
    response
}

fn code_of(error: &ServerError) -> Option<&str> {
    match error.extensions.as_ref()?.get("code")? {
        Value::String(code) => Some(code.as_str()),
        _ => None,
    }
}

/// The Apollo answers: `PersistedQueryNotFound` (clients match that message) with its code.
fn persisted_query_failure(err: PersistedQueryError) -> Response {
    match err {
        PersistedQueryError::NotFound => coded_failure("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound"),
        PersistedQueryError::Invalid(message) => coded_failure("BAD_USER_INPUT", &message),
    }
}

fn coded_failure(code: &str, message: &str) -> Response {
    let mut error = ServerError::new(message, None);
    error.extensions.get_or_insert_with(Default::default).set("code", code);
    Response::from_errors(vec![error])
}
