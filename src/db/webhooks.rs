//! Webhook endpoints and their deliveries. The delivery worker's statements (claim, record an
//! attempt) run on their own, outside the book's write lock: they touch only delivery rows, never
//! the book, so they neither wait for nor invalidate anything a query reads.
use super::portable;
use crate::domain::queries::{Page, PageRequest};
use crate::error::{Error, Result};
use crate::events::webhook::{Delivery, DeliveryStatus, Endpoint};
use crate::events::EventType;
use chrono::{DateTime, Utc};
use entity::{webhook_delivery, webhook_endpoint};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder};

/// `,a,b,`: one `LIKE '%,a,%'` tells whether an endpoint takes a type (see the migration).
fn types_text(types: &[EventType]) -> String {
    let names: Vec<&str> = types.iter().map(|t| t.as_str()).collect();
    format!(",{},", names.join(","))
}

fn time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

fn endpoint(m: webhook_endpoint::Model) -> Endpoint {
    Endpoint {
        event_types: m.event_types.split(',').filter_map(EventType::parse).collect(),
        id: m.id,
        url: m.url,
        description: m.description,
        enabled: m.enabled,
        disabled_reason: m.disabled_reason,
        consecutive_failures: m.consecutive_failures,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

fn delivery(m: webhook_delivery::Model) -> Result<Delivery> {
    let bad = |what: &str| Error::internal(anyhow::anyhow!("delivery {} has an unknown {what}", m.delivery_id));
    Ok(Delivery {
        event_type: EventType::parse(&m.event_type).ok_or_else(|| bad("event type"))?,
        status: DeliveryStatus::parse(&m.status).ok_or_else(|| bad("status"))?,
        endpoint_id: m.endpoint_id.clone(),
        event_seq: m.event_seq,
        attempts: m.attempts,
        next_attempt_at: time(m.next_attempt_at_ms),
        last_status_code: m.last_status_code,
        last_error: m.last_error.clone(),
        created_at: time(m.created_at_ms),
        last_attempt_at: m.last_attempt_at_ms.map(time),
        delivered_at: m.delivered_at_ms.map(time),
        id: m.delivery_id,
    })
}

/// Stores a new endpoint with its signing secret.
pub async fn insert_endpoint(db: &impl ConnectionTrait, e: &Endpoint, secret: &str) -> Result<()> {
    let model = webhook_endpoint::ActiveModel {
        id: Set(e.id.clone()),
        url: Set(e.url.clone()),
        event_types: Set(types_text(&e.event_types)),
        description: Set(e.description.clone()),
        secret: Set(secret.to_owned()),
        enabled: Set(e.enabled),
        disabled_reason: Set(e.disabled_reason.clone()),
        consecutive_failures: Set(e.consecutive_failures),
        created_at: Set(e.created_at),
        updated_at: Set(e.updated_at),
    };
    webhook_endpoint::Entity::insert(model)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// One endpoint.
pub async fn get_endpoint(db: &impl ConnectionTrait, id: &str) -> Result<Option<Endpoint>> {
    Ok(webhook_endpoint::Entity::find_by_id(id).one(db).await?.map(endpoint))
}

/// Every endpoint, oldest first.
pub async fn endpoints(db: &impl ConnectionTrait) -> Result<Vec<Endpoint>> {
    let models = webhook_endpoint::Entity::find()
        .order_by_asc(webhook_endpoint::Column::CreatedAt)
        .order_by_asc(webhook_endpoint::Column::Id)
        .all(db)
        .await?;
    Ok(models.into_iter().map(endpoint).collect())
}

/// The url and secret of endpoints, for the worker.
pub async fn targets(db: &impl ConnectionTrait, ids: &[String]) -> Result<Vec<(String, String, String)>> {
    let models = webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::Id.is_in(ids.iter().map(String::as_str)))
        .all(db)
        .await?;
    Ok(models.into_iter().map(|m| (m.id, m.url, m.secret)).collect())
}

/// Writes the endpoint's editable fields (as already merged by the service).
pub async fn update_endpoint(db: &impl ConnectionTrait, e: &Endpoint) -> Result<bool> {
    use webhook_endpoint::Column;
    let result = webhook_endpoint::Entity::update_many()
        .col_expr(Column::Url, Expr::value(e.url.clone()))
        .col_expr(Column::EventTypes, Expr::value(types_text(&e.event_types)))
        .col_expr(Column::Description, Expr::value(e.description.clone()))
        .col_expr(Column::Enabled, Expr::value(e.enabled))
        .col_expr(Column::DisabledReason, Expr::value(e.disabled_reason.clone()))
        .col_expr(Column::ConsecutiveFailures, Expr::value(e.consecutive_failures))
        .col_expr(Column::UpdatedAt, Expr::value(e.updated_at))
        .filter(Column::Id.eq(e.id.as_str()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Deletes the endpoint and its delivery log; false when it did not exist.
pub async fn delete_endpoint(db: &impl ConnectionTrait, id: &str) -> Result<bool> {
    webhook_delivery::Entity::delete_many()
        .filter(webhook_delivery::Column::EndpointId.eq(id))
        .exec(db)
        .await?;
    let result = webhook_endpoint::Entity::delete_by_id(id).exec(db).await?;
    Ok(result.rows_affected == 1)
}

/// A page of an endpoint's deliveries, newest first, of one status when given.
pub async fn deliveries(
    db: &impl ConnectionTrait,
    endpoint_id: &str,
    status: Option<DeliveryStatus>,
    page: PageRequest,
) -> Result<Page<Delivery>> {
    use webhook_delivery::Column;
    let mut query = webhook_delivery::Entity::find().filter(Column::EndpointId.eq(endpoint_id));
    if let Some(status) = status {
        query = query.filter(Column::Status.eq(status.as_str()));
    }
    super::paging::fetch(db, query.order_by_desc(Column::Id), page)
        .await?
        .try_map(delivery)
}

/// One delivery by its public id.
pub async fn get_delivery(db: &impl ConnectionTrait, delivery_id: &str) -> Result<Option<Delivery>> {
    webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::DeliveryId.eq(delivery_id))
        .one(db)
        .await?
        .map(delivery)
        .transpose()
}

/// Puts a delivery back in the queue for now with a fresh count of attempts.
pub async fn requeue(db: &impl ConnectionTrait, delivery_id: &str, now: DateTime<Utc>) -> Result<bool> {
    use webhook_delivery::Column;
    let result = webhook_delivery::Entity::update_many()
        .col_expr(Column::Status, Expr::value(DeliveryStatus::Pending.as_str()))
        .col_expr(Column::Attempts, Expr::value(0))
        .col_expr(Column::NextAttemptAtMs, Expr::value(now.timestamp_millis()))
        .filter(Column::DeliveryId.eq(delivery_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// A delivery the worker took: what to send where.
#[derive(Clone, Debug)]
pub struct Claimed {
    pub row_id: i64,
    pub delivery_id: String,
    pub endpoint_id: String,
    pub event_seq: i64,
    pub event_type: String,
    /// This attempt's number (1 for the first).
    pub attempt: i32,
}

/// When the earliest pending delivery of an enabled endpoint is due (ms since the epoch), if any:
/// the worker's cheap look before it claims, so an idle server takes no write lock to find nothing.
pub async fn next_due_ms(db: &impl ConnectionTrait) -> Result<Option<i64>> {
    let backend = db.get_database_backend();
    let sql = "SELECT MIN(w.next_attempt_at_ms) AS due FROM webhook_delivery w \
         JOIN webhook_endpoint e ON e.id = w.endpoint_id WHERE w.status = 'pending' AND e.enabled = $1";
    let row = db
        .query_one_raw(portable::statement(backend, sql, vec![true.into()]))
        .await?;
    Ok(match row {
        Some(row) => row.try_get::<Option<i64>>("", "due")?,
        None => None,
    })
}

/// Takes up to `limit` pending deliveries that are due, of enabled endpoints, by moving their next
/// attempt to the end of a lease (`lease_until_ms`) and counting the attempt. Nobody else takes
/// them meanwhile: on PostgreSQL concurrent workers skip the rows one of them has locked
/// (`FOR UPDATE SKIP LOCKED`), on SQLite the statement holds the file's write lock. A worker that
/// dies leaves its rows to be taken again when the lease ends.
pub async fn claim(db: &impl ConnectionTrait, now_ms: i64, lease_until_ms: i64, limit: u64) -> Result<Vec<Claimed>> {
    let backend = db.get_database_backend();
    let lock = match backend {
        DbBackend::Postgres => "FOR UPDATE OF w SKIP LOCKED",
        _ => "",
    };
    let sql = format!(
        "UPDATE webhook_delivery SET next_attempt_at_ms = $2, attempts = attempts + 1, last_attempt_at_ms = $1 \
         WHERE id IN (SELECT w.id FROM webhook_delivery w JOIN webhook_endpoint e ON e.id = w.endpoint_id \
         WHERE w.status = 'pending' AND w.next_attempt_at_ms <= $1 AND e.enabled = $4 \
         ORDER BY w.next_attempt_at_ms, w.id LIMIT $3 {lock}) \
         RETURNING id, delivery_id, endpoint_id, event_seq, event_type, attempts"
    );
    let values = vec![now_ms.into(), lease_until_ms.into(), (limit as i64).into(), true.into()];
    let rows = db.query_all_raw(portable::statement(backend, &sql, values)).await?;
    rows.into_iter()
        .map(|row| {
            Ok(Claimed {
                row_id: row.try_get("", "id")?,
                delivery_id: row.try_get("", "delivery_id")?,
                endpoint_id: row.try_get("", "endpoint_id")?,
                event_seq: row.try_get("", "event_seq")?,
                event_type: row.try_get("", "event_type")?,
                attempt: row.try_get("", "attempts")?,
            })
        })
        .collect()
}

/// How an attempt ended.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// 2xx.
    Delivered { status_code: i32 },
    /// Try again at `retry_at_ms`.
    Retry {
        status_code: Option<i32>,
        error: String,
        retry_at_ms: i64,
    },
    /// No attempts left.
    Failed { status_code: Option<i32>, error: String },
}

/// Records an attempt's outcome on the delivery.
pub async fn record(db: &impl ConnectionTrait, row_id: i64, outcome: &Outcome, now_ms: i64) -> Result<()> {
    use webhook_delivery::Column;
    let update = webhook_delivery::Entity::update_many().filter(Column::Id.eq(row_id));
    let update = match outcome {
        Outcome::Delivered { status_code } => update
            .col_expr(Column::Status, Expr::value(DeliveryStatus::Delivered.as_str()))
            .col_expr(Column::LastStatusCode, Expr::value(*status_code))
            .col_expr(Column::LastError, Expr::value(Option::<String>::None))
            .col_expr(Column::DeliveredAtMs, Expr::value(now_ms)),
        Outcome::Retry {
            status_code,
            error,
            retry_at_ms,
        } => update
            .col_expr(Column::LastStatusCode, Expr::value(*status_code))
            .col_expr(Column::LastError, Expr::value(error.clone()))
            .col_expr(Column::NextAttemptAtMs, Expr::value(*retry_at_ms)),
        Outcome::Failed { status_code, error } => update
            .col_expr(Column::Status, Expr::value(DeliveryStatus::Failed.as_str()))
            .col_expr(Column::LastStatusCode, Expr::value(*status_code))
            .col_expr(Column::LastError, Expr::value(error.clone())),
    };
    update.exec(db).await?;
    Ok(())
}

/// Counts a success (resets the failure streak) or a failure of an endpoint; at `disable_after`
/// consecutive failures the endpoint is disabled with `reason`. Returns true when this disabled it.
pub async fn endpoint_result(
    db: &impl ConnectionTrait,
    endpoint_id: &str,
    success: bool,
    disable_after: i32,
    reason: &str,
) -> Result<bool> {
    let backend = db.get_database_backend();
    if success {
        let sql = "UPDATE webhook_endpoint SET consecutive_failures = 0 WHERE id = $1 AND consecutive_failures <> 0";
        db.execute_raw(portable::statement(backend, sql, vec![endpoint_id.into()]))
            .await?;
        return Ok(false);
    }
    let sql = "UPDATE webhook_endpoint SET consecutive_failures = consecutive_failures + 1 WHERE id = $1";
    db.execute_raw(portable::statement(backend, sql, vec![endpoint_id.into()]))
        .await?;
    let sql = "UPDATE webhook_endpoint SET enabled = $3, disabled_reason = $4 \
               WHERE id = $1 AND enabled = $2 AND consecutive_failures >= $5";
    let values = vec![
        endpoint_id.into(),
        true.into(),
        false.into(),
        reason.into(),
        disable_after.into(),
    ];
    let disabled = db.execute_raw(portable::statement(backend, sql, values)).await?;
    Ok(disabled.rows_affected() == 1)
}
