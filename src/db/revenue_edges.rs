//! Ledger aggregates for the revenue processes, computed by the database where the events are:
//! ARR per client at several dates in one pass, and gross positive movements per period and category.
use super::portable;
use crate::domain::{Money, RevenueCategory};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, Value};
use std::collections::BTreeMap;

/// Each client's ARR on each of `dates` (ascending): Σ arr_delta of events dated on or before it,
/// one `SUM(CASE …)` column per date, one statement. Clients without events up to the last date
/// are absent (ARR 0 everywhere).
pub async fn arr_at_dates(db: &impl ConnectionTrait, dates: &[NaiveDate]) -> Result<BTreeMap<String, Vec<Money>>> {
    let Some(last) = dates.last() else {
        return Ok(BTreeMap::new());
    };
    let columns: Vec<String> = (0..dates.len())
        .map(|i| {
            format!(
                "CAST(SUM(CASE WHEN occurred_on <= ${} THEN arr_delta_cents ELSE 0 END) AS BIGINT) AS a{i}",
                i + 1
            )
        })
        .collect();
    let sql = format!(
        "SELECT client_id, {} FROM revenue_event WHERE occurred_on <= ${} GROUP BY client_id",
        columns.join(", "),
        dates.len() + 1
    );
    let mut values: Vec<Value> = dates.iter().map(|d| (*d).into()).collect();
    values.push((*last).into());
    let rows = db
        .query_all_raw(portable::statement(db.get_database_backend(), &sql, values))
        .await?;
    let mut out = BTreeMap::new();
    for row in rows {
        let client_id: String = row.try_get("", "client_id")?;
        let arr = (0..dates.len())
            .map(|i| row.try_get::<i64>("", &format!("a{i}")).map(Money::from_cents))
            .collect::<Result<Vec<_>, _>>()?;
        out.insert(client_id, arr);
    }
    Ok(out)
}

/// One row of gross positive movement: period index (into the given ranges), client, category, Σ.
#[derive(Clone, Debug, PartialEq)]
pub struct PositiveMovement {
    pub period: usize,
    pub client_id: String,
    pub category: RevenueCategory,
    pub arr: Money,
}

/// Σ of positive arr_delta per (period, client, category) for disjoint, inclusive date ranges.
pub async fn positive_movements(
    db: &impl ConnectionTrait,
    ranges: &[(NaiveDate, NaiveDate)],
) -> Result<Vec<PositiveMovement>> {
    let (Some(first), Some(last)) = (ranges.iter().map(|r| r.0).min(), ranges.iter().map(|r| r.1).max()) else {
        return Ok(Vec::new());
    };
    let mut values: Vec<Value> = Vec::new();
    let mut cases = String::new();
    for (i, (start, end)) in ranges.iter().enumerate() {
        cases.push_str(&format!(
            " WHEN occurred_on >= ${} AND occurred_on <= ${} THEN CAST({i} AS BIGINT)",
            values.len() + 1,
            values.len() + 2
        ));
        values.push((*start).into());
        values.push((*end).into());
    }
    let sql = format!(
        "SELECT period_index, client_id, category, CAST(SUM(arr_delta_cents) AS BIGINT) AS arr FROM \
         (SELECT CASE{cases} END AS period_index, client_id, category, arr_delta_cents FROM revenue_event \
          WHERE arr_delta_cents > 0 AND occurred_on >= ${} AND occurred_on <= ${}) movements \
         WHERE period_index IS NOT NULL GROUP BY period_index, client_id, category",
        values.len() + 1,
        values.len() + 2
    );
    values.push(first.into());
    values.push(last.into());
    let rows = db
        .query_all_raw(portable::statement(db.get_database_backend(), &sql, values))
        .await?;
    rows.into_iter()
        .map(|row| {
            let period: i64 = row.try_get("", "period_index")?;
            let category: String = row.try_get("", "category")?;
            Ok(PositiveMovement {
                period: usize::try_from(period).map_err(Error::internal)?,
                client_id: row.try_get("", "client_id")?,
                category: RevenueCategory::parse("revenue_event.category", &category)
                    .map_err(|e| Error::internal(anyhow::anyhow!(e.message())))?,
                arr: Money::from_cents(row.try_get("", "arr")?),
            })
        })
        .collect()
}

/// (value, probability) of every open opportunity (stage neither won nor lost).
pub async fn open_pipeline(db: &impl ConnectionTrait) -> Result<Vec<(Money, f64)>> {
    let sql = "SELECT value_cents, probability FROM opportunity WHERE stage NOT IN ('won', 'lost') ORDER BY id";
    let rows = db
        .query_all_raw(portable::statement(db.get_database_backend(), sql, Vec::new()))
        .await?;
    rows.into_iter()
        .map(|row| {
            Ok((
                Money::from_cents(row.try_get("", "value_cents")?),
                row.try_get("", "probability")?,
            ))
        })
        .collect()
}
