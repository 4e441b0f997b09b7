//! The product catalog.
use super::convert;
use crate::domain::inputs::ProductForCreate;
use crate::domain::Product;
use crate::error::Result;
use chrono::{DateTime, Utc};
use entity::product::{self, Column, Entity};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// The whole catalog: tiers by rank, then the rest by family and id.
pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<Product>> {
    let models = Entity::find()
        .order_by_asc(Column::Family)
        .order_by_asc(Column::TierRank)
        .order_by_asc(Column::Id)
        .all(db)
        .await?;
    convert::all(models, convert::product)
}

/// The products with these ids.
pub async fn by_ids(db: &impl ConnectionTrait, ids: &[String]) -> Result<Vec<Product>> {
    let models = Entity::find()
        .filter(Column::Id.is_in(ids.iter().cloned()))
        .all(db)
        .await?;
    convert::all(models, convert::product)
}

/// Inserts a product.
pub async fn insert(db: &impl ConnectionTrait, p: &ProductForCreate, now: DateTime<Utc>) -> Result<()> {
    let model = product::ActiveModel {
        id: Set(p.id.clone()),
        name: Set(p.name.clone()),
        family: Set(p.family.clone()),
        kind: Set(p.kind.as_str().to_owned()),
        tier_rank: Set(p.tier_rank),
        pricing: Set(p.pricing.as_str().to_owned()),
        annual_price_cents: Set(p.annual_price.cents()),
        created_at: Set(now),
    };
    Entity::insert(model).exec_without_returning(db).await?;
    Ok(())
}
