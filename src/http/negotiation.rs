//! Content negotiation of `/graphql` (GraphQL over HTTP): which media type the answer is in, and
//! which request bodies are accepted. The header grammar (q-values, parameters) is actix's and the
//! `mime` crate's; the choice between our two media types is made here.
use actix_web::http::header::{self, Header, QualityItem};
use actix_web::mime::Mime;
use actix_web::{HttpMessage, HttpRequest};

/// The media types a GraphQL response can be sent in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaType {
    /// `application/graphql-response+json`: the status code tells a request error (4xx, no
    /// `data`) from an execution result (200).
    GraphqlResponse,
    /// `application/json`, the legacy type: 200 for every request that reached GraphQL.
    Json,
}

impl MediaType {
    /// The `Content-Type` of an answer in this media type.
    pub fn content_type(self) -> &'static str {
        match self {
            MediaType::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            MediaType::Json => "application/json",
        }
    }
}

/// The media type to answer in, from the `Accept` header; `None` when the client accepts neither
/// (406). A missing header, or one with no parseable media range, counts as `application/json`
/// (the spec's default for clients that predate the new type).
pub fn response_media(req: &HttpRequest) -> Option<MediaType> {
    let ranges = header::Accept::parse(req).map(|accept| accept.0).unwrap_or_default();
    choose(&ranges)
}

/// Picks between our two types by the RFC 9110 rules: each type takes the quality of the most
/// specific range that matches it; the higher quality wins. On a tie the more specific match wins,
/// and when both were named outright the newer type does. Wildcards alone (`*/*`,
/// `application/*`) get `application/json`, which every client understands.
fn choose(ranges: &[QualityItem<Mime>]) -> Option<MediaType> {
    if ranges.is_empty() {
        return Some(MediaType::Json);
    }
    let graphql = best_match(ranges, "graphql-response+json");
    let json = best_match(ranges, "json");
    let pick = match (graphql, json) {
        (None, None) => return None,
        (Some(_), None) => MediaType::GraphqlResponse,
        (None, Some(_)) => MediaType::Json,
        (Some(g), Some(j)) if (g.quality, g.specificity) > (j.quality, j.specificity) => MediaType::GraphqlResponse,
        (Some(g), Some(j)) if (g.quality, g.specificity) < (j.quality, j.specificity) => MediaType::Json,
        (Some(g), Some(_)) if g.specificity == Specificity::Exact => MediaType::GraphqlResponse,
        (Some(_), Some(_)) => MediaType::Json,
    };
    Some(pick)
}

/// How closely a media range names one of our types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Specificity {
    AnyType,
    AnySubtype,
    Exact,
}

#[derive(Clone, Copy, Debug)]
struct Match {
    quality: header::Quality,
    specificity: Specificity,
}

/// The most specific range matching `application/<subtype>`, if it is acceptable (q > 0).
fn best_match(ranges: &[QualityItem<Mime>], subtype: &str) -> Option<Match> {
    ranges
        .iter()
        .filter(|range| utf8_or_unspecified(&range.item))
        .filter_map(|range| {
            let mime = &range.item;
            // The essence keeps the `+json` suffix that `subtype()` would split off.
            let specificity = match mime.essence_str().split_once('/') {
                Some(("*", "*")) => Specificity::AnyType,
                Some(("application", "*")) => Specificity::AnySubtype,
                Some(("application", s)) if s.eq_ignore_ascii_case(subtype) => Specificity::Exact,
                _ => return None,
            };
            Some(Match {
                quality: range.quality,
                specificity,
            })
        })
        .max_by_key(|m| m.specificity)
        .filter(|m| m.quality > header::Quality::ZERO)
}

/// We only write and read UTF-8: a range or body in any other charset does not match.
fn utf8_or_unspecified(mime: &Mime) -> bool {
    mime.get_param(actix_web::mime::CHARSET)
        .is_none_or(|charset| charset.as_str().eq_ignore_ascii_case("utf-8"))
}

/// Is the request body declared as JSON (`application/json`, UTF-8 if a charset is given)? Any
/// other type is refused with 415: GraphQL over HTTP bodies are JSON, and refusing the types a
/// browser form can send without a preflight is also our CSRF defence (DESIGN §7).
pub fn has_json_body(req: &HttpRequest) -> bool {
    match req.mime_type() {
        Ok(Some(mime)) => mime.essence_str().eq_ignore_ascii_case("application/json") && utf8_or_unspecified(&mime),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn accept(value: &str) -> Option<MediaType> {
        response_media(
            &TestRequest::default()
                .insert_header((header::ACCEPT, value))
                .to_http_request(),
        )
    }

    fn content_type(value: &str) -> bool {
        has_json_body(
            &TestRequest::default()
                .insert_header((header::CONTENT_TYPE, value))
                .to_http_request(),
        )
    }

    #[test]
    fn a_missing_accept_header_gets_json() {
        assert_eq!(
            response_media(&TestRequest::default().to_http_request()),
            Some(MediaType::Json)
        );
        assert_eq!(accept(""), Some(MediaType::Json));
    }

    #[test]
    fn wildcards_get_json() {
        assert_eq!(accept("*/*"), Some(MediaType::Json));
        assert_eq!(accept("application/*"), Some(MediaType::Json));
        assert_eq!(
            accept("text/html,application/xhtml+xml,*/*;q=0.8"),
            Some(MediaType::Json)
        );
    }

    #[test]
    fn the_new_type_is_chosen_when_named() {
        assert_eq!(
            accept("application/graphql-response+json"),
            Some(MediaType::GraphqlResponse)
        );
        assert_eq!(
            accept("application/graphql-response+json, application/json"),
            Some(MediaType::GraphqlResponse)
        );
        assert_eq!(
            accept("application/graphql-response+json, */*"),
            Some(MediaType::GraphqlResponse)
        );
        assert_eq!(
            accept("application/graphql-response+json;charset=utf-8, application/json;q=0.9"),
            Some(MediaType::GraphqlResponse)
        );
    }

    #[test]
    fn q_values_decide() {
        assert_eq!(
            accept("application/graphql-response+json;q=0.5, application/json"),
            Some(MediaType::Json)
        );
        assert_eq!(
            accept("application/json;q=0.1, application/graphql-response+json;q=0.2"),
            Some(MediaType::GraphqlResponse)
        );
        assert_eq!(accept("*/*, application/json;q=0"), Some(MediaType::GraphqlResponse));
        assert_eq!(accept("application/json; charset=utf-8"), Some(MediaType::Json));
    }

    #[test]
    fn nothing_acceptable_is_none() {
        assert_eq!(accept("text/html"), None);
        assert_eq!(accept("application/xml"), None);
        assert_eq!(accept("application/json;q=0"), None);
        assert_eq!(accept("application/json; charset=latin1"), None);
    }

    #[test]
    fn only_json_bodies_are_accepted() {
        assert!(content_type("application/json"));
        assert!(content_type("application/json; charset=utf-8"));
        assert!(content_type("Application/JSON; charset=UTF-8"));
        assert!(!content_type("text/plain;charset=UTF-8"));
        assert!(!content_type("application/x-www-form-urlencoded"));
        assert!(!content_type("multipart/form-data; boundary=x"));
        assert!(!content_type("application/json; charset=latin1"));
        assert!(!content_type("application/graphql"));
        assert!(!has_json_body(&TestRequest::default().to_http_request()));
    }
}
