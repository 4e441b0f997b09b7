//! Process 114, `upsellOpportunities`: clients ready for the next rung of the tier ladder
//! (DESIGN §5.114).
//!
//! Candidates are active clients whose tier has a next rung, with health ≥ `min_health_score` and
//! latest usage_rate ≥ `min_usage_threshold`. expansionValue = what the same seats cost on the next
//! tier minus what they cost now (seats × price difference for per-seat tiers); probability =
//! clamp(0.05, 0.95, 0.6·health/100 + 0.3·min(usage_rate, 1)).
use super::common::ProbabilityBand;
use super::common::{clamp_probability, in_scope, mean, percent, round4, ser, signed_percent, BandCounts};
use super::facts::{price_for, Catalog, ClientFacts};
use crate::domain::validate::float_range;
use crate::domain::{HealthTrend, Money, Pricing, Product};
use crate::error::Result;
use chrono::{Days, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// Thresholds of 114, with the defaults of DESIGN §5.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct UpsellParams {
    /// Minimum latest health score, 0–100 (default 75).
    pub min_health_score: f64,
    /// Minimum latest usage_rate, 0–2 (default 0.70).
    pub min_usage_threshold: f64,
}

impl Default for UpsellParams {
    fn default() -> Self {
        UpsellParams {
            min_health_score: 75.0,
            min_usage_threshold: 0.70,
        }
    }
}

impl UpsellParams {
    /// `BAD_USER_INPUT` naming `minHealthScore` (0–100) or `minUsageThreshold` (0–2).
    pub fn validate(&self) -> Result<()> {
        float_range("minHealthScore", self.min_health_score, 0.0, 100.0)?;
        float_range("minUsageThreshold", self.min_usage_threshold, 0.0, 2.0)?;
        Ok(())
    }
}

/// A rung of the tier ladder as shown in results.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TierRung {
    pub product_id: String,
    pub name: String,
    pub rank: i32,
    /// Annual list price: per seat when `pricing` is per_seat.
    #[serde(serialize_with = "ser::display")]
    pub annual_price: Money,
    #[serde(serialize_with = "ser::display")]
    pub pricing: Pricing,
}

impl TierRung {
    fn of(product: &Product) -> TierRung {
        TierRung {
            product_id: product.id.clone(),
            name: product.name.clone(),
            rank: product.tier_rank.unwrap_or_default(),
            annual_price: product.annual_price,
            pricing: product.pricing,
        }
    }
}

/// One client ready for the next tier.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UpsellItem {
    pub client_id: String,
    pub client_name: String,
    pub current_tier: TierRung,
    pub recommended_tier: TierRung,
    /// Seats the value is computed for (see [`ClientFacts::seats_licensed`]).
    pub seats_licensed: i32,
    /// Ledger ARR on `as_of`.
    #[serde(serialize_with = "ser::display")]
    pub current_arr: Money,
    /// Added ARR of the upgrade: price of the seats on the next tier − on the current one.
    #[serde(serialize_with = "ser::display")]
    pub expansion_value: Money,
    /// current_arr + expansion_value.
    #[serde(serialize_with = "ser::display")]
    pub potential_arr: Money,
    /// clamp(0.05, 0.95, 0.6·health/100 + 0.3·min(usage_rate, 1)), 4 decimals.
    pub probability: f64,
    pub band: ProbabilityBand,
    /// Latest overall health score as stored (2 decimals).
    pub health_score: f64,
    #[serde(serialize_with = "ser::display")]
    pub health_trend: HealthTrend,
    /// Latest usage_rate, 4 decimals.
    pub usage_rate: f64,
    /// active_users ÷ seats_licensed, 4 decimals; `None` with zero seats.
    pub seat_utilization: Option<f64>,
    /// Active-user growth over 6 months, 4 decimals; `None` without a base snapshot.
    pub active_user_growth: Option<f64>,
    /// The data behind the recommendation, in sentences with the real numbers.
    pub readiness_indicators: Vec<String>,
    pub recommended_approach: String,
    /// When to aim to close, by band: "within 30 days", "30–60 days", "60–90 days".
    pub timeline: String,
    /// as_of + 30 / 60 / 90 days by band.
    pub expected_close_date: NaiveDate,
    /// `upsell:<client id>:<recommended tier product id>`, the key 116 persists it under.
    pub detection_key: String,
}

/// Upgrades counted by path, e.g. `professional→enterprise`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TierUpgradeCount {
    /// `<current tier name>→<recommended tier name>`, lowercased.
    pub upgrade: String,
    pub count: usize,
}

/// Totals of a 114 run; every figure is the sum or count of the items.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UpsellSummary {
    pub total_opportunities: usize,
    #[serde(serialize_with = "ser::display")]
    pub total_expansion_value: Money,
    /// Σ potential_arr of the items.
    #[serde(serialize_with = "ser::display")]
    pub total_potential_arr: Money,
    /// total_expansion_value ÷ total_opportunities to the cent (half away from zero); `None` when there
    /// are no items.
    #[serde(serialize_with = "ser::opt_display")]
    pub avg_expansion_value: Option<Money>,
    /// Ordered by the upgrade text.
    pub by_tier_upgrade: Vec<TierUpgradeCount>,
    pub by_probability: BandCounts,
    /// Active clients with a next rung that have no usage snapshot on or before `as_of`.
    pub skipped_no_usage_data: usize,
    /// Active clients with a next rung and usage data but no health snapshot.
    pub skipped_no_health_data: usize,
}

/// The answer of 114.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UpsellResult {
    pub as_of: NaiveDate,
    pub params: UpsellParams,
    /// Ordered by expansion_value × probability descending, then client id.
    pub items: Vec<UpsellItem>,
    pub summary: UpsellSummary,
}

/// What 114 concludes about one client.
pub(crate) enum Assessment {
    Ready(Box<UpsellItem>),
    NotCandidate,
    NoUsageData,
    NoHealthData,
}

/// Runs 114 over the book. `client_id` narrows the output to one client (`NOT_FOUND` when the book
/// lacks it); `clients` may then hold just that client.
pub fn upsell_opportunities(
    catalog: &Catalog,
    clients: &[ClientFacts],
    client_id: Option<&str>,
    params: &UpsellParams,
    as_of: NaiveDate,
) -> Result<UpsellResult> {
    params.validate()?;
    let mut items = Vec::new();
    let (mut skipped_no_usage_data, mut skipped_no_health_data) = (0, 0);
    for facts in in_scope(clients, client_id)? {
        match assess(catalog, facts, params, as_of) {
            Assessment::Ready(item) => items.push(*item),
            Assessment::NoUsageData => skipped_no_usage_data += 1,
            Assessment::NoHealthData => skipped_no_health_data += 1,
            Assessment::NotCandidate => {}
        }
    }
    items.sort_by(|a, b| {
        let weight = |i: &UpsellItem| i.expansion_value.cents() as f64 * i.probability;
        weight(b)
            .total_cmp(&weight(a))
            .then_with(|| a.client_id.cmp(&b.client_id))
    });
    let summary = summarize(&items, skipped_no_usage_data, skipped_no_health_data);
    Ok(UpsellResult {
        as_of,
        params: *params,
        items,
        summary,
    })
}

/// Applies the candidate rules of 114 to one client.
pub(crate) fn assess(catalog: &Catalog, facts: &ClientFacts, params: &UpsellParams, as_of: NaiveDate) -> Assessment {
    let Some(current) = catalog.client_tier(facts) else {
        return Assessment::NotCandidate;
    };
    let Some(next) = catalog.next_tier(current) else {
        return Assessment::NotCandidate;
    };
    if !facts.is_active() {
        return Assessment::NotCandidate;
    }
    let Some(usage) = &facts.latest_usage else {
        return Assessment::NoUsageData;
    };
    let Some(health) = &facts.latest_health else {
        return Assessment::NoHealthData;
    };
    if health.overall_score < params.min_health_score || usage.usage_rate < params.min_usage_threshold {
        return Assessment::NotCandidate;
    }
    let seats = facts.seats_licensed();
    let expansion_value = price_for(next, seats) - price_for(current, seats);
    // Zero seats, or a next rung that is not dearer, adds no ARR: nothing to sell.
    if expansion_value.cents() <= 0 {
        return Assessment::NotCandidate;
    }
    let probability = clamp_probability(0.6 * health.overall_score / 100.0 + 0.3 * usage.usage_rate.min(1.0));
    let band = ProbabilityBand::of(probability);
    let (timeline, days) = band.timeline();
    let growth = facts.active_user_growth();
    Assessment::Ready(Box::new(UpsellItem {
        client_id: facts.client.id.clone(),
        client_name: facts.client.name.clone(),
        current_tier: TierRung::of(current),
        recommended_tier: TierRung::of(next),
        seats_licensed: seats,
        current_arr: facts.arr,
        expansion_value,
        potential_arr: facts.arr + expansion_value,
        probability,
        band,
        health_score: health.overall_score,
        health_trend: health.trend,
        usage_rate: round4(usage.usage_rate),
        seat_utilization: facts.seat_utilization().map(round4),
        active_user_growth: growth.map(round4),
        readiness_indicators: indicators(facts, current, next, seats),
        recommended_approach: approach(band, current, next),
        timeline: timeline.to_owned(),
        expected_close_date: as_of + Days::new(days as u64),
        detection_key: format!("upsell:{}:{}", facts.client.id, next.id),
    }))
}

/// The readiness indicators: usage, seats in use, health and trend, user growth, price step.
fn indicators(facts: &ClientFacts, current: &Product, next: &Product, seats: i32) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(usage) = &facts.latest_usage {
        out.push(format!("Usage at {} of plan", percent(usage.usage_rate)));
        if usage.seats_licensed > 0 {
            out.push(format!(
                "{} of {} seats in use",
                usage.active_users, usage.seats_licensed
            ));
        }
    }
    if let Some(health) = &facts.latest_health {
        out.push(format!("Health {} and {}", health.overall_score.round(), health.trend));
    }
    if let Some(growth) = facts.active_user_growth() {
        out.push(format!("Active users {} in 6 months", signed_percent(growth)));
    }
    let step = price_for(next, seats) - price_for(current, seats);
    out.push(match (current.pricing, next.pricing) {
        (Pricing::PerSeat, Pricing::PerSeat) => format!(
            "{} seats × ({} − {}) per seat = {} more ARR on {}",
            seats,
            next.annual_price.text(),
            current.annual_price.text(),
            step.text(),
            next.name
        ),
        _ => format!(
            "{} costs {} more per year than {} for {} seats",
            next.name,
            step.text(),
            current.name,
            seats
        ),
    });
    out
}

/// What the CSM should do, by band.
fn approach(band: ProbabilityBand, current: &Product, next: &Product) -> String {
    match band {
        ProbabilityBand::High => format!(
            "Propose {} at the next business review: usage and seats show the team has outgrown {}",
            next.name, current.name
        ),
        ProbabilityBand::Medium => format!(
            "Run a value review of {} features (or a trial) with the champion, then propose the upgrade",
            next.name
        ),
        ProbabilityBand::Low => format!(
            "Nurture toward {}: raise adoption and health on {} before proposing",
            next.name, current.name
        ),
    }
}

fn summarize(items: &[UpsellItem], skipped_no_usage_data: usize, skipped_no_health_data: usize) -> UpsellSummary {
    let total_expansion_value: Money = items.iter().map(|i| i.expansion_value).sum();
    let mut by_tier: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_probability = BandCounts::default();
    for item in items {
        let upgrade = format!(
            "{}→{}",
            item.current_tier.name.to_lowercase(),
            item.recommended_tier.name.to_lowercase()
        );
        *by_tier.entry(upgrade).or_default() += 1;
        by_probability.add(item.band);
    }
    UpsellSummary {
        total_opportunities: items.len(),
        total_expansion_value,
        total_potential_arr: items.iter().map(|i| i.potential_arr).sum(),
        avg_expansion_value: mean(total_expansion_value, items.len()),
        by_tier_upgrade: by_tier
            .into_iter()
            .map(|(upgrade, count)| TierUpgradeCount { upgrade, count })
            .collect(),
        by_probability,
        skipped_no_usage_data,
        skipped_no_health_data,
    }
}

#[cfg(test)]
mod tests;
