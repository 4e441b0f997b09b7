//! Recording usage, health and imported ledger history.
use super::contracts::END_OF_TIME;
use super::RequestContext;
use crate::db::{self, Db};
use crate::domain::health::HealthWeights;
use crate::domain::inputs::{HealthForCreate, RevenueEventForCreate, UsageForCreate};
use crate::domain::{HealthSnapshot, RevenueEvent, UsageSnapshot};
use crate::error::{Error, Result};
use crate::services::retry;
use sea_orm::ConnectionTrait;

async fn require_client(db: &impl ConnectionTrait, id: &str) -> Result<()> {
    match db::clients::get(db, id).await? {
        Some(_) => Ok(()),
        None => Err(Error::not_found("client", id)),
    }
}

/// Records a month of usage; the same month twice is a `CONFLICT`.
pub async fn record_usage(db: &Db, rc: &RequestContext, input: UsageForCreate) -> Result<UsageSnapshot> {
    retry::transient(|| record_usage_once(db, rc, input.clone())).await
}

async fn record_usage_once(db: &Db, rc: &RequestContext, input: UsageForCreate) -> Result<UsageSnapshot> {
    let input = input.validate()?;
    let txn = db::write::begin(db).await?;
    require_client(&txn, &input.client_id).await?;
    let snapshot = db::snapshots::insert_usage(&txn, &input).await?;
    db::audit::record(
        &txn,
        &rc.actor,
        "recordUsage",
        &[&input.client_id],
        &rc.request_id,
        rc.now,
    )
    .await?;
    txn.commit().await?;
    Ok(snapshot)
}

/// Records a health score from its components (overall and trend computed); one per client and date.
pub async fn record_health(
    db: &Db,
    rc: &RequestContext,
    weights: &HealthWeights,
    input: HealthForCreate,
) -> Result<HealthSnapshot> {
    retry::transient(|| record_health_once(db, rc, weights, input.clone())).await
}

async fn record_health_once(
    db: &Db,
    rc: &RequestContext,
    weights: &HealthWeights,
    input: HealthForCreate,
) -> Result<HealthSnapshot> {
    let input = input.validate()?;
    let txn = db::write::begin(db).await?;
    require_client(&txn, &input.client_id).await?;
    let snapshot = db::snapshots::insert_health(&txn, &input, weights).await?;
    db::audit::record(
        &txn,
        &rc.actor,
        "recordHealthScore",
        &[&input.client_id],
        &rc.request_id,
        rc.now,
    )
    .await?;
    txn.commit().await?;
    Ok(snapshot)
}

/// Imports a ledger event. Refused when it would take the client's ARR below zero on its date or
/// in the end, or names another client's contract.
pub async fn record_revenue_event(db: &Db, rc: &RequestContext, input: RevenueEventForCreate) -> Result<RevenueEvent> {
    retry::transient(|| record_revenue_event_once(db, rc, input.clone())).await
}

async fn record_revenue_event_once(db: &Db, rc: &RequestContext, input: RevenueEventForCreate) -> Result<RevenueEvent> {
    let input = input.validate()?;
    let txn = db::write::begin(db).await?;
    require_client(&txn, &input.client_id).await?;
    if let Some(contract_id) = &input.contract_id {
        let contract = db::contracts::by_ids(&txn, std::slice::from_ref(contract_id)).await?;
        if !contract.iter().any(|c| c.client_id == input.client_id) {
            return Err(Error::not_found("contract", contract_id));
        }
    }
    let ids = [input.client_id.clone()];
    for on in [input.occurred_on, END_OF_TIME] {
        let arr = db::revenue::arr_on(&txn, &ids, on)
            .await?
            .remove(&input.client_id)
            .unwrap_or_default();
        if (arr + input.arr_delta).is_negative() {
            return Err(Error::bad_input(
                "arrDelta",
                format!(
                    "would take ARR of {} from {} below zero on {on}",
                    input.client_id,
                    arr.text()
                ),
                format!(">= -{arr}"),
            ));
        }
    }
    let event = db::revenue::insert(&txn, &input, None, None, rc.now).await?;
    db::audit::record(
        &txn,
        &rc.actor,
        "recordRevenueEvent",
        &[&input.client_id],
        &rc.request_id,
        rc.now,
    )
    .await?;
    txn.commit().await?;
    Ok(event)
}
