//! Detection of the six opportunity types of 116 for one client.
//!
//! Detection keys name the commercial thing an opportunity grows from, so the same data always
//! gives the same key, a month of fresh snapshots does not create a duplicate of an open
//! opportunity, and the key changes once the opportunity has been won:
//! - `upsell:<client>:<recommended tier product>`
//! - `cross_sell:<client>:<product>`
//! - `user_expansion:<client>:<seats licensed now>` (winning adds seats, so the next one is new)
//! - `usage_expansion:<client>:<active contract id, or "none">` (one per contract term)
//! - `professional_services:<client>:<services product>`, `training:<client>:<training product>`
use super::{ExpansionParams, PipelineItem};
use crate::domain::{Money, OpportunityStage, OpportunityType, Pricing};
use crate::processes::common::{clamp_probability, percent, round4, signed_percent, ProbabilityBand};
use crate::processes::cross_sell::{self, basket::MarketBasket};
use crate::processes::facts::{price_for, Catalog, ClientFacts};
use crate::processes::upsell;
use chrono::{Days, NaiveDate};

/// USER_EXPANSION from this seat utilization up.
pub const SEAT_UTILIZATION_TRIGGER: f64 = 0.85;
/// The least growth assumed when sizing seats.
pub const MIN_SEAT_GROWTH: f64 = 0.10;
/// PROFESSIONAL_SERVICES below this adoption, for clients with at least [`SERVICES_MIN_ARR`].
pub const SERVICES_MAX_ADOPTION: f64 = 0.40;
/// 50,000.00 of ARR.
pub const SERVICES_MIN_ARR: Money = Money::from_major(50_000);
/// TRAINING below this adoption, when active users grew at least [`TRAINING_MIN_GROWTH`].
pub const TRAINING_MAX_ADOPTION: f64 = 0.60;
/// 20 % active-user growth over 6 months.
pub const TRAINING_MIN_GROWTH: f64 = 0.20;

/// Every requested type detected for `facts`, in type order. A cross-sell of the services or
/// training product is dropped when PROFESSIONAL_SERVICES or TRAINING already offers that product,
/// so one product is never counted twice in a pipeline.
pub(crate) fn detect(
    catalog: &Catalog,
    basket: &MarketBasket,
    facts: &ClientFacts,
    params: &ExpansionParams,
    as_of: NaiveDate,
) -> Vec<PipelineItem> {
    let wants = |t: OpportunityType| params.opportunity_types.contains(&t);
    let mut items = Vec::new();
    if wants(OpportunityType::Upsell) {
        if let upsell::Assessment::Ready(u) = upsell::assess(catalog, facts, &params.upsell, as_of) {
            items.push(PipelineItem {
                product_id: Some(u.recommended_tier.product_id.clone()),
                name: format!("Upgrade {} → {}", u.current_tier.name, u.recommended_tier.name),
                recommended_approach: u.recommended_approach.clone(),
                ..new_item(facts, OpportunityType::Upsell, u.expansion_value, u.probability, as_of)
                    .with(u.detection_key.clone(), u.readiness_indicators.clone())
            });
        }
    }
    let usage_driven = usage_driven(catalog, facts, &wants, as_of);
    if wants(OpportunityType::CrossSell) {
        if let cross_sell::Assessment::Recommend(c) = cross_sell::assess(catalog, basket, facts, &params.cross_sell) {
            for rec in c.recommended_products {
                if usage_driven
                    .iter()
                    .any(|i| i.product_id.as_deref() == Some(rec.product_id.as_str()))
                {
                    continue;
                }
                items.push(PipelineItem {
                    product_id: Some(rec.product_id.clone()),
                    name: format!("Add {}", rec.product_name),
                    ..new_item(
                        facts,
                        OpportunityType::CrossSell,
                        rec.annual_value,
                        rec.probability,
                        as_of,
                    )
                    .with(rec.detection_key, rec.readiness_signals)
                });
            }
        }
    }
    items.extend(usage_driven);
    items
}

/// USER_EXPANSION, USAGE_EXPANSION, PROFESSIONAL_SERVICES and TRAINING: they need an active client
/// with usage and health data.
fn usage_driven(
    catalog: &Catalog,
    facts: &ClientFacts,
    wants: &dyn Fn(OpportunityType) -> bool,
    as_of: NaiveDate,
) -> Vec<PipelineItem> {
    let mut items = Vec::new();
    let (Some(usage), Some(health)) = (&facts.latest_usage, facts.health_score()) else {
        return items;
    };
    if !facts.is_active() {
        return items;
    }
    let utilization = facts.seat_utilization();
    let growth = facts.active_user_growth();
    // Zero seats give no utilization; it then adds nothing to the probability.
    let probability = clamp_probability(0.2 + 0.6 * health / 100.0 + 0.1 * utilization.unwrap_or(0.0).min(1.0));
    let item = |t, value, key: String, reasons| new_item(facts, t, value, probability, as_of).with(key, reasons);
    let id = &facts.client.id;
    let seats = usage.seats_licensed;
    let health_reason = format!("Health {}", health.round());

    let tier = catalog.client_tier(facts).filter(|t| t.pricing == Pricing::PerSeat);
    if let (true, Some(u), Some(tier)) = (wants(OpportunityType::UserExpansion), utilization, tier) {
        if u >= SEAT_UTILIZATION_TRIGGER {
            let g = growth.unwrap_or(MIN_SEAT_GROWTH).max(MIN_SEAT_GROWTH);
            // The tolerance keeps 90 × 1.1 = 99.00000000000001 at 99 seats, not 100.
            let sized = (usage.active_users as f64 * (1.0 + g) - 1e-9).ceil() as i32;
            let target = (seats + 1).max(sized);
            let value = tier.annual_price.times_count((target - seats).into());
            let growth_reason = match growth {
                Some(g) => format!("Active users {} in 6 months", signed_percent(g)),
                None => "No usage 6 months back: growth assumed at 10%".to_owned(),
            };
            let reasons = vec![
                format!("{} of {} seats in use ({})", usage.active_users, seats, percent(u)),
                growth_reason,
                format!(
                    "Target {target} seats = max({} + 1, ⌈{} × {:.2}⌉)",
                    seats,
                    usage.active_users,
                    1.0 + round4(g)
                ),
                format!(
                    "{} seats × {} per seat on {} = {}",
                    target - seats,
                    tier.annual_price.text(),
                    tier.name,
                    value.text()
                ),
            ];
            items.push(PipelineItem {
                product_id: Some(tier.id.clone()),
                name: format!("Expand {seats} → {target} seats"),
                ..item(
                    OpportunityType::UserExpansion,
                    value,
                    format!("user_expansion:{id}:{seats}"),
                    reasons,
                )
            });
        }
    }
    if wants(OpportunityType::UsageExpansion) && usage.usage_rate > 1.0 {
        let overage = (usage.usage_rate - 1.0).min(1.0);
        let value = facts.arr.times(overage);
        let contract = facts.contract.as_ref().map_or("none", |c| c.id.as_str());
        let reasons = vec![
            format!("Usage at {} of plan", percent(usage.usage_rate)),
            format!(
                "{} ARR × {} overage (capped at 100%) = {}",
                facts.arr.text(),
                percent(overage),
                value
            ),
            health_reason.clone(),
        ];
        items.push(PipelineItem {
            name: format!("Usage expansion ({} of plan)", percent(usage.usage_rate)),
            ..item(
                OpportunityType::UsageExpansion,
                value,
                format!("usage_expansion:{id}:{contract}"),
                reasons,
            )
        });
    }
    let one_off = [
        (
            OpportunityType::ProfessionalServices,
            "services",
            usage.feature_adoption < SERVICES_MAX_ADOPTION && facts.arr >= SERVICES_MIN_ARR,
        ),
        (
            OpportunityType::Training,
            "training",
            usage.feature_adoption < TRAINING_MAX_ADOPTION && growth.is_some_and(|g| g >= TRAINING_MIN_GROWTH),
        ),
    ];
    for (kind, family, triggered) in one_off {
        // A client that already bought the product is not offered it again.
        let product = catalog
            .first_in_family(family)
            .filter(|p| !facts.owned_product_ids.contains(&p.id));
        let (true, true, Some(product)) = (wants(kind), triggered, product) else {
            continue;
        };
        let value = price_for(product, seats);
        if value.cents() <= 0 {
            continue;
        }
        let mut reasons = vec![format!("Feature adoption {}", percent(usage.feature_adoption))];
        reasons.push(match kind {
            OpportunityType::ProfessionalServices => {
                format!("ARR {} (≥ {})", facts.arr.text(), SERVICES_MIN_ARR.text())
            }
            _ => format!(
                "Active users {} in 6 months",
                signed_percent(growth.unwrap_or_default())
            ),
        });
        reasons.push(health_reason.clone());
        reasons.push(format!("{} list price {}", product.name, value.text()));
        items.push(PipelineItem {
            product_id: Some(product.id.clone()),
            name: product.name.clone(),
            ..item(kind, value, format!("{kind}:{id}:{}", product.id), reasons)
        });
    }
    items
}

/// A detected item of `kind` with its band, weighted value, approach and timeline filled in.
fn new_item(
    facts: &ClientFacts,
    kind: OpportunityType,
    value: Money,
    probability: f64,
    as_of: NaiveDate,
) -> PipelineItem {
    let band = ProbabilityBand::of(probability);
    let (timeline, days) = band.timeline();
    PipelineItem {
        client_id: facts.client.id.clone(),
        opportunity_type: kind,
        product_id: None,
        name: String::new(),
        value,
        probability,
        band,
        weighted_value: value.times(probability),
        stage: OpportunityStage::Identified,
        detection_key: None,
        opportunity_id: None,
        detected: true,
        reasons: Vec::new(),
        recommended_approach: approach(band),
        timeline: timeline.to_owned(),
        expected_close_date: Some(as_of + Days::new(days as u64)),
        owner: None,
    }
}

impl PipelineItem {
    fn with(mut self, key: String, reasons: Vec<String>) -> PipelineItem {
        self.detection_key = Some(key);
        self.reasons = reasons;
        self
    }
}

/// What the CSM should do, by band, for the types without a specific playbook.
pub(crate) fn approach(band: ProbabilityBand) -> String {
    match band {
        ProbabilityBand::High => "Propose now: the reasons below make the business case",
        ProbabilityBand::Medium => "Validate the need with the champion, then propose",
        ProbabilityBand::Low => "Nurture: revisit once health and adoption improve",
    }
    .to_owned()
}
