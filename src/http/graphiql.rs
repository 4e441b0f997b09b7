//! The GraphiQL IDE, served entirely by this server.
//!
//! The machines this API runs on may have no internet access, so the IDE must not load
//! anything from a CDN: the UMD builds of React, ReactDOM and GraphiQL (and GraphiQL's
//! stylesheet, which embeds its fonts as `data:` URLs) are compiled into the binary with
//! `include_bytes!` and served under `/graphiql/assets/`. Where the files come from and
//! their licences are listed in `static/graphiql/LICENSES.md`.

use actix_web::{http::header, web, HttpResponse};
use serde_json::{json, Value};

/// Where [`configure`] mounts the bundled assets; the page refers to them by this prefix.
const ASSET_PREFIX: &str = "/graphiql/assets/";

const JS: &str = "application/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// A day: the assets only change with a new release of the server, and GraphiQL's bundle
/// is about 1 MB, so browsers should not fetch it again on every page load.
const CACHE_CONTROL: &str = "public, max-age=86400";

/// Shown in the editor when there are no examples, so the first "Run" does something.
const DEFAULT_QUERY: &str = "# Welcome to the expansion-api GraphiQL.\n\
# Press Ctrl-Enter (or the run button) to send the query below.\n\
{\n  __typename\n}\n";

/// The four bundled files, by exact name.
///
/// A `match` on fixed names (rather than any lookup on the file system) means a request
/// can only ever get one of these four byte strings: no path traversal is possible.
fn bundled(name: &str) -> Option<(&'static str, &'static [u8])> {
    match name {
        "react.production.min.js" => Some((JS, include_bytes!("../../static/graphiql/react.production.min.js"))),
        "react-dom.production.min.js" => {
            Some((JS, include_bytes!("../../static/graphiql/react-dom.production.min.js")))
        }
        "graphiql.min.js" => Some((JS, include_bytes!("../../static/graphiql/graphiql.min.js"))),
        "graphiql.min.css" => Some((CSS, include_bytes!("../../static/graphiql/graphiql.min.css"))),
        _ => None,
    }
}

/// Serves one bundled GraphiQL asset (`react.production.min.js`,
/// `react-dom.production.min.js`, `graphiql.min.js` or `graphiql.min.css`) with its
/// content type and a one-day `Cache-Control`; any other name is `404 Not Found`.
pub async fn asset(path: web::Path<String>) -> HttpResponse {
    match bundled(path.as_str()) {
        Some((content_type, body)) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, content_type))
            .insert_header((header::CACHE_CONTROL, CACHE_CONTROL))
            // The content type is always right here; stop browsers from second-guessing it.
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .body(body),
        None => HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("no such GraphiQL asset"),
    }
}

/// Registers `GET /graphiql/assets/{file}` → [`asset`], and `GET /` → the GraphiQL page.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/graphiql/assets/{file}", web::get().to(asset))
        .route("/", web::get().to(home));
}

/// `GET /`: someone who opens the server's address lands on the GraphiQL page.
async fn home() -> HttpResponse {
    HttpResponse::Found()
        .insert_header((header::LOCATION, "/graphql"))
        .finish()
}

/// Returns the HTML page of the GraphiQL IDE, talking to the GraphQL `endpoint`
/// (e.g. `"/graphql"`) and opening with one tab per example `(name, query text)`, or
/// with a small default query when `examples` is empty.
///
/// The page only loads scripts and styles from `/graphiql/assets/` (see [`configure`]).
/// It contains non-ASCII text, so serve it as `text/html; charset=utf-8`.
pub fn graphiql_page(endpoint: &str, examples: &[(String, String)]) -> String {
    let tabs: Vec<Value> = if examples.is_empty() {
        vec![json!({ "query": DEFAULT_QUERY })]
    } else {
        examples
            .iter()
            .map(|(name, query)| json!({ "query": tab_query(name, query) }))
            .collect()
    };
    let tabs = script_safe_json(&Value::Array(tabs));
    let endpoint = script_safe_json(&Value::String(endpoint.to_owned()));

    // GraphiQL keeps its open tabs in localStorage and, when it finds some, ignores
    // `defaultTabs`. Keying that storage on the endpoint and examples means a release with
    // new examples shows them, and that another GraphiQL on the same origin (common on
    // localhost) does not hide ours; a user's edits survive as long as neither changes.
    let namespace = format!(
        "expansion-api-graphiql-{:016x}",
        fnv1a64(format!("{endpoint}\n{tabs}").as_bytes())
    );
    let namespace = script_safe_json(&Value::String(namespace));

    // Built by concatenation rather than with placeholders replaced one after another, so
    // that text inside one value can never be taken for a later placeholder.
    let mut page = String::with_capacity(2048 + tabs.len());
    page.push_str(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>expansion-api — GraphiQL</title>
"#,
    );
    page.push_str(&format!(
        "<link rel=\"stylesheet\" href=\"{ASSET_PREFIX}graphiql.min.css\">\n"
    ));
    page.push_str(
        r#"<style>
html, body { height: 100%; margin: 0; overflow: hidden; }
#graphiql { height: 100vh; }
.graphiql-loading { font-family: system-ui, sans-serif; padding: 1rem; }
</style>
</head>
<body>
<div id="graphiql"><p class="graphiql-loading">Loading GraphiQL…</p></div>
<noscript><p class="graphiql-loading">GraphiQL needs JavaScript.</p></noscript>
"#,
    );
    // Order matters: GraphiQL's UMD bundle reads the `React` and `ReactDOM` globals.
    for script in [
        "react.production.min.js",
        "react-dom.production.min.js",
        "graphiql.min.js",
    ] {
        page.push_str(&format!("<script src=\"{ASSET_PREFIX}{script}\"></script>\n"));
    }
    page.push_str("<script>\n(function () {\n  var endpoint = ");
    page.push_str(&endpoint);
    page.push_str(";\n  var tabs = ");
    page.push_str(&tabs);
    page.push_str(";\n  var namespace = ");
    page.push_str(&namespace);
    page.push_str(
        r#";
  var container = document.getElementById("graphiql");
  if (typeof GraphiQL === "undefined" || typeof ReactDOM === "undefined") {
    // Say so instead of leaving "Loading…" forever when the asset route is missing.
    container.textContent = "GraphiQL could not load its scripts from /graphiql/assets/.";
    return;
  }
  ReactDOM.createRoot(container).render(
    React.createElement(GraphiQL, {
      // Subscriptions go over a WebSocket to the same path (graphql-transport-ws).
      fetcher: GraphiQL.createFetcher({
        url: endpoint,
        subscriptionUrl: (location.protocol === "https:" ? "wss://" : "ws://") + location.host + endpoint,
      }),
      defaultTabs: tabs,
      storage: GraphiQL.createLocalStorage({ namespace: namespace }),
    })
  );
})();
</script>
</body>
</html>
"#,
    );
    page
}

/// The `Content-Security-Policy` of `page`: everything from this server only, and of inline code
/// only the page's own script and style (by their SHA-256), so an injected one would not run.
/// Fonts and images also as `data:` URLs: GraphiQL's stylesheet embeds its fonts that way.
pub fn content_security_policy(page: &str) -> String {
    use base64::Engine as _;
    use sha2::{Digest, Sha256};
    let hashes = |open: &str, close: &str| -> String {
        page.split(open)
            .skip(1)
            .filter_map(|rest| rest.split_once(close).map(|(inline, _)| inline))
            .map(|inline| {
                let digest = Sha256::digest(inline.as_bytes());
                format!(" 'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
            })
            .collect()
    };
    format!(
        "default-src 'self'; script-src 'self'{}; style-src 'self'{}; font-src 'self' data:; img-src 'self' data:; \
         connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        hashes("<script>", "</script>"),
        hashes("<style>", "</style>")
    )
}

/// The editor text of an example's tab: its query, headed by a `# name` comment.
///
/// GraphiQL 3 tabs have no title of their own (the tab shows the operation name), so the
/// comment is what tells the examples apart in the editor. GraphiQL skips lines starting
/// with `#` when it looks for the operation name, so the comment cannot change the title.
fn tab_query(name: &str, query: &str) -> String {
    // One line: a newline in the name would end the comment and leave invalid GraphQL.
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return query.to_owned();
    }
    let heading = format!("# {name}");
    if query.lines().next().map(str::trim) == Some(heading.as_str()) {
        query.to_owned()
    } else {
        format!("{heading}\n{query}")
    }
}

/// Serializes `value` as JSON that can be pasted into an inline `<script>` as a JavaScript
/// expression.
///
/// The HTML parser ends a script at the first `</script`, whatever the JavaScript around
/// it means, and `<!--` changes how it parses the rest; so `<`, `>` and `&` are written as
/// `\u003c`, `\u003e` and `\u0026`, which still decode to the same string. U+2028 and
/// U+2029 are escaped too, as older JavaScript engines treat them as line ends inside
/// string literals. JSON's own syntax uses none of these characters, so they can only
/// occur inside strings, where the escapes are valid.
fn script_safe_json(value: &Value) -> String {
    let json = value.to_string();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// 64-bit FNV-1a: a fixed, dependency-free hash, so the storage namespace of a given set of
/// examples stays the same across builds and Rust versions (unlike `DefaultHasher`).
fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;
    // Renamed so that it does not shadow the built-in `#[test]` attribute.
    use actix_web::{http::StatusCode, test as web_test, App};

    fn examples(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(name, query)| ((*name).to_owned(), (*query).to_owned()))
            .collect()
    }

    /// Every `src="…"` and `href="…"` value in `page`.
    fn linked_urls(page: &str) -> Vec<&str> {
        let mut urls = Vec::new();
        for attribute in ["src=\"", "href=\""] {
            for (start, _) in page.match_indices(attribute) {
                let rest = &page[start + attribute.len()..];
                if let Some(end) = rest.find('"') {
                    urls.push(&rest[..end]);
                }
            }
        }
        urls
    }

    #[test]
    fn page_loads_only_bundled_assets() {
        let page = graphiql_page("/graphql", &examples(&[("Accounts", "{ accounts { id } }")]));
        let urls = linked_urls(&page);
        assert_eq!(urls.len(), 4, "three scripts and one stylesheet: {urls:?}");
        for url in &urls {
            assert!(url.starts_with("/graphiql/assets/"), "{url}");
            let name = &url["/graphiql/assets/".len()..];
            assert!(bundled(name).is_some(), "{url} is not served by `asset`");
        }
        for forbidden in ["http://", "https://", "unpkg", "jsdelivr", "cdnjs", "esm.sh"] {
            assert!(!page.contains(forbidden), "page mentions {forbidden}");
        }
        assert!(page.contains("<title>expansion-api — GraphiQL</title>"));
        assert!(page.contains("GraphiQL.createFetcher({\n        url: endpoint,\n        subscriptionUrl:"));
        assert!(
            page.contains(r#"? "wss://" : "ws://") + location.host + endpoint"#),
            "subscriptions go to the same path"
        );
        assert!(page.contains(r#"var endpoint = "/graphql";"#));
        // The stylesheet is bundled too and must not pull anything in from outside.
        let css = String::from_utf8_lossy(include_bytes!("../../static/graphiql/graphiql.min.css"));
        assert!(!css.contains("@import"));
        assert!(!css.contains("url(http"));
    }

    #[test]
    fn one_tab_per_example_in_order() {
        let page = graphiql_page(
            "/graphql",
            &examples(&[
                ("Renewals due", "query Renewals { renewals { id } }"),
                ("Expansion\npipeline", "{ expansions { id } }"),
            ]),
        );
        assert!(page.contains(
            r##"var tabs = [{"query":"# Renewals due\nquery Renewals { renewals { id } }"},{"query":"# Expansion pipeline\n{ expansions { id } }"}];"##
        ));
    }

    #[test]
    fn example_already_headed_by_its_name_is_not_headed_twice() {
        assert_eq!(tab_query("Accounts", "# Accounts\n{ a }"), "# Accounts\n{ a }");
        assert_eq!(tab_query("  ", "{ a }"), "{ a }");
    }

    #[test]
    fn no_examples_opens_the_default_query() {
        let page = graphiql_page("/graphql", &[]);
        assert!(page.contains("__typename"));
        assert!(page.contains("var tabs = [{\"query\":\"# Welcome"));
    }

    #[test]
    fn script_end_tag_in_an_example_is_escaped() {
        let hostile = "{ a } </script><script>alert(1)</script> <!-- & </SCRIPT>";
        let page = graphiql_page("/graphql</script>", &examples(&[("x</script>", hostile)]));
        assert!(!page.contains("alert(1)</script>"));
        assert!(!page.contains("<script>alert"));
        assert!(!page.contains("<!--"));
        // Exactly the page's own four scripts are closed.
        assert_eq!(page.to_ascii_lowercase().matches("</script").count(), 4);
        assert!(page.contains(r"\u003c/script\u003e\u003cscript\u003ealert(1)"));
    }

    #[test]
    fn escaped_json_still_decodes_to_the_same_text() {
        let value = json!(["</script>", "a & b > c", "line\u{2028}sep\u{2029}", "ünï"]);
        let escaped = script_safe_json(&value);
        assert!(!escaped.contains('<') && !escaped.contains('>') && !escaped.contains('&'));
        let decoded: Value = match serde_json::from_str(&escaped) {
            Ok(decoded) => decoded,
            Err(error) => panic!("escaped JSON does not parse: {error}"),
        };
        assert_eq!(decoded, value);
    }

    #[test]
    fn storage_namespace_follows_the_examples() {
        let a = graphiql_page("/graphql", &examples(&[("A", "{ a }")]));
        let b = graphiql_page("/graphql", &examples(&[("B", "{ b }")]));
        let namespace = |page: &str| {
            page.lines()
                .find(|line| line.contains("var namespace"))
                .map(str::to_owned)
        };
        assert!(namespace(&a).is_some());
        assert_ne!(namespace(&a), namespace(&b));
        assert_eq!(
            namespace(&a),
            namespace(&graphiql_page("/graphql", &examples(&[("A", "{ a }")])))
        );
    }

    #[actix_web::test]
    async fn known_assets_are_served_with_their_content_type() {
        let app = web_test::init_service(App::new().configure(configure)).await;
        for (name, content_type) in [
            ("graphiql.min.js", JS),
            ("react.production.min.js", JS),
            ("react-dom.production.min.js", JS),
            ("graphiql.min.css", CSS),
        ] {
            let request = web_test::TestRequest::get()
                .uri(&format!("/graphiql/assets/{name}"))
                .to_request();
            let response = web_test::call_service(&app, request).await;
            assert_eq!(response.status(), StatusCode::OK, "{name}");
            let headers = response.headers();
            assert_eq!(
                headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()),
                Some(content_type),
                "{name}"
            );
            assert_eq!(
                headers.get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()),
                Some(CACHE_CONTROL),
                "{name}"
            );
            let body = web_test::read_body(response).await;
            assert!(body.len() > 1000, "{name} is only {} bytes", body.len());
        }
    }

    #[actix_web::test]
    async fn unknown_assets_are_not_found() {
        let app = web_test::init_service(App::new().configure(configure)).await;
        for uri in [
            "/graphiql/assets/nope.js",
            "/graphiql/assets/LICENSES.md",
            "/graphiql/assets/graphiql.min.js.map",
            "/graphiql/assets/..%2F..%2FCargo.toml",
            "/graphiql/assets/%2e%2e%2fgraphiql.min.js",
            "/graphiql/assets/",
        ] {
            let response = web_test::call_service(&app, web_test::TestRequest::get().uri(uri).to_request()).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{uri}");
        }
    }
}
