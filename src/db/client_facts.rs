//! A client's facts on a date — ledger ARR, newest health and newest usage on or before it — for a
//! page of clients in one statement.
//!
//! Each newest snapshot is found by an index seek per client (`(client_id, date)` is a unique
//! index: `ORDER BY date DESC LIMIT 1`, see [`portable::newest_snapshot_join`]), not by comparing
//! every snapshot of the page's clients with a correlated `MAX()`; the ARR is a sum over the
//! client's ledger events up to the date (index `(client_id, occurred_on)`).
use super::convert;
use super::portable::{self, Snapshots};
use crate::domain::{ClientFacts, Money};
use crate::error::Result;
use chrono::NaiveDate;
use entity::{health_snapshot, usage_snapshot};
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult};
use std::sync::OnceLock;

/// Facts of each of `client_ids` that exists, on `on`.
pub async fn on_date(db: &impl ConnectionTrait, client_ids: &[String], on: NaiveDate) -> Result<Vec<ClientFacts>> {
    if client_ids.is_empty() {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    let sql = format!(
        "{} WHERE k.id IN ({})",
        select_sql(backend),
        portable::placeholders(2, client_ids.len())
    );
    let mut values: Vec<sea_orm::Value> = Vec::with_capacity(client_ids.len() + 1);
    values.push(on.into());
    values.extend(client_ids.iter().map(|id| id.as_str().into()));
    let rows = db.query_all_raw(portable::statement(backend, &sql, values)).await?;
    rows.iter()
        .map(|row| {
            let health = health_snapshot::Model::from_query_result_optional(row, "h_")?;
            let usage = usage_snapshot::Model::from_query_result_optional(row, "u_")?;
            Ok(ClientFacts {
                client_id: row.try_get("", "client_id")?,
                arr: Money::from_cents(row.try_get("", "arr_cents")?),
                health: health.map(convert::health).transpose()?,
                usage: usage.map(convert::usage).transpose()?,
            })
        })
        .collect()
}

/// The statement up to its `WHERE`, built once per backend: `$1` is the date.
fn select_sql(backend: DbBackend) -> &'static str {
    static POSTGRES: OnceLock<String> = OnceLock::new();
    static SQLITE: OnceLock<String> = OnceLock::new();
    let cell = if backend == DbBackend::Postgres {
        &POSTGRES
    } else {
        &SQLITE
    };
    cell.get_or_init(|| {
        format!(
            "SELECT k.id AS client_id, \
               (SELECT CAST(COALESCE(SUM(e.arr_delta_cents), 0) AS BIGINT) FROM revenue_event e \
                 WHERE e.client_id = k.id AND e.occurred_on <= $1) AS arr_cents, {}, {} \
             FROM client k {} {}",
            portable::prefixed_columns::<health_snapshot::Entity>("h"),
            portable::prefixed_columns::<usage_snapshot::Entity>("u"),
            portable::newest_snapshot_join(backend, Snapshots::Health, "h", "k.id", "$1", true),
            portable::newest_snapshot_join(backend, Snapshots::Usage, "u", "k.id", "$1", true),
        )
    })
}
