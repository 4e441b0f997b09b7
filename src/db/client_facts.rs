//! A client's facts on a date — ledger ARR, newest health and newest usage on or before it — for a
//! page of clients in one statement.
//!
//! Each newest snapshot is found by an index seek per client (`(client_id, date)` is a unique
//! index: `ORDER BY date DESC LIMIT 1`), not by comparing every snapshot of the page's clients
//! with a correlated `MAX()`; the ARR is a sum over the client's ledger events up to the date
//! (index `(client_id, occurred_on)`). The same SQL runs on SQLite and PostgreSQL.
use super::{convert, portable};
use crate::domain::{ClientFacts, Money};
use crate::error::Result;
use chrono::NaiveDate;
use entity::{health_snapshot, usage_snapshot};
use sea_orm::{ConnectionTrait, FromQueryResult};
use std::sync::OnceLock;

/// Facts of each of `client_ids` that exists, on `on`.
pub async fn on_date(db: &impl ConnectionTrait, client_ids: &[String], on: NaiveDate) -> Result<Vec<ClientFacts>> {
    if client_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{} WHERE k.id IN ({})",
        select_sql(),
        portable::placeholders(2, client_ids.len())
    );
    let mut values: Vec<sea_orm::Value> = Vec::with_capacity(client_ids.len() + 1);
    values.push(on.into());
    values.extend(client_ids.iter().map(|id| id.as_str().into()));
    let rows = db
        .query_all_raw(portable::statement(db.get_database_backend(), &sql, values))
        .await?;
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

/// The statement up to its `WHERE`, built once: `$1` is the date.
fn select_sql() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| {
        format!(
            "SELECT k.id AS client_id, \
               (SELECT CAST(COALESCE(SUM(e.arr_delta_cents), 0) AS BIGINT) FROM revenue_event e \
                 WHERE e.client_id = k.id AND e.occurred_on <= $1) AS arr_cents, {}, {} \
             FROM client k \
             LEFT JOIN health_snapshot h ON h.id = (SELECT h2.id FROM health_snapshot h2 \
               WHERE h2.client_id = k.id AND h2.as_of <= $1 ORDER BY h2.as_of DESC LIMIT 1) \
             LEFT JOIN usage_snapshot u ON u.id = (SELECT u2.id FROM usage_snapshot u2 \
               WHERE u2.client_id = k.id AND u2.period_start <= $1 ORDER BY u2.period_start DESC LIMIT 1)",
            portable::prefixed_columns::<health_snapshot::Entity>("h"),
            portable::prefixed_columns::<usage_snapshot::Entity>("u"),
        )
    })
}
