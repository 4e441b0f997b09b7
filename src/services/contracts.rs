//! Creating contracts: the contract, its items, its open renewal and the ledger event that keeps
//! ledger ARR equal to the active contract's ARR — in one transaction.
use super::RequestContext;
use crate::db::{self, Db};
use crate::domain::ids::sequential;
use crate::domain::inputs::{ContractForCreate, RevenueEventForCreate};
use crate::domain::{Contract, ContractStatus, Money, RevenueCategory, RevenueKind};
use crate::error::{Error, Result};
use crate::services::retry;
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// A date after every ledger event: ARR "now and forever" is the whole ledger.
pub(crate) const END_OF_TIME: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// Which ledger event moves a client from `ledger_arr` to `contract_arr`; `None` when equal.
pub fn ledger_move(ledger_arr: Money, contract_arr: Money, has_history: bool) -> Option<(RevenueKind, Money)> {
    let delta = contract_arr - ledger_arr;
    let kind = match (ledger_arr.cents(), delta.cents()) {
        (_, 0) => return None,
        (0, _) if has_history => RevenueKind::Reactivation,
        (0, _) => RevenueKind::New,
        (_, d) if d > 0 => RevenueKind::Expansion,
        _ if contract_arr.cents() == 0 => RevenueKind::Churn,
        _ => RevenueKind::Contraction,
    };
    Some((kind, delta))
}

/// Creates a client's active contract. Refused when the client already has one (`CONFLICT`), or a
/// client or product is unknown (`NOT_FOUND`).
pub async fn create(db: &Db, rc: &RequestContext, input: ContractForCreate) -> Result<Contract> {
    retry::transient(|| create_once(db, rc, input.clone())).await
}

async fn create_once(db: &Db, rc: &RequestContext, input: ContractForCreate) -> Result<Contract> {
    let input = input.validate()?;
    let txn = db::write::begin(db).await?;
    if db::clients::get(&txn, &input.client_id).await?.is_none() {
        return Err(Error::not_found("client", &input.client_id));
    }
    let wanted: BTreeSet<String> = input.items.iter().map(|i| i.product_id.clone()).collect();
    let wanted: Vec<String> = wanted.into_iter().collect();
    let found = db::products::by_ids(&txn, &wanted).await?;
    if let Some(missing) = wanted.iter().find(|id| !found.iter().any(|p| &p.id == *id)) {
        return Err(Error::not_found("product", missing));
    }
    if let Some(active) = db::contracts::active_for_client(&txn, &input.client_id).await? {
        return Err(Error::Conflict(format!(
            "client {} already has active contract {}",
            input.client_id, active.id
        )));
    }
    let id = sequential("CNT", db::sequences::next(&txn, "contract").await?);
    db::contracts::insert(&txn, &id, &input, rc.now).await?;
    let renewal_id = sequential("RNW", db::sequences::next(&txn, "renewal").await?);
    let renewal_date = input.renewal_date.unwrap_or(input.end_date);
    db::renewals::insert_open(
        &txn,
        &renewal_id,
        &id,
        &input.client_id,
        renewal_date,
        input.arr(),
        rc.now,
    )
    .await?;

    let ids = [input.client_id.clone()];
    let ledger_arr = db::revenue::arr_on(&txn, &ids, END_OF_TIME)
        .await?
        .remove(&input.client_id);
    let has_history = ledger_arr.is_some();
    if let Some((kind, delta)) = ledger_move(ledger_arr.unwrap_or_default(), input.arr(), has_history) {
        let event = RevenueEventForCreate {
            client_id: input.client_id.clone(),
            occurred_on: input.start_date,
            kind,
            category: RevenueCategory::Other,
            arr_delta: delta,
            contract_id: Some(id.clone()),
        };
        db::revenue::insert(&txn, &event, None, None, rc.now).await?;
    }
    db::audit::record(
        &txn,
        &rc.actor,
        "createContract",
        &[&input.client_id, &id],
        &rc.request_id,
        rc.now,
    )
    .await?;
    txn.commit().await?;
    Ok(Contract {
        id,
        client_id: input.client_id,
        contract_type: input.contract_type,
        start_date: input.start_date,
        end_date: input.end_date,
        renewal_date,
        auto_renew: input.auto_renew,
        notice_period_days: input.notice_period_days,
        payment_status: input.payment_status,
        seats: input.seats,
        discount: input.discount,
        status: ContractStatus::Active,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_contract_is_new_revenue() {
        assert_eq!(
            ledger_move(Money::ZERO, Money::from_major(100), false),
            Some((RevenueKind::New, Money::from_major(100)))
        );
    }

    #[test]
    fn returning_client_is_a_reactivation() {
        assert_eq!(
            ledger_move(Money::ZERO, Money::from_major(100), true),
            Some((RevenueKind::Reactivation, Money::from_major(100)))
        );
    }

    #[test]
    fn changed_arr_is_expansion_or_contraction_by_the_difference() {
        assert_eq!(
            ledger_move(Money::from_major(100), Money::from_major(130), true),
            Some((RevenueKind::Expansion, Money::from_major(30)))
        );
        assert_eq!(
            ledger_move(Money::from_major(100), Money::from_major(70), true),
            Some((RevenueKind::Contraction, Money::from_major(-30)))
        );
        assert_eq!(ledger_move(Money::from_major(100), Money::from_major(100), true), None);
    }
}
