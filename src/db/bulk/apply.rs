//! Writing an import's changes inside its transaction: stale lines deleted, new rows through the
//! bulk writer, changed rows updated one by one (an import of an unchanged book updates none),
//! an audit row per changed row; then the ledger invariant checked in SQL before commit.
use super::rows;
use crate::domain::{Book, Money};
use crate::error::Result;
use chrono::{DateTime, Utc};
use entity::*;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement};

/// What an import writes.
pub struct Changes<'a> {
    pub insert: &'a Book,
    pub update: &'a Book,
    pub delete_items: &'a [i64],
    pub delete_events: &'a [i64],
}

/// Applies `changes`; `progress(done, total)` follows the inserted rows.
pub async fn apply(
    txn: &impl ConnectionTrait,
    changes: &Changes<'_>,
    actor: &crate::domain::access::Actor,
    request_id: &str,
    now: DateTime<Utc>,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<()> {
    for chunk in changes.delete_items.chunks(1000) {
        contract_item::Entity::delete_many()
            .filter(contract_item::Column::Id.is_in(chunk.iter().copied()))
            .exec(txn)
            .await?;
    }
    for chunk in changes.delete_events.chunks(1000) {
        revenue_event::Entity::delete_many()
            .filter(revenue_event::Column::Id.is_in(chunk.iter().copied()))
            .exec(txn)
            .await?;
    }
    super::insert_book_in(txn, changes.insert, progress).await?;
    let audit = update_all(txn, changes.update, now).await?;
    let entries = audit
        .into_iter()
        .map(|(entity, id)| audit_log::ActiveModel {
            actor: Set(actor.name.clone()),
            actor_token_id: Set(actor.token_id),
            operation: Set("import".to_owned()),
            target_ids: Set(serde_json::json!([entity, id])),
            request_id: Set(Some(request_id.to_owned())),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    super::insert_rows(txn, entries).await?;
    crate::db::audit::record(txn, actor, "import", &[], request_id, now).await
}

/// Updates every changed row; returns (entity, key) of each for the audit log.
async fn update_all(txn: &impl ConnectionTrait, u: &Book, now: DateTime<Utc>) -> Result<Vec<(&'static str, String)>> {
    let mut audit = Vec::new();
    for p in &u.products {
        let mut row = rows::product(p, now);
        row.created_at = NotSet;
        product::Entity::update(row).exec(txn).await?;
        audit.push(("product", p.id.clone()));
    }
    for c in &u.clients {
        client::Entity::update(rows::client(c)).exec(txn).await?;
        audit.push(("client", c.id.clone()));
    }
    for c in &u.contacts {
        let mut row = rows::contact(c, now);
        (row.id, row.created_at) = (Set(c.id), NotSet);
        contact::Entity::update(row).exec(txn).await?;
        audit.push(("contact", format!("{}/{}", c.client_id, c.email)));
    }
    for c in &u.contracts {
        let mut row = rows::contract(c);
        (row.created_at, row.updated_at) = (NotSet, Set(now));
        contract::Entity::update(row).exec(txn).await?;
        audit.push(("contract", c.id.clone()));
    }
    for s in &u.usage {
        let mut row = rows::usage(s);
        row.id = Set(s.id);
        usage_snapshot::Entity::update(row).exec(txn).await?;
        audit.push(("usage_snapshot", format!("{}/{}", s.client_id, s.period_start)));
    }
    for s in &u.health {
        let mut row = rows::health(s);
        row.id = Set(s.id);
        health_snapshot::Entity::update(row).exec(txn).await?;
        audit.push(("health_snapshot", format!("{}/{}", s.client_id, s.as_of)));
    }
    for r in &u.renewals {
        let mut row = rows::renewal(r, now.date_naive());
        row.created_at = NotSet;
        renewal::Entity::update(row).exec(txn).await?;
        audit.push(("renewal", r.id.clone()));
    }
    for r in &u.reminders {
        let mut row = rows::reminder(r);
        (row.id, row.created_at) = (Set(r.id), NotSet);
        renewal_reminder::Entity::update(row).exec(txn).await?;
        audit.push(("renewal_reminder", format!("{}/{}", r.renewal_id, r.offset_days)));
    }
    for o in &u.opportunities {
        let mut row = rows::opportunity(o);
        row.updated_at = Set(now);
        opportunity::Entity::update(row).exec(txn).await?;
        audit.push(("opportunity", o.id.clone()));
    }
    Ok(audit)
}

/// Clients whose ledger does not sum to their active contract's ARR (DESIGN §3), read from the
/// database inside the transaction: (client id, ledger ARR, contract ARR).
pub async fn ledger_violations(db: &impl ConnectionTrait) -> Result<Vec<(String, Money, Money)>> {
    let sql = "SELECT k.id AS client_id, \
         CAST(COALESCE(l.arr, 0) AS BIGINT) AS ledger, CAST(COALESCE(c.arr, 0) AS BIGINT) AS contracted \
         FROM client k \
         LEFT JOIN (SELECT client_id, SUM(arr_delta_cents) AS arr FROM revenue_event GROUP BY client_id) l \
           ON l.client_id = k.id \
         LEFT JOIN (SELECT t.client_id, SUM(i.arr_cents) AS arr FROM contract t \
           JOIN contract_item i ON i.contract_id = t.id WHERE t.status = 'active' GROUP BY t.client_id) c \
           ON c.client_id = k.id \
         WHERE COALESCE(l.arr, 0) <> COALESCE(c.arr, 0) ORDER BY k.id";
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("", "client_id")?,
                Money::from_cents(r.try_get("", "ledger")?),
                Money::from_cents(r.try_get("", "contracted")?),
            ))
        })
        .collect()
}
