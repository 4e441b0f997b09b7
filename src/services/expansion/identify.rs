//! `identifyExpansionOpportunities`: persists what 116 detects, idempotently. Each detection is
//! stored under its detection key; a key seen before is refreshed (name, value, probability,
//! reasons) while it is open and left alone once won or lost, and its stage never moves. Running it
//! twice on the same data creates nothing the second time.
use super::{pipeline, RequestContext};
use crate::db::{self, Db};
use crate::domain::ids::sequential;
use crate::domain::{Opportunity, OpportunitySource, OpportunityStage};
use crate::error::Result;
use crate::processes::expansion::merge::PipelineKey;
use crate::processes::expansion::{ExpansionParams, PipelineItem};
use crate::services::retry;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::{HashMap, HashSet};

/// What one run did, and the stored opportunities behind its detections.
#[derive(Clone, Debug, PartialEq)]
pub struct Identified {
    /// Detections stored for the first time.
    pub created: usize,
    /// Open stored detections whose name, value, probability or reasons changed.
    pub updated: usize,
    /// Open stored detections found exactly as stored.
    pub unchanged: usize,
    /// The stored opportunity of every detection, in pipeline order (largest weighted client first).
    pub opportunities: Vec<Opportunity>,
}

/// Detects with 116 on `as_of` and upserts every detection in one transaction.
pub async fn identify(
    db: &Db,
    rc: &RequestContext,
    client_id: Option<&str>,
    params: &ExpansionParams,
    as_of: NaiveDate,
) -> Result<Identified> {
    retry::transient(|| identify_once(db, rc, client_id, params, as_of)).await
}

async fn identify_once(
    db: &Db,
    rc: &RequestContext,
    client_id: Option<&str>,
    params: &ExpansionParams,
    as_of: NaiveDate,
) -> Result<Identified> {
    let (book, result) = pipeline(db, client_id, params, as_of).await?;
    let owners: HashMap<&str, Option<&String>> = book
        .clients
        .iter()
        .map(|f| (f.client.id.as_str(), f.client.csm_owner.as_ref()))
        .collect();
    let detected: Vec<&PipelineItem> = result
        .clients
        .iter()
        .flat_map(|c| &c.opportunities)
        .filter(|i| i.detected && i.detection_key.is_some())
        .collect();

    let txn = db::write::begin(db).await?;
    // Read again inside the transaction: what is stored now decides insert versus update.
    let stored = db::opportunities::detected(&txn, client_id).await?;
    let by_key: HashMap<&str, &Opportunity> = stored
        .iter()
        .filter_map(|o| o.detection_key.as_deref().map(|k| (k, o)))
        .collect();
    // Never a second open opportunity of one (client, type, product): a key held by an open stored
    // opportunity (manual, or detected under another detection key) is not created again.
    let mut held: HashSet<PipelineKey> = db::opportunities::for_pipeline(&txn, client_id)
        .await?
        .iter()
        .filter(|o| !o.stage.is_closed())
        .map(PipelineKey::of_stored)
        .collect();
    let detected: Vec<&PipelineItem> = detected
        .into_iter()
        .filter(|i| by_key.contains_key(key(i)) || held.insert(PipelineKey::of_item(i)))
        .collect();
    let new = detected.iter().filter(|i| !by_key.contains_key(key(i))).count();
    let mut next_id = match new {
        0 => 0,
        n => db::sequences::reserve(&txn, "opportunity", n as i64).await?,
    };
    let (mut rows, mut updated, mut unchanged) = (Vec::new(), 0, 0);
    for item in &detected {
        match by_key.get(key(item)) {
            None => {
                let owner = owners.get(item.client_id.as_str()).copied().flatten().cloned();
                rows.push(new_opportunity(item, sequential("EXP", next_id), owner, rc.now));
                next_id += 1;
            }
            // Won or lost keys are suppressed by 116 already; never touch them.
            Some(o) if o.stage.is_closed() => {}
            Some(o) => {
                let refreshed = refreshed(o, item);
                if refreshed == **o {
                    unchanged += 1;
                } else {
                    updated += 1;
                    rows.push(refreshed);
                }
            }
        }
    }
    db::opportunities::upsert_detected(&txn, &rows, rc.now).await?;
    let after = db::opportunities::detected(&txn, client_id).await?;
    let mut after: HashMap<&str, &Opportunity> = after
        .iter()
        .filter_map(|o| o.detection_key.as_deref().map(|k| (k, o)))
        .collect();
    let opportunities = detected.iter().filter_map(|i| after.remove(key(i)).cloned()).collect();
    db::audit::record(
        &txn,
        &rc.actor,
        "identifyExpansionOpportunities",
        &[client_id.unwrap_or("portfolio")],
        &rc.request_id,
        rc.now,
    )
    .await?;
    txn.commit().await?;
    Ok(Identified {
        created: new,
        updated,
        unchanged,
        opportunities,
    })
}

fn key(item: &PipelineItem) -> &str {
    item.detection_key.as_deref().unwrap_or_default()
}

/// A first detection as stored: identified, detected, version 1, owned by the client's CSM.
fn new_opportunity(item: &PipelineItem, id: String, owner: Option<String>, now: DateTime<Utc>) -> Opportunity {
    Opportunity {
        id,
        client_id: item.client_id.clone(),
        opportunity_type: item.opportunity_type,
        product_id: item.product_id.clone(),
        name: item.name.clone(),
        value: item.value,
        probability: item.probability,
        stage: OpportunityStage::Identified,
        source: OpportunitySource::Detected,
        detection_key: item.detection_key.clone(),
        reasons: item.reasons.clone(),
        expected_close_date: item.expected_close_date,
        closed_on: None,
        owner,
        version: 1,
        created_at: now,
    }
}

/// A stored open detection with this run's name, value, probability and reasons; the version is
/// bumped only when one of them changed (as the upsert does).
fn refreshed(stored: &Opportunity, item: &PipelineItem) -> Opportunity {
    let next = Opportunity {
        name: item.name.clone(),
        value: item.value,
        probability: item.probability,
        reasons: item.reasons.clone(),
        ..stored.clone()
    };
    if next == *stored {
        next
    } else {
        Opportunity {
            version: stored.version + 1,
            ..next
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Money, OpportunityType};
    use crate::processes::common::ProbabilityBand;

    fn item() -> PipelineItem {
        PipelineItem {
            client_id: "acme".into(),
            opportunity_type: OpportunityType::Training,
            product_id: Some("training_academy".into()),
            name: "Training Academy".into(),
            value: Money::from_major(4_500),
            probability: 0.75,
            band: ProbabilityBand::High,
            weighted_value: Money::from_cents(337_500),
            stage: OpportunityStage::Identified,
            detection_key: Some("training:acme:training_academy".into()),
            opportunity_id: None,
            detected: true,
            reasons: vec!["Feature adoption 35%".into()],
            recommended_approach: "Offer it".into(),
            timeline: "within 30 days".into(),
            expected_close_date: NaiveDate::from_ymd_opt(2026, 7, 15),
            owner: None,
        }
    }

    #[test]
    fn a_first_detection_is_stored_identified_at_version_one_with_the_csm_as_owner() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).expect("test fixture");
        let o = new_opportunity(&item(), "EXP-9".into(), Some("Kim".into()), now);
        assert_eq!(
            (o.stage, o.source, o.version),
            (OpportunityStage::Identified, OpportunitySource::Detected, 1)
        );
        assert_eq!(
            (o.owner.as_deref(), o.value, o.probability),
            (Some("Kim"), Money::from_major(4_500), 0.75)
        );
    }

    #[test]
    fn a_refresh_keeps_the_stage_and_bumps_the_version_only_on_change() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).expect("test fixture");
        let mut stored = new_opportunity(&item(), "EXP-9".into(), None, now);
        stored.stage = OpportunityStage::Proposed;
        assert_eq!(refreshed(&stored, &item()), stored);
        let changed = PipelineItem {
            probability: 0.8,
            ..item()
        };
        let next = refreshed(&stored, &changed);
        assert_eq!(
            (next.stage, next.probability, next.version),
            (OpportunityStage::Proposed, 0.8, 2)
        );
    }
}
