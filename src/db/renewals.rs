//! Renewals of contracts.
use super::convert;
use crate::domain::{Money, Renewal, RenewalStatus};
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};
use entity::renewal::{self, Column, Entity};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, StreamTrait};

/// Renewals of these clients, latest date first.
pub async fn by_client_ids(db: &impl ConnectionTrait, client_ids: &[String]) -> Result<Vec<Renewal>> {
    let models = Entity::find()
        .filter(Column::ClientId.is_in(client_ids.iter().cloned()))
        .order_by_desc(Column::RenewalDate)
        .order_by_asc(Column::Id)
        .all(db)
        .await?;
    convert::all(models, convert::renewal)
}

/// Renewals of these contracts, latest date first.
pub async fn by_contract_ids(db: &impl ConnectionTrait, contract_ids: &[String]) -> Result<Vec<Renewal>> {
    let models = Entity::find()
        .filter(Column::ContractId.is_in(contract_ids.iter().cloned()))
        .order_by_desc(Column::RenewalDate)
        .order_by_asc(Column::Id)
        .all(db)
        .await?;
    convert::all(models, convert::renewal)
}

/// The renewals with these ids.
pub async fn by_ids(db: &impl ConnectionTrait, ids: &[String]) -> Result<Vec<Renewal>> {
    let models = Entity::find()
        .filter(Column::Id.is_in(ids.iter().cloned()))
        .all(db)
        .await?;
    convert::all(models, convert::renewal)
}

/// One renewal.
pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<Option<Renewal>> {
    Entity::find_by_id(id.to_owned())
        .one(db)
        .await?
        .map(convert::renewal)
        .transpose()
}

/// Every renewal, open and closed, by date then id (the forecast trains on the closed ones).
pub async fn all(db: &(impl ConnectionTrait + StreamTrait)) -> Result<Vec<Renewal>> {
    let select = Entity::find()
        .order_by_asc(Column::RenewalDate)
        .order_by_asc(Column::Id);
    super::read_select(db, select, convert::renewal).await
}

/// Open renewals dated in [from, to], by date then id.
pub async fn open_between(db: &impl ConnectionTrait, from: NaiveDate, to: NaiveDate) -> Result<Vec<Renewal>> {
    let models = Entity::find()
        .filter(Column::Status.eq(RenewalStatus::Open.as_str()))
        .filter(Column::RenewalDate.gte(from))
        .filter(Column::RenewalDate.lte(to))
        .order_by_asc(Column::RenewalDate)
        .order_by_asc(Column::Id)
        .all(db)
        .await?;
    convert::all(models, convert::renewal)
}

/// The client's earliest open renewal, if any.
pub async fn open_for_client(db: &impl ConnectionTrait, client_id: &str) -> Result<Option<Renewal>> {
    Entity::find()
        .filter(Column::ClientId.eq(client_id))
        .filter(Column::Status.eq(RenewalStatus::Open.as_str()))
        .order_by_asc(Column::RenewalDate)
        .order_by_asc(Column::Id)
        .one(db)
        .await?
        .map(convert::renewal)
        .transpose()
}

/// Records the outcome of an open renewal. Returns false when it was no longer open (closed by a
/// concurrent request): the caller answers `CONFLICT`.
pub async fn close(
    db: &impl ConnectionTrait,
    id: &str,
    status: RenewalStatus,
    outcome_arr: Money,
    now: DateTime<Utc>,
) -> Result<bool> {
    let result = Entity::update_many()
        .col_expr(Column::Status, Expr::value(status.as_str()))
        .col_expr(Column::OutcomeArrCents, Expr::value(outcome_arr.cents()))
        .col_expr(Column::ClosedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(RenewalStatus::Open.as_str()))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Inserts the open renewal of a contract.
pub async fn insert_open(
    db: &impl ConnectionTrait,
    id: &str,
    contract_id: &str,
    client_id: &str,
    renewal_date: NaiveDate,
    target_arr: Money,
    now: DateTime<Utc>,
) -> Result<()> {
    let model = renewal::ActiveModel {
        id: Set(id.to_owned()),
        contract_id: Set(contract_id.to_owned()),
        client_id: Set(client_id.to_owned()),
        renewal_date: Set(renewal_date),
        target_arr_cents: Set(target_arr.cents()),
        status: Set("open".to_owned()),
        outcome_arr_cents: Set(None),
        closed_at: Set(None),
        created_at: Set(now),
    };
    Entity::insert(model).exec_without_returning(db).await?;
    Ok(())
}

/// Raises the target ARR of a contract's open renewal by `delta` (ARR added mid-term is up for
/// renewal too).
pub async fn raise_open_target(db: &impl ConnectionTrait, contract_id: &str, delta: Money) -> Result<()> {
    Entity::update_many()
        .col_expr(
            Column::TargetArrCents,
            Expr::col(Column::TargetArrCents).add(delta.cents()),
        )
        .filter(Column::ContractId.eq(contract_id))
        .filter(Column::Status.eq("open"))
        .exec(db)
        .await?;
    Ok(())
}

/// Open renewals dated before `today` without an overdue `renewal.at_risk` event yet (at most
/// `limit`, oldest first).
pub async fn overdue_without_event(db: &impl ConnectionTrait, today: NaiveDate, limit: u64) -> Result<Vec<Renewal>> {
    use sea_orm::QuerySelect;
    let unannounced = super::portable::expr(
        db.get_database_backend(),
        "NOT EXISTS (SELECT 1 FROM event_outbox o WHERE o.dedupe_key = 'renewal.at_risk:overdue:' || renewal.id)",
        Vec::new(),
    );
    let models = Entity::find()
        .filter(Column::Status.eq(RenewalStatus::Open.as_str()))
        .filter(Column::RenewalDate.lt(today))
        .filter(unannounced)
        .order_by_asc(Column::RenewalDate)
        .order_by_asc(Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    convert::all(models, convert::renewal)
}
