//! Negotiations (package and guardrails as JSON) and their offers.
use super::convert;
use crate::domain::negotiation::{NegotiationOffer, StoredNegotiation};
use crate::domain::{Money, NegotiationStatus};
use crate::error::Result;
use chrono::{DateTime, Utc};
use entity::{negotiation, negotiation_offer};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// Inserts an open negotiation.
pub async fn insert(db: &impl ConnectionTrait, n: &StoredNegotiation) -> Result<()> {
    let model = negotiation::ActiveModel {
        id: Set(n.id.clone()),
        client_id: Set(n.client_id.clone()),
        renewal_id: Set(n.renewal_id.clone()),
        strategy: Set(n.strategy.clone()),
        package: Set(n.package.clone()),
        guardrails: Set(n.guardrails.clone()),
        status: Set(n.status.as_str().to_owned()),
        created_at: Set(n.created_at),
        closed_at: Set(n.closed_at),
        superseded_by: Set(n.superseded_by.clone()),
    };
    negotiation::Entity::insert(model).exec_without_returning(db).await?;
    Ok(())
}

/// One negotiation.
pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<Option<StoredNegotiation>> {
    negotiation::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .map(convert::negotiation)
        .transpose()
}

/// Negotiations of these clients, newest first.
pub async fn by_client_ids(db: &impl ConnectionTrait, client_ids: &[String]) -> Result<Vec<StoredNegotiation>> {
    let models = negotiation::Entity::find()
        .filter(negotiation::Column::ClientId.is_in(client_ids.iter().cloned()))
        .order_by_desc(negotiation::Column::CreatedAt)
        .order_by_desc(negotiation::Column::Id)
        .all(db)
        .await?;
    convert::all(models, convert::negotiation)
}

/// Closes every open negotiation of a renewal; returns how many.
pub async fn close_for_renewal(db: &impl ConnectionTrait, renewal_id: &str, now: DateTime<Utc>) -> Result<u64> {
    close_open(db, renewal_id, None, now).await
}

/// Marks the open negotiations of a renewal superseded by `by` (stored `closed` with
/// `superseded_by`, see the migration); returns how many.
pub async fn supersede_for_renewal(
    db: &impl ConnectionTrait,
    renewal_id: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<u64> {
    close_open(db, renewal_id, Some(by), now).await
}

async fn close_open(
    db: &impl ConnectionTrait,
    renewal_id: &str,
    superseded_by: Option<&str>,
    now: DateTime<Utc>,
) -> Result<u64> {
    let result = negotiation::Entity::update_many()
        .col_expr(
            negotiation::Column::Status,
            Expr::value(NegotiationStatus::Closed.as_str()),
        )
        .col_expr(negotiation::Column::ClosedAt, Expr::value(now))
        .col_expr(
            negotiation::Column::SupersededBy,
            Expr::value(superseded_by.map(str::to_owned)),
        )
        .filter(negotiation::Column::RenewalId.eq(renewal_id))
        .filter(negotiation::Column::Status.eq(NegotiationStatus::Open.as_str()))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Inserts an offer and returns it with its id.
pub async fn insert_offer(
    db: &impl ConnectionTrait,
    negotiation_id: &str,
    arr: Money,
    term_months: i32,
    discount: f64,
    approved_by: Option<&str>,
    now: DateTime<Utc>,
) -> Result<NegotiationOffer> {
    let model = negotiation_offer::ActiveModel {
        negotiation_id: Set(negotiation_id.to_owned()),
        arr_cents: Set(arr.cents()),
        term_months: Set(term_months),
        discount: Set(discount),
        approved_by: Set(approved_by.map(str::to_owned)),
        created_at: Set(now),
        ..Default::default()
    };
    let saved = negotiation_offer::Entity::insert(model).exec_with_returning(db).await?;
    convert::negotiation_offer(saved)
}

/// Offers of these negotiations, oldest first.
pub async fn offers_by_negotiation_ids(db: &impl ConnectionTrait, ids: &[String]) -> Result<Vec<NegotiationOffer>> {
    let models = negotiation_offer::Entity::find()
        .filter(negotiation_offer::Column::NegotiationId.is_in(ids.iter().cloned()))
        .order_by_asc(negotiation_offer::Column::Id)
        .all(db)
        .await?;
    convert::all(models, convert::negotiation_offer)
}
