//! PostgreSQL's fast path: a chunk of rows as one JSON array, unpacked into the table's row type by
//! `json_populate_recordset`. Columns left `NotSet` (autoincrement ids) take their defaults.
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbErr, EntityName, EntityTrait, IdenStatic, Iterable, Statement, Value,
};
use serde_json::{Map, Value as Json};

/// Inserts `rows` (all with the same columns set) in one statement.
pub(super) async fn insert<A, C>(db: &C, rows: &[A]) -> Result<(), DbErr>
where
    A: ActiveModelTrait,
    C: ConnectionTrait,
{
    let Some(first) = rows.first() else {
        return Ok(());
    };
    let columns: Vec<_> = <A::Entity as EntityTrait>::Column::iter()
        .filter(|c| first.get(*c).is_set())
        .collect();
    let mut array = Vec::with_capacity(rows.len());
    for row in rows {
        let mut object = Map::with_capacity(columns.len());
        for column in &columns {
            let value = row.get(*column).into_value().unwrap_or(Value::String(None));
            object.insert(column.as_str().to_owned(), json(value)?);
        }
        array.push(Json::Object(object));
    }
    let table = A::Entity::default().table_name().to_owned();
    let names = columns.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "INSERT INTO {table} ({names}) SELECT {names} FROM json_populate_recordset(NULL::{table}, CAST($1 AS json))"
    );
    let payload = Json::Array(array).to_string();
    db.execute_raw(Statement::from_sql_and_values(
        db.get_database_backend(),
        sql,
        [Value::from(payload)],
    ))
    .await
    .map(|_| ())
}

/// A column value as JSON that PostgreSQL reads back into the column's type exactly (dates ISO,
/// timestamps RFC 3339, doubles in their shortest round-trip form).
fn json(value: Value) -> Result<Json, DbErr> {
    Ok(match value {
        Value::Bool(v) => v.map_or(Json::Null, Json::from),
        Value::Int(v) => v.map_or(Json::Null, Json::from),
        Value::BigInt(v) => v.map_or(Json::Null, Json::from),
        Value::Double(v) => v.map_or(Json::Null, Json::from),
        Value::String(v) => v.map_or(Json::Null, Json::from),
        Value::Json(v) => v.map_or(Json::Null, |j| *j),
        Value::ChronoDate(v) => v.map_or(Json::Null, |d| Json::from(d.to_string())),
        Value::ChronoDateTimeUtc(v) => v.map_or(Json::Null, |t| Json::from(t.to_rfc3339())),
        other => {
            return Err(DbErr::Custom(format!(
                "bulk insert: unsupported column value {other:?}"
            )))
        }
    })
}
