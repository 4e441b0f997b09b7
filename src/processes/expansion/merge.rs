//! Folding persisted opportunities into a detection run (DESIGN §5.116): a detected item whose
//! detection_key is stored as an open opportunity is shown once, with the stored stage; stored open
//! opportunities that this run does not detect (manual ones, or detections whose trigger has
//! passed) are shown as stored; a detection whose key belongs to a won or lost opportunity is left
//! out, since persisting it would never move that stage back.
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
    let mut shown: BTreeSet<&str> = BTreeSet::new();
    let mut items = Vec::with_capacity(detected.len());
    let mut suppressed_closed = 0;
    for mut item in detected {
        let stored = item.detection_key.as_deref().and_then(|k| by_key.get(k)).copied();
        match stored {
            Some(o) if o.stage.is_closed() => suppressed_closed += 1,
            Some(o) => {
                shown.insert(o.id.as_str());
                item.stage = o.stage;
                item.opportunity_id = Some(o.id.clone());
                item.expected_close_date = o.expected_close_date.or(item.expected_close_date);
                item.owner = o.owner.clone();
                items.push(item);
            }
            None => items.push(item),
        }
    }
    for o in relevant {
        if !o.stage.is_closed() && !shown.contains(o.id.as_str()) {
            items.push(stored_item(o, as_of));
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
