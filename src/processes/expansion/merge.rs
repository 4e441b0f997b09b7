//! Folding persisted opportunities into a detection run (DESIGN §5.116): a detected item whose
//! detection_key is stored as an open opportunity is shown once, with the stored stage; stored open
//! opportunities that this run does not detect (manual ones, or detections whose trigger has
//! passed) are shown as stored; a detection whose key belongs to a won or lost opportunity is left
//! out, since persisting it would never move that stage back.
//!
//! Each [`PipelineKey`] (client, type, product; for USER_EXPANSION and USAGE_EXPANSION client and
//! type) is in the pipeline once: a stored open opportunity of the key supersedes a detection of it
//! whether or not it carries that detection_key (the stored one is shown, marked detected), and of
//! several stored open ones of a key the lowest id is shown.
use super::detect::approach;
use super::PipelineItem;
use crate::domain::{Opportunity, OpportunityType};
use crate::processes::common::{round4, ProbabilityBand};
use crate::processes::facts::ClientFacts;
use chrono::{Days, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};

/// The merged items (unordered) and how many detections closed opportunities suppressed.
pub(crate) struct Merged {
    pub items: Vec<PipelineItem>,
    pub suppressed_closed: usize,
}

/// What the pipeline counts once: client, type and product — for USER_EXPANSION and
/// USAGE_EXPANSION only client and type (more seats or more usage is one thing to sell, whatever
/// product row a CSM put on it).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PipelineKey {
    pub client_id: String,
    pub opportunity_type: OpportunityType,
    pub product_id: Option<String>,
}

impl PipelineKey {
    /// The key of an opportunity of `client_id`, `kind` and `product_id`.
    pub fn of(client_id: &str, kind: OpportunityType, product_id: Option<&str>) -> PipelineKey {
        let product_id = match kind {
            OpportunityType::UserExpansion | OpportunityType::UsageExpansion => None,
            _ => product_id.map(str::to_owned),
        };
        PipelineKey {
            client_id: client_id.to_owned(),
            opportunity_type: kind,
            product_id,
        }
    }

    /// The key of a stored opportunity.
    pub fn of_stored(o: &Opportunity) -> PipelineKey {
        PipelineKey::of(&o.client_id, o.opportunity_type, o.product_id.as_deref())
    }

    /// The key of a pipeline item.
    pub fn of_item(i: &PipelineItem) -> PipelineKey {
        PipelineKey::of(&i.client_id, i.opportunity_type, i.product_id.as_deref())
    }
}

/// Merges `detected` with the `persisted` opportunities of the clients in `scope` and of the
/// requested `types`. Persisted opportunities of other clients or types are ignored.
pub(crate) fn merge(
    detected: Vec<PipelineItem>,
    persisted: &[Opportunity],
    scope: &[&ClientFacts],
    types: &BTreeSet<OpportunityType>,
    as_of: NaiveDate,
) -> Merged {
    let in_scope: BTreeSet<&str> = scope.iter().map(|f| f.client.id.as_str()).collect();
    let mut relevant: Vec<&Opportunity> = persisted
        .iter()
        .filter(|o| in_scope.contains(o.client_id.as_str()) && types.contains(&o.opportunity_type))
        .collect();
    // Keys are unique in the database; ordering by id keeps the answer deterministic even if not.
    relevant.sort_by(|a, b| a.id.cmp(&b.id));
    let mut by_key: BTreeMap<&str, &Opportunity> = BTreeMap::new();
    for o in &relevant {
        if let Some(key) = o.detection_key.as_deref() {
            by_key.entry(key).or_insert(o);
        }
    }
    // The stored open opportunity that stands for each key: the lowest id.
    let mut open_by_pipeline: BTreeMap<PipelineKey, &Opportunity> = BTreeMap::new();
    for o in relevant.iter().copied().filter(|o| !o.stage.is_closed()) {
        open_by_pipeline.entry(PipelineKey::of_stored(o)).or_insert(o);
    }
    let mut taken: BTreeSet<PipelineKey> = BTreeSet::new();
    let mut shown: BTreeSet<&str> = BTreeSet::new();
    let mut superseding: BTreeSet<&str> = BTreeSet::new();
    let mut items = Vec::with_capacity(detected.len());
    let mut suppressed_closed = 0;
    for mut item in detected {
        let stored = item.detection_key.as_deref().and_then(|k| by_key.get(k)).copied();
        let pipeline_key = PipelineKey::of_item(&item);
        match stored {
            Some(o) if o.stage.is_closed() => suppressed_closed += 1,
            Some(o) => {
                taken.insert(pipeline_key);
                taken.insert(PipelineKey::of_stored(o));
                shown.insert(o.id.as_str());
                item.stage = o.stage;
                item.opportunity_id = Some(o.id.clone());
                item.expected_close_date = o.expected_close_date.or(item.expected_close_date);
                item.owner = o.owner.clone();
                items.push(item);
            }
            None => match open_by_pipeline.get(&pipeline_key) {
                Some(o) => {
                    superseding.insert(o.id.as_str());
                }
                None => {
                    taken.insert(pipeline_key);
                    items.push(item);
                }
            },
        }
    }
    for o in relevant {
        if !o.stage.is_closed() && !shown.contains(o.id.as_str()) && taken.insert(PipelineKey::of_stored(o)) {
            let mut item = stored_item(o, as_of);
            item.detected = superseding.contains(o.id.as_str());
            items.push(item);
        }
    }
    Merged {
        items,
        suppressed_closed,
    }
}

/// A persisted open opportunity as stored; only the band, weighted value and advice are derived.
fn stored_item(o: &Opportunity, as_of: NaiveDate) -> PipelineItem {
    let probability = round4(o.probability);
    let band = ProbabilityBand::of(probability);
    let (timeline, days) = band.timeline();
    PipelineItem {
        client_id: o.client_id.clone(),
        opportunity_type: o.opportunity_type,
        product_id: o.product_id.clone(),
        name: o.name.clone(),
        value: o.value,
        probability,
        band,
        weighted_value: o.value.times(probability),
        stage: o.stage,
        detection_key: o.detection_key.clone(),
        opportunity_id: Some(o.id.clone()),
        detected: false,
        reasons: o.reasons.clone(),
        recommended_approach: approach(band),
        timeline: timeline.to_owned(),
        expected_close_date: o.expected_close_date.or(Some(as_of + Days::new(days as u64))),
        owner: o.owner.clone(),
    }
}
