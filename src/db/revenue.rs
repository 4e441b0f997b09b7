//! The ARR ledger: events, and ARR on a date summed in the database.
use super::convert;
use crate::domain::inputs::RevenueEventForCreate;
use crate::domain::queries::{Page, PageRequest, RevenueEventFilter};
use crate::domain::{Money, RevenueEvent};
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};
use entity::revenue_event::{self, Column, Entity};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

/// Ledger events of these clients, oldest first.
pub async fn by_client_ids(db: &impl ConnectionTrait, client_ids: &[String]) -> Result<Vec<RevenueEvent>> {
    let models = Entity::find()
        .filter(Column::ClientId.is_in(client_ids.iter().cloned()))
        .order_by_asc(Column::OccurredOn)
        .order_by_asc(Column::Id)
        .all(db)
        .await?;
    convert::all(models, convert::revenue_event)
}

/// A page of events matching `filter`, oldest first.
pub async fn page(
    db: &impl ConnectionTrait,
    filter: &RevenueEventFilter,
    page: PageRequest,
) -> Result<Page<RevenueEvent>> {
    let mut query = Entity::find();
    if let Some(client_id) = &filter.client_id {
        query = query.filter(Column::ClientId.eq(client_id.as_str()));
    }
    if let Some(from) = filter.from {
        query = query.filter(Column::OccurredOn.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(Column::OccurredOn.lte(to));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(Column::Kind.eq(kind.as_str()));
    }
    let ordered = query.order_by_asc(Column::OccurredOn).order_by_asc(Column::Id);
    super::paging::fetch(db, ordered, page)
        .await?
        .try_map(convert::revenue_event)
}

#[derive(FromQueryResult)]
struct ClientArr {
    client_id: String,
    arr_cents: i64,
}

/// ARR of each of these clients on `on`: Σ arr_delta of events dated on or before it, summed by
/// the database. Clients without events are absent (their ARR is zero).
pub async fn arr_on(db: &impl ConnectionTrait, client_ids: &[String], on: NaiveDate) -> Result<HashMap<String, Money>> {
    let rows = Entity::find()
        .select_only()
        .column(Column::ClientId)
        .column_as(Expr::cust("CAST(SUM(arr_delta_cents) AS BIGINT)"), "arr_cents")
        .filter(Column::ClientId.is_in(client_ids.iter().cloned()))
        .filter(Column::OccurredOn.lte(on))
        .group_by(Column::ClientId)
        .into_model::<ClientArr>()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.client_id, Money::from_cents(r.arr_cents)))
        .collect())
}

/// ARR of every client with events on or before `on`: one grouped SUM over the whole ledger.
pub async fn arr_on_all(db: &impl ConnectionTrait, on: NaiveDate) -> Result<HashMap<String, Money>> {
    let rows = Entity::find()
        .select_only()
        .column(Column::ClientId)
        .column_as(Expr::cust("CAST(SUM(arr_delta_cents) AS BIGINT)"), "arr_cents")
        .filter(Column::OccurredOn.lte(on))
        .group_by(Column::ClientId)
        .into_model::<ClientArr>()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.client_id, Money::from_cents(r.arr_cents)))
        .collect())
}

/// Appends an event to the ledger.
pub async fn insert(
    db: &impl ConnectionTrait,
    e: &RevenueEventForCreate,
    opportunity_id: Option<&str>,
    renewal_id: Option<&str>,
    now: DateTime<Utc>,
) -> Result<RevenueEvent> {
    let model = revenue_event::ActiveModel {
        client_id: Set(e.client_id.clone()),
        occurred_on: Set(e.occurred_on),
        kind: Set(e.kind.as_str().to_owned()),
        category: Set(e.category.as_str().to_owned()),
        arr_delta_cents: Set(e.arr_delta.cents()),
        contract_id: Set(e.contract_id.clone()),
        opportunity_id: Set(opportunity_id.map(str::to_owned)),
        renewal_id: Set(renewal_id.map(str::to_owned)),
        created_at: Set(now),
        ..Default::default()
    };
    convert::revenue_event(Entity::insert(model).exec_with_returning(db).await?)
}
