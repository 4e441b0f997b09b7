//! The audit log: one row per mutation, written in the mutation's transaction.
use crate::domain::access::Actor;
use crate::error::Result;
use chrono::{DateTime, Utc};
use entity::audit_log;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

/// Records that `actor` (its token's name and id, never its secret) ran `operation` on `targets`.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    operation: &str,
    targets: &[&str],
    request_id: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let model = audit_log::ActiveModel {
        actor: Set(actor.name.clone()),
        actor_token_id: Set(actor.token_id),
        operation: Set(operation.to_owned()),
        target_ids: Set(serde_json::json!(targets)),
        request_id: Set(Some(request_id.to_owned())),
        created_at: Set(now),
        ..Default::default()
    };
    audit_log::Entity::insert(model).exec_without_returning(db).await?;
    Ok(())
}
