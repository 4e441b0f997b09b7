//! The GraphQL-over-HTTP request parameters (`query`, `operationName`, `variables`,
//! `extensions`) from a POST body or a GET query string, checked before anything runs: a parameter
//! of the wrong JSON type is the client's mistake (400), named in the message, not a GraphQL
//! error the executor would report later or a default it would quietly apply.
use super::reply::Refusal;
use actix_web::web;
use async_graphql::{BatchRequest, Request};
use serde_json::{Map, Value};

/// A POST body: one request object, or a non-empty batch (array) of them.
pub fn from_body(body: &[u8]) -> Result<BatchRequest, Refusal> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Refusal::bad_request(
            "the request body is empty: send a JSON GraphQL request",
        ));
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|err| Refusal::bad_request(format!("the request body is not valid JSON: {err}")))?;
    match value {
        Value::Object(params) => Ok(BatchRequest::Single(request(params, "")?)),
        Value::Array(items) if items.is_empty() => Err(Refusal::bad_request("a batch needs at least one request")),
        Value::Array(items) => {
            let requests = items.into_iter().enumerate().map(|(index, item)| match item {
                Value::Object(params) => request(params, &format!("batch[{index}]: ")),
                _ => Err(Refusal::bad_request(format!(
                    "batch[{index}]: a GraphQL request is a JSON object"
                ))),
            });
            Ok(BatchRequest::Batch(requests.collect::<Result<_, _>>()?))
        }
        _ => Err(Refusal::bad_request(
            "a GraphQL request is a JSON object (or an array of them for a batch)",
        )),
    }
}

/// A GET query string; `variables` and `extensions` are URL-encoded JSON.
pub fn from_query_string(query_string: &str) -> Result<Request, Refusal> {
    let pairs = web::Query::<Vec<(String, String)>>::from_query(query_string)
        .map_err(|err| Refusal::bad_request(format!("the query string is malformed: {err}")))?
        .into_inner();
    let mut params = Map::new();
    for (name, value) in pairs {
        // `name=` is how a form says "no value"; only the document itself cannot be empty.
        if value.is_empty() && name != "query" {
            continue;
        }
        let value = match name.as_str() {
            "query" | "operationName" => Value::String(value),
            "variables" | "extensions" => serde_json::from_str(&value)
                .map_err(|err| Refusal::bad_request(format!("the `{name}` parameter is not valid JSON: {err}")))?,
            // Other parameters (cache busters, tracking) are not ours to judge.
            _ => continue,
        };
        params.insert(name, value);
    }
    request(params, "")
}

/// Checks each parameter's JSON type, then hands the object to async-graphql's own deserializer.
fn request(mut params: Map<String, Value>, at: &str) -> Result<Request, Refusal> {
    for (name, expected) in [
        ("query", "a string"),
        ("operationName", "a string"),
        ("variables", "an object"),
        ("extensions", "an object"),
    ] {
        // A null parameter is the same as a missing one (the spec allows both).
        if params.get(name).is_some_and(Value::is_null) {
            params.remove(name);
        }
        let fits = match params.get(name) {
            None => true,
            Some(value) if expected == "a string" => value.is_string(),
            Some(value) => value.is_object(),
        };
        if !fits {
            return Err(Refusal::bad_request(format!("{at}`{name}` must be {expected}")));
        }
    }
    // A registered persisted query is sent by hash alone, without the document.
    let persisted = params
        .get("extensions")
        .is_some_and(|extensions| extensions.get("persistedQuery").is_some());
    if !params.contains_key("query") && !persisted {
        return Err(Refusal::bad_request(format!("{at}the `query` parameter is missing")));
    }
    serde_json::from_value(Value::Object(params))
        .map_err(|err| Refusal::bad_request(format!("{at}invalid GraphQL request: {err}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(body: &str) -> String {
        match from_body(body.as_bytes()) {
            Ok(_) => panic!("{body} was accepted"),
            Err(refusal) => refusal.message().to_owned(),
        }
    }

    #[test]
    fn a_request_with_nulls_is_accepted() {
        let body = r#"{"query":"{ __typename }","operationName":null,"variables":null,"extensions":null}"#;
        assert!(matches!(from_body(body.as_bytes()), Ok(BatchRequest::Single(_))));
    }

    #[test]
    fn parameters_of_the_wrong_type_are_named() {
        assert_eq!(refused(r#"{"query":1}"#), "`query` must be a string");
        assert_eq!(
            refused(r#"{"query":"{ a }","operationName":false}"#),
            "`operationName` must be a string"
        );
        assert_eq!(
            refused(r#"{"query":"{ a }","variables":[]}"#),
            "`variables` must be an object"
        );
        assert_eq!(
            refused(r#"{"query":"{ a }","extensions":"x"}"#),
            "`extensions` must be an object"
        );
        assert_eq!(
            refused(r#"[{"query":"{ a }"},{"query":{}}]"#),
            "batch[1]: `query` must be a string"
        );
    }

    #[test]
    fn a_missing_query_is_refused_unless_persisted() {
        assert_eq!(refused(r#"{"qeury":"{ a }"}"#), "the `query` parameter is missing");
        let hash_only = r#"{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"ab"}}}"#;
        assert!(from_body(hash_only.as_bytes()).is_ok());
    }

    #[test]
    fn bodies_that_are_not_requests_are_refused() {
        assert!(refused("").contains("empty"));
        assert!(refused(r#"{ "not a JSON"#).contains("not valid JSON"));
        assert!(refused("42").contains("JSON object"));
        assert!(refused("[]").contains("at least one"));
    }

    #[test]
    fn get_parameters_are_parsed_with_their_json() {
        let request =
            from_query_string("query=query%20Q(%24n%3A%20String)%20%7B%20a%20%7D&variables=%7B%22n%22%3A%22x%22%7D")
                .expect("parsed");
        assert_eq!(request.query, "query Q($n: String) { a }");
        assert_eq!(
            request.variables.into_value().into_json().expect("json"),
            serde_json::json!({ "n": "x" })
        );
    }

    #[test]
    fn get_json_that_does_not_parse_names_the_parameter() {
        let err = from_query_string("query=%7B%20a%20%7D&variables=%7Bnope").expect_err("refused");
        assert!(
            err.message().starts_with("the `variables` parameter is not valid JSON"),
            "{}",
            err.message()
        );
        let err = from_query_string("query=%7B%20a%20%7D&extensions=1").expect_err("refused");
        assert_eq!(err.message(), "`extensions` must be an object");
        let request = from_query_string("query=%7B%20a%20%7D&operationName=&variables=").expect("empty means absent");
        assert_eq!(request.operation_name, None);
        let err = from_query_string("").expect_err("refused");
        assert_eq!(err.message(), "the `query` parameter is missing");
    }
}
