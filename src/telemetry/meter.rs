//! Prometheus metrics through the `metrics` facade: the call sites record with one line each and
//! the exporter renders `/metrics`. With `metrics.enabled = false` no recorder is installed and
//! every helper returns at once (the `metrics` macros would be no-ops anyway).
//!
//! Label values are bounded: operation names are capped (`OPERATION_NAMES_KEPT`, then `other`),
//! codes, statuses, tools and processes are finite sets of ours.
use metrics::{
    counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram, Counter, Histogram, Unit,
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// Distinct operation names labelled before new ones become `other`.
const OPERATION_NAMES_KEPT: usize = 100;

/// Latency buckets (seconds) of every `_seconds` histogram: 0.5 ms to 30 s (the request timeout).
const BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

static ENABLED: AtomicBool = AtomicBool::new(false);
static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process-wide recorder (once; later calls only report whether it is on).
pub fn install() -> bool {
    let handle = HANDLE.get_or_init(|| {
        let handle = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), BUCKETS)
            .ok()?
            .install_recorder()
            .map_err(|err| tracing::warn!(error = %err, "metrics recorder not installed"))
            .ok()?;
        describe();
        // Histograms keep raw samples until drained: without a scrape the upkeep bounds them.
        let upkeep = handle.clone();
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_secs(5));
            upkeep.run_upkeep();
        });
        ENABLED.store(true, Ordering::Relaxed);
        Some(handle)
    });
    handle.is_some()
}

/// The Prometheus text exposition, `None` when metrics are off.
pub fn render() -> Option<String> {
    HANDLE.get().and_then(Option::as_ref).map(PrometheusHandle::render)
}

fn on() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

fn describe() {
    describe_histogram!(
        "expansion_graphql_operation_duration_seconds",
        Unit::Seconds,
        "GraphQL operations by operation name (unnamed: anonymous) and outcome (ok, error)."
    );
    describe_counter!("expansion_graphql_errors_total", "GraphQL errors by extensions.code.");
    describe_counter!("expansion_http_responses_total", "HTTP responses by status code.");
    describe_histogram!(
        "expansion_sql_statement_duration_seconds",
        Unit::Seconds,
        "SQL statements by outcome (ok, failed)."
    );
    describe_counter!("expansion_sql_statements_total", "SQL statements sent to the database.");
    describe_gauge!(
        "expansion_db_pool_connections",
        "Pooled database connections by state (in_use, idle)."
    );
    describe_gauge!("expansion_db_pool_max_connections", "Size limit of the database pool.");
    describe_counter!(
        "expansion_db_pool_exhausted_total",
        "Requests refused because no pooled connection came within the acquire timeout."
    );
    describe_counter!(
        "expansion_apq_total",
        "Automatic persisted queries by result (hit, miss, registered)."
    );
    describe_counter!("expansion_mcp_tool_calls_total", "MCP tool calls by tool and outcome.");
    describe_counter!("expansion_scheduler_runs_total", "Reminder scheduler runs by outcome.");
    describe_counter!(
        "expansion_scheduler_reminders_created_total",
        "Renewal reminders the scheduler created."
    );
    describe_histogram!(
        "expansion_process_duration_seconds",
        Unit::Seconds,
        "Computing a whole-book process answer (loading its inputs included), by process; cache hits excluded."
    );
}

/// One GraphQL operation finished.
pub fn graphql_operation(operation: &str, ok: bool, elapsed: Duration) {
    if !on() {
        return;
    }
    operation_histogram(operation, ok).record(elapsed.as_secs_f64());
}

/// The latency histogram of `operation` and outcome. Handles are kept per label: building a
/// metric key and looking it up in the registry on every request cost ~5 % of `{ __typename }`.
fn operation_histogram(operation: &str, ok: bool) -> Histogram {
    let outcome = usize::from(!ok);
    let handles = |label: &str| -> [Histogram; 2] {
        ["ok", "error"].map(|outcome| {
            histogram!("expansion_graphql_operation_duration_seconds", "operation" => label.to_owned(), "outcome" => outcome)
        })
    };
    let mut labels = operation_labels();
    let label = kept_label(&mut labels, operation);
    if !labels.contains_key(label) {
        labels.insert(label.to_owned(), None);
    }
    let entry = labels.get_mut(label).expect("just inserted");
    entry.get_or_insert_with(|| handles(label))[outcome].clone()
}

/// Operation labels seen so far (`OPERATION_NAMES_KEPT` at most, plus `other`), each with its
/// histogram handles once metrics recorded one.
type OperationLabels = HashMap<String, Option<[Histogram; 2]>>;

fn operation_labels() -> std::sync::MutexGuard<'static, OperationLabels> {
    static LABELS: OnceLock<Mutex<OperationLabels>> = OnceLock::new();
    LABELS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// One GraphQL error with its `extensions.code`.
pub fn graphql_error(code: &str) {
    if on() {
        counter!("expansion_graphql_errors_total", "code" => code.to_owned()).increment(1);
    }
}

/// One HTTP response.
pub fn http_response(status: u16) {
    // One handle per status, registered on first use (see `operation_histogram`).
    static BY_STATUS: [OnceLock<Counter>; 500] = [const { OnceLock::new() }; 500];
    if !on() {
        return;
    }
    let register = || counter!("expansion_http_responses_total", "status" => status.to_string());
    match BY_STATUS.get(usize::from(status).wrapping_sub(100)) {
        Some(slot) => slot.get_or_init(register).increment(1),
        None => register().increment(1),
    }
}

/// One SQL statement (from sea-orm's metric callback).
pub fn sql_statement(elapsed: Duration, failed: bool) {
    if !on() {
        return;
    }
    static DURATION: [OnceLock<Histogram>; 2] = [const { OnceLock::new() }; 2];
    static STATEMENTS: OnceLock<Counter> = OnceLock::new();
    let outcome = if failed { "failed" } else { "ok" };
    DURATION[usize::from(failed)]
        .get_or_init(|| histogram!("expansion_sql_statement_duration_seconds", "outcome" => outcome))
        .record(elapsed.as_secs_f64());
    STATEMENTS
        .get_or_init(|| counter!("expansion_sql_statements_total"))
        .increment(1);
}

/// The pool as seen at scrape time.
pub fn pool(size: u32, idle: u32, max: u32) {
    if !on() {
        return;
    }
    gauge!("expansion_db_pool_connections", "state" => "in_use").set(f64::from(size.saturating_sub(idle)));
    gauge!("expansion_db_pool_connections", "state" => "idle").set(f64::from(idle));
    gauge!("expansion_db_pool_max_connections").set(f64::from(max));
}

/// This server's webhook delivery attempts by outcome and the endpoints it disabled, copied from
/// the worker's counters at scrape time.
pub fn webhook_deliveries(counters: &crate::scheduler::delivery::DeliveryCounters) {
    use std::sync::atomic::Ordering::Relaxed;
    if !on() {
        return;
    }
    for (outcome, value) in [
        ("delivered", &counters.delivered),
        ("retried", &counters.retried),
        ("failed", &counters.failed),
    ] {
        counter!("expansion_webhook_attempts_total", "outcome" => outcome).absolute(value.load(Relaxed));
    }
    counter!("expansion_webhook_endpoints_disabled_total").absolute(counters.endpoints_disabled.load(Relaxed));
}

/// No pooled connection within the acquire timeout.
pub fn pool_exhausted() {
    if on() {
        counter!("expansion_db_pool_exhausted_total").increment(1);
    }
}

/// An automatic persisted query: `hit`, `miss` or `registered`.
pub fn apq(result: &'static str) {
    if on() {
        counter!("expansion_apq_total", "result" => result).increment(1);
    }
}

/// One MCP tool call (`tool` is from the catalog, so bounded).
pub fn mcp_tool_call(tool: &'static str, ok: bool) {
    if on() {
        let outcome = if ok { "ok" } else { "error" };
        counter!("expansion_mcp_tool_calls_total", "tool" => tool, "outcome" => outcome).increment(1);
    }
}

/// One reminder scheduler run; `created` is `None` when it failed.
pub fn scheduler_run(created: Option<u64>) {
    if !on() {
        return;
    }
    let outcome = if created.is_some() { "ok" } else { "failed" };
    counter!("expansion_scheduler_runs_total", "outcome" => outcome).increment(1);
    counter!("expansion_scheduler_reminders_created_total").increment(created.unwrap_or(0));
}

/// One whole-book process answer computed.
pub fn process_computed(process: &str, elapsed: Duration) {
    if on() {
        histogram!("expansion_process_duration_seconds", "process" => process.to_owned()).record(elapsed.as_secs_f64());
    }
}

/// The operation's name for a label: itself while fewer than `OPERATION_NAMES_KEPT` names were
/// seen (or it is one of them), else `other`; names that are not GraphQL names are `other` too.
#[cfg(test)]
fn bounded_operation(name: &str) -> String {
    kept_label(&mut operation_labels(), name).to_owned()
}

/// `name` when it is a kept label (or may become one), else `other`.
fn kept_label<'a>(labels: &mut OperationLabels, name: &'a str) -> &'a str {
    let valid = !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !name.as_bytes()[0].is_ascii_digit();
    if !valid {
        return "other";
    }
    if labels.contains_key(name) {
        return name;
    }
    let kept = labels.len() - usize::from(labels.contains_key("other"));
    if kept < OPERATION_NAMES_KEPT {
        labels.insert(name.to_owned(), None);
        name
    } else {
        "other"
    }
}

/// The name of the operation a request runs: the `operationName` it gives, else the name of its
/// document's first operation (read lexically, no second parse), else `anonymous`.
pub fn operation_name(operation_name: Option<&str>, query: &str) -> String {
    if let Some(name) = operation_name.filter(|n| !n.is_empty()) {
        return name.to_owned();
    }
    let mut rest = query;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',' || c == '\u{feff}');
        match rest.strip_prefix('#') {
            Some(comment) => rest = comment.split_once('\n').map_or("", |(_, after)| after),
            None => break,
        }
    }
    let Some(after_keyword) = ["query", "mutation", "subscription"]
        .iter()
        .find_map(|keyword| rest.strip_prefix(keyword))
    else {
        return "anonymous".to_owned();
    };
    let name: String = after_keyword
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if name.is_empty() || !after_keyword.starts_with(|c: char| c.is_whitespace()) {
        "anonymous".to_owned()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_are_read_from_the_document_or_the_request() {
        assert_eq!(operation_name(None, "{ __typename }"), "anonymous");
        assert_eq!(operation_name(None, "query { a }"), "anonymous");
        assert_eq!(
            operation_name(None, "# hi\n query FirstLook($x: Int) { a }"),
            "FirstLook"
        );
        assert_eq!(operation_name(None, "mutation Close { a }"), "Close");
        assert_eq!(operation_name(None, "queryX { a }"), "anonymous");
        assert_eq!(operation_name(Some("Two"), "query One { a } query Two { b }"), "Two");
    }

    #[test]
    fn operation_labels_stop_growing_after_the_cap() {
        let labels: Vec<String> = (0..OPERATION_NAMES_KEPT + 20)
            .map(|i| bounded_operation(&format!("Op{i}")))
            .collect();
        assert_eq!(labels[0], "Op0");
        assert_eq!(labels[OPERATION_NAMES_KEPT + 19], "other");
        assert_eq!(bounded_operation("Op0"), "Op0", "a name seen before keeps its label");
    }

    #[test]
    fn labels_refuse_names_that_are_not_graphql_names() {
        assert_eq!(bounded_operation("drop table;"), "other");
        assert_eq!(bounded_operation("9lives"), "other");
        assert_eq!(bounded_operation(&"x".repeat(65)), "other");
    }
}
