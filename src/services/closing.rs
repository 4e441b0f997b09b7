//! 119 `closeRenewal`: the renewal's outcome, the closed contract's status, the next contract with
//! its items and open renewal (unless churned), the ledger event and the negotiations' close — in
//! one transaction, so a failure anywhere leaves the book as it was.
use super::RequestContext;
use crate::db::{self, Db};
use crate::domain::ids::sequential;
use crate::domain::inputs::{ContractForCreate, ContractItemForCreate, RevenueEventForCreate};
use crate::domain::{Contract, ContractStatus, Money, Renewal, RenewalStatus, RevenueEvent};
use crate::error::{Error, Result};
use crate::events::payloads;
use crate::processes::negotiation::{close_renewal, scale_items, NextContract};
use crate::services::retry;
use sea_orm::ConnectionTrait;

/// What closing a renewal wrote.
#[derive(Clone, Debug, PartialEq)]
pub struct ClosedRenewal {
    /// The renewal with its outcome.
    pub renewal: Renewal,
    /// The ledger event for finalArr − target (none when equal).
    pub revenue_event: Option<RevenueEvent>,
    /// The contract that follows (none when churned).
    pub next_contract: Option<Contract>,
    /// Its open renewal.
    pub next_renewal: Option<Renewal>,
    /// Open negotiations of the renewal that were closed.
    pub negotiations_closed: u64,
}

/// `closeRenewal(renewalId, finalArr, termMonths)`.
pub async fn close(
    db: &Db,
    rc: &RequestContext,
    renewal_id: &str,
    final_arr: Money,
    term_months: i64,
) -> Result<ClosedRenewal> {
    retry::transient(|| close_once(db, rc, renewal_id, final_arr, term_months)).await
}

async fn close_once(
    db: &Db,
    rc: &RequestContext,
    renewal_id: &str,
    final_arr: Money,
    term_months: i64,
) -> Result<ClosedRenewal> {
    let txn = db::write::begin(db).await?;
    let renewal = db::renewals::get(&txn, renewal_id)
        .await?
        .ok_or_else(|| Error::not_found("renewal", renewal_id))?;
    let contract = db::contracts::by_ids(&txn, std::slice::from_ref(&renewal.contract_id))
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| Error::internal(anyhow::anyhow!("contract {} missing", renewal.contract_id)))?;
    let closing = close_renewal(&renewal, &contract, final_arr, term_months)?;

    if !db::renewals::close(&txn, renewal_id, closing.status, closing.outcome_arr, rc.now).await? {
        return Err(Error::Conflict(format!("renewal {renewal_id} was closed meanwhile")));
    }
    let churned = closing.status == RenewalStatus::Churned;
    let contract_status = if churned {
        ContractStatus::Churned
    } else {
        ContractStatus::Renewed
    };
    db::contracts::set_status(&txn, &contract.id, contract_status, rc.now).await?;
    let negotiations_closed = db::negotiations::close_for_renewal(&txn, renewal_id, rc.now).await?;
    let next_contract = match &closing.next_contract {
        Some(next) => Some(insert_next_contract(&txn, rc, &contract, next).await?),
        None => {
            db::clients::mark_churned(&txn, &renewal.client_id, rc.now).await?;
            None
        }
    };
    let revenue_event = match &closing.ledger {
        Some(ledger) => {
            let event = RevenueEventForCreate {
                client_id: renewal.client_id.clone(),
                occurred_on: ledger.occurred_on,
                kind: ledger.kind,
                category: ledger.category,
                arr_delta: ledger.delta,
                contract_id: Some(next_contract.as_ref().unwrap_or(&contract).id.clone()),
            };
            Some(db::revenue::insert(&txn, &event, None, Some(renewal_id), rc.now).await?)
        }
        None => None,
    };
    // The next open renewal is the last row written.
    let next_renewal = match (&next_contract, &closing.next_contract) {
        (Some(contract), Some(next)) => Some(insert_next_renewal(&txn, rc, contract, next).await?),
        _ => None,
    };
    let mut targets = vec![renewal.client_id.as_str(), renewal_id, contract.id.as_str()];
    targets.extend(next_contract.as_ref().map(|c| c.id.as_str()));
    db::audit::record(&txn, &rc.actor, "closeRenewal", &targets, &rc.request_id, rc.now).await?;
    let closed = Renewal {
        status: closing.status,
        outcome_arr: Some(closing.outcome_arr),
        closed_at: Some(rc.now),
        ..renewal
    };
    let next_id = next_contract.as_ref().map(|c| c.id.as_str());
    let event = payloads::renewal_closed(&closed, final_arr, term_months, next_id, rc.now);
    db::outbox::append(&txn, event).await?;
    txn.commit().await?;
    Ok(ClosedRenewal {
        renewal: closed,
        revenue_event,
        next_contract,
        next_renewal,
        negotiations_closed,
    })
}

/// The next contract: the closed one's terms for the new dates, its items scaled to the final ARR.
async fn insert_next_contract(
    txn: &impl ConnectionTrait,
    rc: &RequestContext,
    closed: &Contract,
    next: &NextContract,
) -> Result<Contract> {
    let items = db::contracts::items_by_contract_ids(txn, std::slice::from_ref(&closed.id)).await?;
    if items.is_empty() {
        return Err(Error::internal(anyhow::anyhow!("contract {} has no items", closed.id)));
    }
    let id = sequential("CNT", db::sequences::next(txn, "contract").await?);
    let input = ContractForCreate {
        client_id: closed.client_id.clone(),
        contract_type: next.contract_type,
        start_date: next.start_date,
        end_date: next.end_date,
        renewal_date: Some(next.renewal_date),
        auto_renew: closed.auto_renew,
        notice_period_days: closed.notice_period_days,
        payment_status: closed.payment_status,
        seats: closed.seats,
        discount: closed.discount,
        items: scale_items(&items, next.arr)
            .into_iter()
            .map(|i| ContractItemForCreate {
                product_id: i.product_id,
                quantity: i.quantity,
                arr: i.arr,
            })
            .collect(),
    };
    db::contracts::insert(txn, &id, &input, rc.now).await?;
    Ok(Contract {
        id,
        client_id: input.client_id,
        contract_type: input.contract_type,
        start_date: input.start_date,
        end_date: input.end_date,
        renewal_date: next.renewal_date,
        auto_renew: input.auto_renew,
        notice_period_days: input.notice_period_days,
        payment_status: input.payment_status,
        seats: input.seats,
        discount: input.discount,
        status: ContractStatus::Active,
    })
}

/// The open renewal of the next contract, targeting the final ARR.
async fn insert_next_renewal(
    txn: &impl ConnectionTrait,
    rc: &RequestContext,
    contract: &Contract,
    next: &NextContract,
) -> Result<Renewal> {
    let id = sequential("RNW", db::sequences::next(txn, "renewal").await?);
    db::renewals::insert_open(
        txn,
        &id,
        &contract.id,
        &contract.client_id,
        next.renewal_date,
        next.arr,
        rc.now,
    )
    .await?;
    Ok(Renewal {
        id,
        contract_id: contract.id.clone(),
        client_id: contract.client_id.clone(),
        renewal_date: next.renewal_date,
        target_arr: next.arr,
        status: RenewalStatus::Open,
        outcome_arr: None,
        closed_at: None,
    })
}
