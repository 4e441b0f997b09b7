//! How `/graphql` answers: a GraphQL response in the negotiated media type with the status the
//! GraphQL-over-HTTP spec gives it, or a [`Refusal`] of a request that never reached GraphQL.
use super::negotiation::MediaType;
use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use async_graphql::{Response, Value};

/// A request refused at the HTTP layer (bad body, media type, method, size), answered as a
/// GraphQL error body with a code so clients handle it like any other error.
#[derive(Debug)]
pub struct Refusal {
    status: StatusCode,
    code: &'static str,
    message: String,
    headers: Vec<(header::HeaderName, String)>,
    close: bool,
}

impl Refusal {
    /// A refusal with its status and `extensions.code`.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Refusal {
            status,
            code,
            message: message.into(),
            headers: Vec::new(),
            close: false,
        }
    }

    /// A malformed GraphQL-over-HTTP request (400 `BAD_REQUEST`).
    pub fn bad_request(message: impl Into<String>) -> Self {
        Refusal::new(StatusCode::BAD_REQUEST, "BAD_REQUEST", message)
    }

    /// Adds the `Allow` header a 405 must carry.
    pub fn allow(self, methods: &'static str) -> Self {
        self.header(header::ALLOW, methods)
    }

    /// Adds a header (`WWW-Authenticate` of a 401, `Retry-After` of a 429 or 503).
    pub fn header(mut self, name: header::HeaderName, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// Closes the connection after the answer (a client that cannot send its body in time).
    pub fn close(mut self) -> Self {
        self.close = true;
        self
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The `extensions.code`.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// What the client is told (the unit tests of the parameters read it).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP answer, in `media` (its body is a valid response of either type).
    pub fn respond(&self, media: MediaType) -> HttpResponse {
        let mut reply = HttpResponse::build(self.status);
        reply.content_type(media.content_type());
        for (name, value) in &self.headers {
            reply.insert_header((name.clone(), value.as_str()));
        }
        if self.close {
            reply.force_close();
        }
        reply.body(
            serde_json::json!({ "errors": [{ "message": self.message, "extensions": { "code": self.code } }] })
                .to_string(),
        )
    }
}

/// One operation's response. Under `application/json` every response is 200 (the legacy
/// contract); under `application/graphql-response+json` a request error — nothing executed — has
/// no `data` and a 4xx/5xx status, and a result of execution (even with field errors) is 200.
///
/// Whatever the media type, an operation refused for the caller's budget is 429 and one the
/// database could not take is 503, both with `Retry-After`: clients and proxies back off on the
/// status, not on a code inside a 200.
pub fn single(media: MediaType, response: Response) -> HttpResponse {
    let retry = retry_after(&response);
    let status = match (media, retry) {
        (_, Some((status, _))) => status,
        (MediaType::GraphqlResponse, None) if is_request_error(&response) => request_error_status(&response),
        _ => StatusCode::OK,
    };
    let mut reply = json_reply(status, media, body(media, response));
    if let Some((_, seconds)) = retry {
        if let Ok(value) = header::HeaderValue::from_str(&seconds.to_string()) {
            reply.headers_mut().insert(header::RETRY_AFTER, value);
        }
    }
    reply
}

/// 429 or 503 with the seconds to wait, when the response is a refusal to try again later:
/// `RATE_LIMITED`, or `SERVICE_UNAVAILABLE` with nothing computed.
fn retry_after(response: &Response) -> Option<(StatusCode, u64)> {
    let first = response.errors.first()?.extensions.as_ref()?;
    match first.get("code") {
        Some(Value::String(code)) if code == "RATE_LIMITED" => {
            let seconds = match first.get("retryAfter") {
                Some(Value::Number(n)) => n.as_u64().unwrap_or(1),
                _ => 1,
            };
            Some((StatusCode::TOO_MANY_REQUESTS, seconds))
        }
        Some(Value::String(code)) if code == "SERVICE_UNAVAILABLE" && response.data == Value::Null => {
            Some((StatusCode::SERVICE_UNAVAILABLE, 1))
        }
        _ => None,
    }
}

/// A batch: 200 with one response per operation, each shaped as [`single`] would shape it (the
/// spec has no batches; one status cannot tell them apart).
pub fn batch(media: MediaType, responses: Vec<Response>) -> HttpResponse {
    let mut array = vec![b'['];
    for (index, response) in responses.into_iter().enumerate() {
        if index > 0 {
            array.push(b',');
        }
        array.extend(body(media, response));
    }
    array.push(b']');
    json_reply(StatusCode::OK, media, array)
}

fn json_reply(status: StatusCode, media: MediaType, body: Vec<u8>) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(media.content_type())
        .body(body)
}

/// Execution never started: async-graphql reports parse, validation and variable failures (and
/// our own pre-execution refusals) with no `path` and null `data`. Any error with a path means
/// fields ran, so the response is an execution result.
fn is_request_error(response: &Response) -> bool {
    response.data == Value::Null && !response.errors.is_empty() && response.errors.iter().all(|e| e.path.is_empty())
}

/// The status of a request error, by the code of its first error: the client's mistake unless the
/// code says the server could not serve it.
fn request_error_status(response: &Response) -> StatusCode {
    let code = response
        .errors
        .first()
        .and_then(|error| error.extensions.as_ref())
        .and_then(|extensions| extensions.get("code"));
    let code = match code {
        Some(Value::String(code)) => code.as_str(),
        _ => "",
    };
    match code {
        "UNAUTHENTICATED" => StatusCode::UNAUTHORIZED,
        "FORBIDDEN" => StatusCode::FORBIDDEN,
        "RATE_LIMITED" => StatusCode::TOO_MANY_REQUESTS,
        "INTERNAL_SERVER_ERROR" => StatusCode::INTERNAL_SERVER_ERROR,
        "SERVICE_UNAVAILABLE" => StatusCode::SERVICE_UNAVAILABLE,
        "TIMEOUT" => StatusCode::GATEWAY_TIMEOUT,
        _ => StatusCode::BAD_REQUEST,
    }
}

/// The JSON of a response; the new media type leaves `data` out of a request error, as the spec
/// says (it was never computed, not computed as null).
///
/// Written straight to bytes: going through a `serde_json::Value` first copied every field of the
/// answer once more (5 % of the server's CPU on a nested page of 50 clients).
fn body(media: MediaType, response: Response) -> Vec<u8> {
    let written = if media == MediaType::GraphqlResponse && is_request_error(&response) {
        // Small (errors only): through a `Value`, to drop `data`.
        serde_json::to_value(&response).and_then(|mut json| {
            if let Some(object) = json.as_object_mut() {
                object.remove("data");
            }
            serde_json::to_vec(&json)
        })
    } else {
        serde_json::to_vec(&response)
    };
    written.unwrap_or_else(|err| {
        tracing::error!(error = %err, "GraphQL response did not serialize");
        br#"{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}"#.to_vec()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::{PathSegment, ServerError};

    fn json(bytes: Vec<u8>) -> serde_json::Value {
        serde_json::from_slice(&bytes).expect("a JSON body")
    }

    fn request_error() -> Response {
        Response::from_errors(vec![ServerError::new("Unknown field", None)])
    }

    fn field_error() -> Response {
        let mut error = ServerError::new("boom", None);
        error.path = vec![PathSegment::Field("clients".into())];
        Response::from_errors(vec![error])
    }

    #[test]
    fn a_request_error_is_400_without_data_in_the_new_type() {
        assert_eq!(
            single(MediaType::GraphqlResponse, request_error()).status(),
            StatusCode::BAD_REQUEST
        );
        let json = json(body(MediaType::GraphqlResponse, request_error()));
        assert!(json.get("data").is_none(), "{json}");
    }

    #[test]
    fn a_request_error_is_200_with_null_data_in_json() {
        assert_eq!(single(MediaType::Json, request_error()).status(), StatusCode::OK);
        assert_eq!(
            json(body(MediaType::Json, request_error()))["data"],
            serde_json::Value::Null
        );
    }

    #[test]
    fn a_field_error_is_an_execution_result() {
        assert_eq!(
            single(MediaType::GraphqlResponse, field_error()).status(),
            StatusCode::OK
        );
        assert!(json(body(MediaType::GraphqlResponse, field_error()))
            .get("data")
            .is_some());
    }
}
