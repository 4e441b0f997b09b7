//! Counters behind the public ids `CNT-n`, `RNW-n`, `EXP-n`, `NEG-n`. The increment is one
//! UPDATE … RETURNING, atomic on SQLite and PostgreSQL, so replicas never hand out the same n.
use crate::error::{Error, Result};
use sea_orm::{ConnectionTrait, Statement};

/// Reserves `count` consecutive numbers of sequence `name` and returns the first.
pub async fn reserve(db: &impl ConnectionTrait, name: &str, count: i64) -> Result<i64> {
    let backend = db.get_database_backend();
    // Create the counter on first use; a concurrent creator makes this a no-op.
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        "INSERT INTO id_sequence (name, next_value) VALUES ($1, 1) ON CONFLICT (name) DO NOTHING",
        [name.into()],
    ))
    .await?;
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            "UPDATE id_sequence SET next_value = next_value + $1 WHERE name = $2 RETURNING next_value",
            [count.into(), name.into()],
        ))
        .await?
        .ok_or_else(|| Error::internal(anyhow::anyhow!("sequence {name} missing")))?;
    let next: i64 = row.try_get("", "next_value")?;
    Ok(next - count)
}

/// The next single number of sequence `name`.
pub async fn next(db: &impl ConnectionTrait, name: &str) -> Result<i64> {
    reserve(db, name, 1).await
}
