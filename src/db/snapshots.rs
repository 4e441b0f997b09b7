//! Usage and health snapshots: histories, the latest as of a date, inserts.
use super::convert;
use super::portable::{self, Snapshots};
use super::Db;
use crate::domain::health::{self, HealthWeights};
use crate::domain::inputs::{HealthForCreate, UsageForCreate};
use crate::domain::{HealthSnapshot, UsageSnapshot};
use crate::error::Result;
use chrono::NaiveDate;
use entity::{health_snapshot, usage_snapshot};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, StreamTrait,
};

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
/// processes: a row per client ([`portable::newest_rows`]) instead of the whole history.
pub async fn latest_health_all(
    db: &(impl ConnectionTrait + StreamTrait),
    as_of: NaiveDate,
) -> Result<Vec<HealthSnapshot>> {
    let statement = newest_of_every_client(ConnectionTrait::get_database_backend(db), Snapshots::Health, as_of);
    super::read_models(db, statement, convert::health).await
}

/// The newest usage snapshot of every client dated on or before `as_of` (as [`latest_health_all`]).
pub async fn latest_usage_all(
    db: &(impl ConnectionTrait + StreamTrait),
    as_of: NaiveDate,
) -> Result<Vec<UsageSnapshot>> {
    let statement = newest_of_every_client(ConnectionTrait::get_database_backend(db), Snapshots::Usage, as_of);
    super::read_models(db, statement, convert::usage).await
}

fn newest_of_every_client(backend: DbBackend, snapshots: Snapshots, as_of: NaiveDate) -> sea_orm::Statement {
    portable::statement(
        backend,
        &portable::newest_rows(backend, snapshots, "$1"),
        vec![as_of.into()],
    )
}

/// The snapshot rows the forecast reads as of `as_of`, and no others: each client's newest dated on
/// or before `as_of` (scoring open renewals), and for every closed renewal dated before `as_of` its
/// client's newest dated on or before renewal_date − [`TRAINING_LEAD_DAYS`] (its training
/// features). A few rows per client instead of its whole history: the newest from
/// [`portable::newest_rows`], each closed renewal's from `<table>_at_renewal`, the copy the
/// migration `create_snapshot_at_renewal` keeps of exactly that row (one scan instead of an index
/// seek per closed renewal).
///
/// A row picked twice comes twice, in no particular order: the features read a history only
/// through `processes::forecast::features::latest` (the greatest (date, id) on or before a cutoff),
/// which neither order nor a repeat changes. A `UNION … ORDER BY` sorted all 105k rows of a 50k
/// book twice (on disk, past `work_mem`) to remove them.
///
/// [`TRAINING_LEAD_DAYS`]: crate::processes::forecast::features::TRAINING_LEAD_DAYS
fn forecast_rows_sql<C: sea_orm::Iterable + sea_orm::IdenStatic>(backend: DbBackend, snapshots: Snapshots) -> String {
    let (table, _) = snapshots.table_and_date();
    let columns = |alias: &str| {
        C::iter()
            .map(|c| format!("{alias}.{}", c.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let newest = portable::newest_rows(backend, snapshots, "$1");
    format!(
        "SELECT {} FROM ({newest}) n \
         UNION ALL \
         SELECT {} FROM {table}_at_renewal t JOIN renewal r ON r.id = t.renewal_id \
         WHERE r.status <> 'open' AND r.renewal_date < $1",
        columns("n"),
        columns("t")
    )
}

/// Usage rows of [`forecast_rows_sql`].
pub async fn usage_for_forecast(
    db: &(impl ConnectionTrait + StreamTrait),
    as_of: NaiveDate,
) -> Result<Vec<UsageSnapshot>> {
    let backend = ConnectionTrait::get_database_backend(db);
    let sql = forecast_rows_sql::<usage_snapshot::Column>(backend, Snapshots::Usage);
    let statement = portable::statement(backend, &sql, vec![as_of.into()]);
    super::read_models(db, statement, convert::usage).await
}

/// Health rows of [`forecast_rows_sql`].
pub async fn health_for_forecast(
    db: &(impl ConnectionTrait + StreamTrait),
    as_of: NaiveDate,
) -> Result<Vec<HealthSnapshot>> {
    let backend = ConnectionTrait::get_database_backend(db);
    let sql = forecast_rows_sql::<health_snapshot::Column>(backend, Snapshots::Health);
    let statement = portable::statement(backend, &sql, vec![as_of.into()]);
    super::read_models(db, statement, convert::health).await
}

/// Hands `(client_id, as_of, overall_score)` of every health snapshot dated on or before `until`
/// to `each`, by client then date, as the rows arrive: one pass that serves "latest on or before
/// s" for many dates `s` at once, without holding the history in memory (decoded by position).
pub async fn for_each_health_score_until(
    db: &Db,
    until: NaiveDate,
    mut each: impl FnMut(&str, NaiveDate, f64),
) -> Result<()> {
    let sql = "SELECT client_id, as_of, overall_score FROM health_snapshot WHERE as_of <= $1 ORDER BY client_id, as_of";
    let statement = portable::statement(db.get_database_backend(), sql, vec![until.into()]);
    super::for_each_row(db, statement, |row| {
        let client_id: String = row.try_get_by_index(0)?;
        each(&client_id, row.try_get_by_index(1)?, row.try_get_by_index(2)?);
        Ok(())
    })
    .await
}

/// A usage snapshot's facts for revenue's success factors.
#[derive(Clone, Copy, Debug)]
pub struct UsageFacts {
    pub period_start: NaiveDate,
    pub active_users: i32,
    pub seats_licensed: i32,
    pub feature_adoption: f64,
}

/// Hands the [`UsageFacts`] of every usage snapshot dated on or before `until` to `each`, by client
/// then month, as the rows arrive (as [`for_each_health_score_until`]).
pub async fn for_each_usage_fact_until(
    db: &Db,
    until: NaiveDate,
    mut each: impl FnMut(&str, UsageFacts),
) -> Result<()> {
    let sql = "SELECT client_id, period_start, active_users, seats_licensed, feature_adoption FROM usage_snapshot \
               WHERE period_start <= $1 ORDER BY client_id, period_start";
    let statement = portable::statement(db.get_database_backend(), sql, vec![until.into()]);
    super::for_each_row(db, statement, |row| {
        let client_id: String = row.try_get_by_index(0)?;
        let facts = UsageFacts {
            period_start: row.try_get_by_index(1)?,
            active_users: row.try_get_by_index(2)?,
            seats_licensed: row.try_get_by_index(3)?,
            feature_adoption: row.try_get_by_index(4)?,
        };
        each(&client_id, facts);
        Ok(())
    })
    .await
}

#[cfg(test)]
mod tests {
    /// The copies of each renewal's training snapshot are taken at the cutoff the forecast trains on.
    #[test]
    fn the_training_snapshot_copies_use_the_forecasts_lead_days() {
        assert_eq!(
            migration::SNAPSHOT_AT_RENEWAL_LEAD_DAYS,
            crate::processes::forecast::features::TRAINING_LEAD_DAYS
        );
    }
}
