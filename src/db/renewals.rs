//! Renewals of contracts.
use super::convert;
use crate::domain::{Money, Renewal};
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};
use entity::renewal::{self, Column, Entity};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

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
