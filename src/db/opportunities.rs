//! Expansion opportunities: lists, the detection upsert, versioned updates.
use super::convert;
use crate::domain::queries::{OpportunityFilter, Page, PageRequest};
use crate::domain::Opportunity;
use crate::error::Result;
use chrono::{DateTime, Utc};
use entity::opportunity::{self, Column, Entity};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, StreamTrait,
};

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
pub async fn open(db: &(impl ConnectionTrait + StreamTrait)) -> Result<Vec<Opportunity>> {
    let select = Entity::find()
        .filter(Column::Stage.is_not_in(["won", "lost"]))
        .order_by_asc(Column::ClientId)
        .order_by_asc(Column::Id);
    super::read_select(db, select, convert::opportunity).await
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
    let ordered = query.order_by_desc(Column::ValueCents).order_by_asc(Column::Id);
    super::paging::fetch(db, ordered, page)
        .await?
        .try_map(convert::opportunity)
}

/// One opportunity.
pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<Option<Opportunity>> {
    Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .map(convert::opportunity)
        .transpose()
}

/// What 116 merges with a detection run: the open opportunities, and every one with a detection
/// key (a won or lost key suppresses its re-detection) — of one client, or of all. Closed manual
/// opportunities play no part and are not read.
pub async fn for_pipeline(
    db: &(impl ConnectionTrait + StreamTrait),
    client_id: Option<&str>,
) -> Result<Vec<Opportunity>> {
    let mut query = Entity::find().filter(
        Condition::any()
            .add(Column::Stage.is_not_in(["won", "lost"]))
            .add(Column::DetectionKey.is_not_null()),
    );
    if let Some(id) = client_id {
        query = query.filter(Column::ClientId.eq(id));
    }
    let select = query.order_by_asc(Column::Id);
    super::read_select(db, select, convert::opportunity).await
}

/// Every opportunity with a detection key, of one client or of all.
pub async fn detected(db: &impl ConnectionTrait, client_id: Option<&str>) -> Result<Vec<Opportunity>> {
    let mut query = Entity::find().filter(Column::DetectionKey.is_not_null());
    if let Some(id) = client_id {
        query = query.filter(Column::ClientId.eq(id));
    }
    let models = query.order_by_asc(Column::Id).all(db).await?;
    convert::all(models, convert::opportunity)
}

/// All columns of `o` as set values.
fn active(o: &Opportunity, now: DateTime<Utc>) -> opportunity::ActiveModel {
    opportunity::ActiveModel {
        id: Set(o.id.clone()),
        client_id: Set(o.client_id.clone()),
        opportunity_type: Set(o.opportunity_type.as_str().to_owned()),
        product_id: Set(o.product_id.clone()),
        name: Set(o.name.clone()),
        value_cents: Set(o.value.cents()),
        probability: Set(o.probability),
        stage: Set(o.stage.as_str().to_owned()),
        source: Set(o.source.as_str().to_owned()),
        detection_key: Set(o.detection_key.clone()),
        reasons: Set(serde_json::json!(o.reasons)),
        expected_close_date: Set(o.expected_close_date),
        closed_on: Set(o.closed_on),
        owner: Set(o.owner.clone()),
        version: Set(o.version),
        created_at: Set(o.created_at),
        updated_at: Set(now),
    }
}

/// Inserts an opportunity.
pub async fn insert(db: &impl ConnectionTrait, o: &Opportunity, now: DateTime<Utc>) -> Result<()> {
    Entity::insert(active(o, now)).exec_without_returning(db).await?;
    Ok(())
}

/// Rows per upsert statement: 17 columns each stays far below SQLite's and PostgreSQL's limits
/// on bound values.
const UPSERT_CHUNK: usize = 500;

/// Upserts detected opportunities on their detection key: a new key is inserted as given; an
/// existing key gets the new name, value, probability and reasons (version bumped) only when it
/// is still open and something changed. Stage, owner, dates and source are never touched, so a
/// stage never moves backwards and won or lost opportunities stay as they closed.
pub async fn upsert_detected(db: &impl ConnectionTrait, rows: &[Opportunity], now: DateTime<Utc>) -> Result<()> {
    for chunk in rows.chunks(UPSERT_CHUNK) {
        let on_conflict = OnConflict::column(Column::DetectionKey)
            .update_columns([
                Column::Name,
                Column::ValueCents,
                Column::Probability,
                Column::Reasons,
                Column::UpdatedAt,
            ])
            .value(Column::Version, Expr::cust("opportunity.version + 1"))
            .action_and_where(Expr::cust(
                "opportunity.stage NOT IN ('won', 'lost') AND (opportunity.name <> excluded.name \
                 OR opportunity.value_cents <> excluded.value_cents OR opportunity.probability <> excluded.probability \
                 OR CAST(opportunity.reasons AS TEXT) <> CAST(excluded.reasons AS TEXT))",
            ))
            .to_owned();
        Entity::insert_many(chunk.iter().map(|o| active(o, now)))
            .on_conflict(on_conflict)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Writes `updated` only if the stored version is still `expected_version` (the new version is
/// `updated.version`). Returns false when the row changed meanwhile (the caller answers `CONFLICT`).
pub async fn update_if_version(
    db: &impl ConnectionTrait,
    updated: &Opportunity,
    expected_version: i32,
    now: DateTime<Utc>,
) -> Result<bool> {
    let mut model = active(updated, now);
    model.id = NotSet;
    model.client_id = NotSet;
    model.created_at = NotSet;
    let result = Entity::update_many()
        .set(model)
        .filter(Column::Id.eq(updated.id.as_str()))
        .filter(Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}
