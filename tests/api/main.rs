//! One integration-test binary: the server over HTTP, on SQLite and (when `TEST_DATABASE_URL` is
//! set) PostgreSQL, each test with a fresh database.
mod agent;
mod answers;
mod bad_input;
mod cache;
mod closing;
mod concurrency;
mod crash;
mod expansion_lifecycle;
mod expansion_queries;
mod expansion_statements;
mod forecast;
mod graph;
mod helpers;
mod http;
mod import;
mod ingestion;
mod ledger;
mod limits;
mod n_plus_one;
mod negotiation;
mod reminders;
mod renewals;
mod revenue;
mod revenue_paths;
mod schema;
