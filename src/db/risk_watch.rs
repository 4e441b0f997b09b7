//! Where renewals stand against the at-risk line (`events::risk`), read before and written in the
//! scheduler's transaction that announces their crossings.
use crate::error::Result;
use crate::events::risk::RiskWatch;
use chrono::{DateTime, Utc};
use entity::renewal_risk_watch::{ActiveModel, Column, Entity};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use std::collections::HashMap;

/// The watches of these renewals (those never watched are absent).
pub async fn by_ids(db: &impl ConnectionTrait, renewal_ids: &[String]) -> Result<HashMap<String, RiskWatch>> {
    let mut watches = HashMap::new();
    for chunk in renewal_ids.chunks(500) {
        let models = Entity::find()
            .filter(Column::RenewalId.is_in(chunk.iter().map(String::as_str)))
            .all(db)
            .await?;
        watches.extend(models.into_iter().map(|m| {
            let watch = RiskWatch {
                renewal_id: m.renewal_id,
                below: m.below,
                crossings: u32::try_from(m.crossings).unwrap_or(0),
            };
            (watch.renewal_id.clone(), watch)
        }));
    }
    Ok(watches)
}

/// Writes these watches (inserted or replaced).
pub async fn save(db: &impl ConnectionTrait, watches: &[RiskWatch], now: DateTime<Utc>) -> Result<()> {
    for chunk in watches.chunks(500) {
        let rows = chunk.iter().map(|w| ActiveModel {
            renewal_id: Set(w.renewal_id.clone()),
            below: Set(w.below),
            crossings: Set(i32::try_from(w.crossings).unwrap_or(i32::MAX)),
            changed_at_ms: Set(now.timestamp_millis()),
        });
        let upsert = OnConflict::column(Column::RenewalId)
            .update_columns([Column::Below, Column::Crossings, Column::ChangedAtMs])
            .to_owned();
        Entity::insert_many(rows)
            .on_conflict(upsert)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}
