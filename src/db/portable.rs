//! Hand-written SQL fragments that run on both backends.
use sea_orm::sea_query::Expr;
use sea_orm::{DbBackend, Statement, Value};

/// `Expr::cust_with_values` written with `$1…$n` placeholders for every backend. sea-query only
/// numbers placeholders for PostgreSQL; for SQLite each `$n` becomes `?` and its value is repeated
/// in the order of appearance.
pub fn expr(backend: DbBackend, sql: &str, values: Vec<Value>) -> Expr {
    let (text, ordered) = rewrite(backend, sql, values);
    Expr::cust_with_values(text, ordered)
}

/// A whole raw statement written with `$1…$n` placeholders, for either backend.
pub fn statement(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let (text, ordered) = rewrite(backend, sql, values);
    Statement::from_sql_and_values(backend, text, ordered)
}

/// `t.col AS t_col, …` for every column of the entity: its row read back from a join with
/// `Model::from_query_result_optional(row, "t_")`.
pub fn prefixed_columns<E: sea_orm::EntityTrait>(alias: &str) -> String {
    use sea_orm::{IdenStatic, Iterable};
    E::Column::iter()
        .map(|c| {
            let name = c.as_str();
            format!("{alias}.{name} AS {alias}_{name}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `$first, $first+1, …` for `count` values.
pub fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// SQL for the date `months` calendar months before the date expression `date_sql`: exact for
/// first-of-month dates (usage periods are stored as the first day of their month) on both backends.
pub fn months_before(backend: DbBackend, date_sql: &str, months: u32) -> String {
    match backend {
        DbBackend::Postgres => format!("CAST({date_sql} - INTERVAL '{months} months' AS DATE)"),
        _ => format!("date({date_sql}, '-{months} months')"),
    }
}

/// The snapshot tables read as "the newest row of a client dated on or before a bound".
#[derive(Clone, Copy, Debug)]
pub enum Snapshots {
    Usage,
    Health,
}

impl Snapshots {
    /// The table and its date column (each has the unique index `(client_id, date)`).
    pub fn table_and_date(self) -> (&'static str, &'static str) {
        match self {
            Snapshots::Usage => ("usage_snapshot", "period_start"),
            Snapshots::Health => ("health_snapshot", "as_of"),
        }
    }
}

/// A join that brings in, as `alias`, the newest `snapshots` row of the client `client_sql` dated on
/// or before `bound_sql` — one backward index seek per outer row on both backends:
/// - PostgreSQL: `JOIN LATERAL (… ORDER BY date DESC LIMIT 1) alias ON TRUE`. Written as
///   `JOIN t ON t.id = (subquery)` it hashes the whole snapshot table first (4× slower on 10k
///   clients, 205k snapshots).
/// - SQLite (no `LATERAL`): `JOIN t ON t.id = (subquery)`, which it runs as a rowid lookup.
///
/// `left` keeps outer rows without such a snapshot (`LEFT JOIN`).
pub fn newest_snapshot_join(
    backend: DbBackend,
    snapshots: Snapshots,
    alias: &str,
    client_sql: &str,
    bound_sql: &str,
    left: bool,
) -> String {
    let (table, date) = snapshots.table_and_date();
    let join = if left { "LEFT JOIN" } else { "JOIN" };
    let pick = format!(
        "FROM {table} n WHERE n.client_id = {client_sql} AND n.{date} <= {bound_sql} ORDER BY n.{date} DESC LIMIT 1"
    );
    match backend {
        DbBackend::Postgres => format!("{join} LATERAL (SELECT n.* {pick}) {alias} ON TRUE"),
        _ => format!("{join} {table} {alias} ON {alias}.id = (SELECT n.id {pick})"),
    }
}

/// A statement selecting every client's newest `snapshots` row dated on or before `bound_sql` (a
/// parameter or constant, evaluated once), with the snapshot table's columns. Each client's newest
/// row overall is kept in `<table>_latest` (maintained by triggers in every write's transaction,
/// see the migration `create_snapshot_latest`): when it is dated on or before the bound — always,
/// for asOf today — it is the answer, read in one scan of that table; otherwise the history is
/// searched for that client ([`newest_snapshot_join`]).
pub fn newest_rows(backend: DbBackend, snapshots: Snapshots, bound_sql: &str) -> String {
    let (table, date) = snapshots.table_and_date();
    let older = newest_snapshot_join(backend, snapshots, "s", "l.client_id", bound_sql, false);
    format!(
        "SELECT l.* FROM {table}_latest l WHERE l.{date} <= {bound_sql} \
         UNION ALL SELECT s.* FROM {table}_latest l {older} WHERE l.{date} > {bound_sql}"
    )
}

/// PostgreSQL keeps `$n`; SQLite gets `?` per occurrence with the values in that order.
fn rewrite(backend: DbBackend, sql: &str, values: Vec<Value>) -> (String, Vec<Value>) {
    if backend == DbBackend::Postgres {
        return (sql.to_owned(), values);
    }
    let (mut text, mut ordered) = (String::with_capacity(sql.len()), Vec::new());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' || !chars.peek().is_some_and(char::is_ascii_digit) {
            text.push(c);
            continue;
        }
        let mut number = String::new();
        while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
            number.push(d);
            chars.next();
        }
        let index: usize = number.parse().unwrap_or(0);
        match index.checked_sub(1).and_then(|i| values.get(i)) {
            Some(value) => {
                text.push('?');
                ordered.push(value.clone());
            }
            None => {
                text.push('$');
                text.push_str(&number);
            }
        }
    }
    (text, ordered)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::sea_query::{Query, SqliteQueryBuilder};

    #[test]
    fn sqlite_gets_question_marks_with_values_in_order_of_appearance() {
        let e = expr(
            DbBackend::Sqlite,
            "a = $2 OR b = $1 OR c = $2",
            vec![Value::from(1), Value::from("x")],
        );
        let (sql, values) = Query::select().expr(e).build(SqliteQueryBuilder);
        assert_eq!(sql, "SELECT a = ? OR b = ? OR c = ?");
        assert_eq!(values.0, vec![Value::from("x"), Value::from(1), Value::from("x")]);
    }
}
