//! One integration-test binary: the server over HTTP, on SQLite and (when `TEST_DATABASE_URL` is
//! set) PostgreSQL, each test with a fresh database.
mod closing;
mod forecast;
mod graph;
mod helpers;
mod http;
mod ingestion;
mod ledger;
mod limits;
mod n_plus_one;
mod negotiation;
mod reminders;
mod renewals;
mod schema;
