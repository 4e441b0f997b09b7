//! Usage and health snapshots: histories, the latest as of a date, inserts.
use super::{convert, portable};
use crate::domain::health::{self, HealthWeights};
use crate::domain::inputs::{HealthForCreate, UsageForCreate};
use crate::domain::{HealthSnapshot, UsageSnapshot};
use crate::error::Result;
use chrono::NaiveDate;
use entity::{health_snapshot, usage_snapshot};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder};

/// Usage of these clients, oldest month first.
pub async fn usage_by_client_ids(db: &impl ConnectionTrait, client_ids: &[String]) -> Result<Vec<UsageSnapshot>> {
    let models = usage_snapshot::Entity::find()
        .filter(usage_snapshot::Column::ClientId.is_in(client_ids.iter().cloned()))
        .order_by_asc(usage_snapshot::Column::PeriodStart)
        .all(db)
        .await?;
    convert::all(models, convert::usage)
}

/// Health of these clients, oldest first.
pub async fn health_by_client_ids(db: &impl ConnectionTrait, client_ids: &[String]) -> Result<Vec<HealthSnapshot>> {
    let models = health_snapshot::Entity::find()
        .filter(health_snapshot::Column::ClientId.is_in(client_ids.iter().cloned()))
        .order_by_asc(health_snapshot::Column::AsOf)
        .all(db)
        .await?;
    convert::all(models, convert::health)
}

/// Inserts a month of usage; a second snapshot for the same month is a unique-key conflict.
pub async fn insert_usage(db: &impl ConnectionTrait, u: &UsageForCreate) -> Result<UsageSnapshot> {
    let model = usage_snapshot::ActiveModel {
        client_id: Set(u.client_id.clone()),
        period_start: Set(u.period_start),
        seats_licensed: Set(u.seats_licensed),
        active_users: Set(u.active_users),
        usage_rate: Set(u.usage_rate),
        feature_adoption: Set(u.feature_adoption),
        api_calls: Set(u.api_calls),
        logins: Set(u.logins),
        reports_exported: Set(u.reports_exported),
        ..Default::default()
    };
    convert::usage(usage_snapshot::Entity::insert(model).exec_with_returning(db).await?)
}

/// Inserts a health score: overall from the weighted components, trend against the client's
/// previous snapshot (the newest one dated before `as_of`).
pub async fn insert_health(
    db: &impl ConnectionTrait,
    h: &HealthForCreate,
    weights: &HealthWeights,
) -> Result<HealthSnapshot> {
    let previous = health_snapshot::Entity::find()
        .filter(health_snapshot::Column::ClientId.eq(h.client_id.as_str()))
        .filter(health_snapshot::Column::AsOf.lt(h.as_of))
        .order_by_desc(health_snapshot::Column::AsOf)
        .one(db)
        .await?;
    let overall = h.components.overall(weights);
    let trend = health::trend(previous.map(|p| p.overall_score), overall);
    let model = health_snapshot::ActiveModel {
        client_id: Set(h.client_id.clone()),
        as_of: Set(h.as_of),
        usage_score: Set(h.components.usage),
        engagement_score: Set(h.components.engagement),
        support_score: Set(h.components.support),
        satisfaction_score: Set(h.components.satisfaction),
        payment_score: Set(h.components.payment),
        overall_score: Set(overall),
        trend: Set(trend.as_str().to_owned()),
        ..Default::default()
    };
    convert::health(health_snapshot::Entity::insert(model).exec_with_returning(db).await?)
}

/// The newest health snapshot of every client dated on or before `as_of`, for portfolio-wide
/// processes: one index seek per client on the unique `(client_id, as_of)` index (`ORDER BY …
/// DESC LIMIT 1`), which reads a row per client instead of grouping the whole history.
pub async fn latest_health_all(db: &impl ConnectionTrait, as_of: NaiveDate) -> Result<Vec<HealthSnapshot>> {
    let sql = "SELECT h.* FROM client k JOIN health_snapshot h ON h.id = (SELECT h2.id FROM health_snapshot h2 \
               WHERE h2.client_id = k.id AND h2.as_of <= $1 ORDER BY h2.as_of DESC LIMIT 1)";
    let statement = portable::statement(db.get_database_backend(), sql, vec![as_of.into()]);
    let models = health_snapshot::Entity::find().from_raw_sql(statement).all(db).await?;
    convert::all(models, convert::health)
}

/// The newest usage snapshot of every client dated on or before `as_of` (an index seek per client,
/// as [`latest_health_all`]).
pub async fn latest_usage_all(db: &impl ConnectionTrait, as_of: NaiveDate) -> Result<Vec<UsageSnapshot>> {
    let sql = "SELECT u.* FROM client k JOIN usage_snapshot u ON u.id = (SELECT u2.id FROM usage_snapshot u2 \
               WHERE u2.client_id = k.id AND u2.period_start <= $1 ORDER BY u2.period_start DESC LIMIT 1)";
    let statement = portable::statement(db.get_database_backend(), sql, vec![as_of.into()]);
    let models = usage_snapshot::Entity::find().from_raw_sql(statement).all(db).await?;
    convert::all(models, convert::usage)
}

/// The snapshot rows the forecast reads as of `as_of`, and no others: each client's newest dated on
/// or before `as_of` (scoring open renewals), and for every closed renewal dated before `as_of` its
/// client's newest dated on or before renewal_date − `lead_days` (its training features). A few
/// rows per client instead of its whole history; `{table}`/`{date}` name the snapshot table and
/// its date column.
fn forecast_rows_sql(backend: DbBackend, table: &str, date: &str, lead_days: u32) -> String {
    let cutoff = match backend {
        DbBackend::Postgres => format!("r.renewal_date - {lead_days}"),
        _ => format!("date(r.renewal_date, '-{lead_days} days')"),
    };
    format!(
        "SELECT s.* FROM {table} s JOIN (\
           SELECT client_id, MAX({date}) AS pick FROM {table} WHERE {date} <= $1 GROUP BY client_id \
           UNION \
           SELECT r.client_id, (SELECT MAX(s2.{date}) FROM {table} s2 WHERE s2.client_id = r.client_id \
             AND s2.{date} <= {cutoff}) AS pick \
           FROM renewal r WHERE r.status <> 'open' AND r.renewal_date < $1\
         ) p ON p.client_id = s.client_id AND p.pick = s.{date} ORDER BY s.client_id, s.{date}"
    )
}

/// Usage rows of [`forecast_rows_sql`].
pub async fn usage_for_forecast(
    db: &impl ConnectionTrait,
    as_of: NaiveDate,
    lead_days: u32,
) -> Result<Vec<UsageSnapshot>> {
    let backend = db.get_database_backend();
    let sql = forecast_rows_sql(backend, "usage_snapshot", "period_start", lead_days);
    let statement = portable::statement(backend, &sql, vec![as_of.into()]);
    let models = usage_snapshot::Entity::find().from_raw_sql(statement).all(db).await?;
    convert::all(models, convert::usage)
}

/// Health rows of [`forecast_rows_sql`].
pub async fn health_for_forecast(
    db: &impl ConnectionTrait,
    as_of: NaiveDate,
    lead_days: u32,
) -> Result<Vec<HealthSnapshot>> {
    let backend = db.get_database_backend();
    let sql = forecast_rows_sql(backend, "health_snapshot", "as_of", lead_days);
    let statement = portable::statement(backend, &sql, vec![as_of.into()]);
    let models = health_snapshot::Entity::find().from_raw_sql(statement).all(db).await?;
    convert::all(models, convert::health)
}

/// `(client_id, as_of, overall_score)` of every health snapshot dated on or before `until`, by
/// client then date: one pass that serves "latest on or before s" for many dates `s` at once.
pub async fn health_scores_until(db: &impl ConnectionTrait, until: NaiveDate) -> Result<Vec<(String, NaiveDate, f64)>> {
    let sql = "SELECT client_id, as_of, overall_score FROM health_snapshot WHERE as_of <= $1 ORDER BY client_id, as_of";
    let rows = db
        .query_all_raw(portable::statement(db.get_database_backend(), sql, vec![until.into()]))
        .await?;
    rows.into_iter()
        .map(|r| {
            Ok((
                r.try_get("", "client_id")?,
                r.try_get("", "as_of")?,
                r.try_get("", "overall_score")?,
            ))
        })
        .collect()
}

/// Usage facts `(client_id, period_start, active_users, seats_licensed, feature_adoption)` of every
/// usage snapshot dated on or before `until`, by client then month.
pub async fn usage_facts_until(
    db: &impl ConnectionTrait,
    until: NaiveDate,
) -> Result<Vec<(String, NaiveDate, i32, i32, f64)>> {
    let sql = "SELECT client_id, period_start, active_users, seats_licensed, feature_adoption FROM usage_snapshot \
               WHERE period_start <= $1 ORDER BY client_id, period_start";
    let rows = db
        .query_all_raw(portable::statement(db.get_database_backend(), sql, vec![until.into()]))
        .await?;
    rows.into_iter()
        .map(|r| {
            Ok((
                r.try_get("", "client_id")?,
                r.try_get("", "period_start")?,
                r.try_get("", "active_users")?,
                r.try_get("", "seats_licensed")?,
                r.try_get("", "feature_adoption")?,
            ))
        })
        .collect()
}
