//! The event outbox. `append` runs inside the transaction of the event's cause, so an event exists
//! exactly when its cause committed; it also creates the event's webhook deliveries in that
//! transaction. Every writer holds the book's write lock (`db::write`), so `seq` grows in commit
//! order and readers can follow the table with a `seq` cursor without missing a row.
use super::portable;
use crate::domain::queries::{Page, PageRequest};
use crate::error::{Error, Result};
use crate::events::{Event, EventType, NewEvent};
use chrono::{DateTime, Utc};
use entity::event_outbox::{Column, Entity, Model};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Value};
use serde_json::json;

/// What to list.
#[derive(Clone, Debug, Default)]
pub struct EventFilter {
    /// Events that occurred at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Only these types (all when empty).
    pub types: Vec<EventType>,
    /// Only this client's.
    pub client_id: Option<String>,
}

/// Writes `event` (and its deliveries to every enabled endpoint subscribed to its type), with the
/// client's name added to `data.client` and in front of `data.reason`. `None` when an event with
/// the same dedupe key exists already (another replica wrote it): nothing is written then.
pub async fn append(db: &impl ConnectionTrait, mut event: NewEvent) -> Result<Option<Event>> {
    let backend = db.get_database_backend();
    if let Some(client_id) = event.client_id.clone() {
        let name = client_name(db, &client_id).await?;
        let reason = event.data["reason"].as_str().map(str::to_owned);
        event.data["client"] = json!({ "id": client_id, "name": name });
        if let (Some(name), Some(reason)) = (name, reason) {
            event.data["reason"] = json!(format!("{name}: {reason}"));
        }
    }
    let id = format!("evt_{}", uuid::Uuid::new_v4().simple());
    let occurred_ms = event.occurred_at.timestamp_millis();
    let payload = serde_json::to_string(&event.data).map_err(Error::internal)?;
    let inserted = db
        .query_one_raw(portable::statement(
            backend,
            "INSERT INTO event_outbox (event_id, event_type, occurred_at_ms, client_id, subject_id, dedupe_key, payload) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dedupe_key) DO NOTHING RETURNING seq",
            vec![
                id.clone().into(),
                event.event_type.as_str().into(),
                occurred_ms.into(),
                event.client_id.clone().into(),
                event.subject_id.clone().into(),
                event.dedupe_key.clone().into(),
                payload.into(),
            ],
        ))
        .await?;
    let Some(row) = inserted else {
        return Ok(None);
    };
    let seq: i64 = row.try_get("", "seq")?;
    fan_out(db, seq, event.event_type, occurred_ms).await?;
    Ok(Some(Event {
        seq,
        id,
        event_type: event.event_type,
        occurred_at: event.occurred_at,
        client_id: event.client_id,
        subject_id: event.subject_id,
        data: event.data,
    }))
}

/// Appends each event (see [`append`]); returns how many were new.
pub async fn append_all(db: &impl ConnectionTrait, events: Vec<NewEvent>) -> Result<u64> {
    let mut written = 0;
    for event in events {
        written += u64::from(append(db, event).await?.is_some());
    }
    Ok(written)
}

/// One pending delivery per enabled endpoint subscribed to the type; its id (`dlv_<seq>_<endpoint>`)
/// is the receiver's idempotency key and stays the same across retries and redeliveries.
async fn fan_out(db: &impl ConnectionTrait, seq: i64, event_type: EventType, now_ms: i64) -> Result<()> {
    let sql = "INSERT INTO webhook_delivery (delivery_id, endpoint_id, event_seq, event_type, status, attempts, \
               next_attempt_at_ms, created_at_ms) \
               SELECT 'dlv_' || CAST($1 AS TEXT) || '_' || e.id, e.id, $1, $2, 'pending', 0, $3, $3 \
               FROM webhook_endpoint e WHERE e.enabled = $4 AND e.event_types LIKE $5";
    let pattern = format!("%,{},%", event_type.as_str());
    let values: Vec<Value> = vec![
        seq.into(),
        event_type.as_str().into(),
        now_ms.into(),
        true.into(),
        pattern.into(),
    ];
    db.execute_raw(portable::statement(db.get_database_backend(), sql, values))
        .await?;
    Ok(())
}

async fn client_name(db: &impl ConnectionTrait, client_id: &str) -> Result<Option<String>> {
    let row = db
        .query_one_raw(portable::statement(
            db.get_database_backend(),
            "SELECT name FROM client WHERE id = $1",
            vec![client_id.into()],
        ))
        .await?;
    Ok(match row {
        Some(row) => Some(row.try_get("", "name")?),
        None => None,
    })
}

/// Events after `seq`, oldest first, at most `limit` (the subscription feed's poll).
pub async fn after(db: &impl ConnectionTrait, seq: i64, limit: u64) -> Result<Vec<Event>> {
    let models = Entity::find()
        .filter(Column::Seq.gt(seq))
        .order_by_asc(Column::Seq)
        .limit(limit)
        .all(db)
        .await?;
    models.into_iter().map(event).collect()
}

/// The newest `seq` (0 when there is none).
pub async fn last_seq(db: &impl ConnectionTrait) -> Result<i64> {
    let newest = Entity::find().order_by_desc(Column::Seq).limit(1).one(db).await?;
    Ok(newest.map_or(0, |m| m.seq))
}

/// The events of these sequence numbers.
pub async fn by_seqs(db: &impl ConnectionTrait, seqs: &[i64]) -> Result<Vec<Event>> {
    let models = Entity::find()
        .filter(Column::Seq.is_in(seqs.iter().copied()))
        .all(db)
        .await?;
    models.into_iter().map(event).collect()
}

/// A page of events matching `filter`, oldest first.
pub async fn page(db: &impl ConnectionTrait, filter: &EventFilter, page: PageRequest) -> Result<Page<Event>> {
    let mut query = Entity::find();
    if let Some(since) = filter.since {
        query = query.filter(Column::OccurredAtMs.gte(since.timestamp_millis()));
    }
    if !filter.types.is_empty() {
        query = query.filter(Column::EventType.is_in(filter.types.iter().map(|t| t.as_str())));
    }
    if let Some(client_id) = &filter.client_id {
        query = query.filter(Column::ClientId.eq(client_id.as_str()));
    }
    super::paging::fetch(db, query.order_by_asc(Column::Seq), page)
        .await?
        .try_map(event)
}

fn event(m: Model) -> Result<Event> {
    let event_type = EventType::parse(&m.event_type)
        .ok_or_else(|| Error::internal(anyhow::anyhow!("unknown stored event type {}", m.event_type)))?;
    let occurred_at = DateTime::from_timestamp_millis(m.occurred_at_ms)
        .ok_or_else(|| Error::internal(anyhow::anyhow!("event {} has no valid time", m.event_id)))?;
    Ok(Event {
        seq: m.seq,
        id: m.event_id,
        event_type,
        occurred_at,
        client_id: m.client_id,
        subject_id: m.subject_id,
        data: serde_json::from_str(&m.payload).map_err(Error::internal)?,
    })
}
