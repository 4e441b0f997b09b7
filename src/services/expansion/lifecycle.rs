//! `createOpportunity` and `updateOpportunity`: manual opportunities, and stage moves with
//! optimistic concurrency. Moving to won books the revenue in the same transaction ([`super::won`]).
use super::{won, RequestContext};
use crate::db::{self, Db};
use crate::domain::ids::sequential;
use crate::domain::pipeline::{OpportunityForCreate, OpportunityForUpdate};
use crate::domain::{Opportunity, OpportunitySource, OpportunityStage};
use crate::error::{Error, Result};
use crate::events::payloads;
use crate::services::retry;

/// Creates a manual opportunity: `NOT_FOUND` for an unknown client or product.
pub async fn create(db: &Db, rc: &RequestContext, input: OpportunityForCreate) -> Result<Opportunity> {
    retry::transient(|| create_once(db, rc, input.clone())).await
}

async fn create_once(db: &Db, rc: &RequestContext, input: OpportunityForCreate) -> Result<Opportunity> {
    let input = input.validate()?;
    let txn = db::write::begin(db).await?;
    if db::clients::get(&txn, &input.client_id).await?.is_none() {
        return Err(Error::not_found("client", &input.client_id));
    }
    if let Some(product) = &input.product_id {
        if db::products::by_ids(&txn, std::slice::from_ref(product))
            .await?
            .is_empty()
        {
            return Err(Error::not_found("product", product));
        }
    }
    let id = sequential("EXP", db::sequences::next(&txn, "opportunity").await?);
    let opportunity = Opportunity {
        id,
        client_id: input.client_id,
        opportunity_type: input.opportunity_type,
        product_id: input.product_id,
        name: input.name,
        value: input.value,
        probability: input.probability,
        stage: input.stage,
        source: OpportunitySource::Manual,
        detection_key: None,
        reasons: input.reasons,
        expected_close_date: input.expected_close_date,
        closed_on: None,
        owner: input.owner,
        version: 1,
        created_at: rc.now,
    };
    db::opportunities::insert(&txn, &opportunity, rc.now).await?;
    db::audit::record(
        &txn,
        &rc.actor,
        "createOpportunity",
        &[&opportunity.client_id, &opportunity.id],
        &rc.request_id,
        rc.now,
    )
    .await?;
    txn.commit().await?;
    Ok(opportunity)
}

/// Applies the present fields if `expected_version` is current (else `CONFLICT`) and the stage
/// move is legal (else `BAD_USER_INPUT` on `stage`; any change to a won or lost one is a
/// `CONFLICT`). A move to won also books the expansion — see [`won::book`].
pub async fn update(db: &Db, rc: &RequestContext, id: &str, input: OpportunityForUpdate) -> Result<Opportunity> {
    retry::transient(|| update_once(db, rc, id, input.clone())).await
}

async fn update_once(db: &Db, rc: &RequestContext, id: &str, input: OpportunityForUpdate) -> Result<Opportunity> {
    let input = input.validate()?;
    let txn = db::write::begin(db).await?;
    let current = db::opportunities::get(&txn, id)
        .await?
        .ok_or_else(|| Error::not_found("opportunity", id))?;
    if current.version != input.expected_version {
        return Err(Error::Conflict(format!(
            "opportunity {id} is at version {}, not {}: reload and retry",
            current.version, input.expected_version
        )));
    }
    let updated = input.apply(&current, rc.today())?;
    // The version check is repeated in the UPDATE itself, so a writer between our read and write
    // (another replica) is caught too.
    if !db::opportunities::update_if_version(&txn, &updated, input.expected_version, rc.now).await? {
        return Err(Error::Conflict(format!(
            "opportunity {id} changed meanwhile: reload and retry"
        )));
    }
    if updated.stage != current.stage {
        db::outbox::append(&txn, payloads::stage_changed(&updated, current.stage, rc.now)).await?;
    }
    if updated.stage == OpportunityStage::Won {
        won::book(&txn, rc, &updated).await?;
        db::outbox::append(&txn, payloads::opportunity_won(&updated, rc.now)).await?;
    }
    db::audit::record(
        &txn,
        &rc.actor,
        "updateOpportunity",
        &[&updated.client_id, id],
        &rc.request_id,
        rc.now,
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}
