//! Expansion opportunities.
use super::convert;
use crate::domain::queries::{OpportunityFilter, Page, PageRequest};
use crate::domain::Opportunity;
use crate::error::Result;
use entity::opportunity::{Column, Entity};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

/// Opportunities of these clients, newest first.
pub async fn by_client_ids(db: &impl ConnectionTrait, client_ids: &[String]) -> Result<Vec<Opportunity>> {
    let models = Entity::find()
        .filter(Column::ClientId.is_in(client_ids.iter().cloned()))
        .order_by_desc(Column::CreatedAt)
        .order_by_asc(Column::Id)
        .all(db)
        .await?;
    convert::all(models, convert::opportunity)
}

/// Every open opportunity (stage neither won nor lost), by client then id.
pub async fn open(db: &impl ConnectionTrait) -> Result<Vec<Opportunity>> {
    let models = Entity::find()
        .filter(Column::Stage.is_not_in(["won", "lost"]))
        .order_by_asc(Column::ClientId)
        .order_by_asc(Column::Id)
        .all(db)
        .await?;
    convert::all(models, convert::opportunity)
}

/// A page of opportunities matching `filter`, highest value first.
pub async fn page(
    db: &impl ConnectionTrait,
    filter: &OpportunityFilter,
    page: PageRequest,
) -> Result<Page<Opportunity>> {
    let mut query = Entity::find();
    if let Some(client_id) = &filter.client_id {
        query = query.filter(Column::ClientId.eq(client_id.as_str()));
    }
    if let Some(stage) = filter.stage {
        query = query.filter(Column::Stage.eq(stage.as_str()));
    }
    if let Some(kind) = filter.opportunity_type {
        query = query.filter(Column::OpportunityType.eq(kind.as_str()));
    }
    if filter.open_only {
        query = query.filter(Column::Stage.is_not_in(["won", "lost"]));
    }
    let total = query.clone().count(db).await?;
    let models = query
        .order_by_desc(Column::ValueCents)
        .order_by_asc(Column::Id)
        .offset(page.offset)
        .limit(page.limit)
        .all(db)
        .await?;
    Ok(Page {
        rows: convert::all(models, convert::opportunity)?,
        total,
    })
}
