//! 114 — `upsellOpportunities`: GraphQL views of the pure result.
use super::{load_client, Client};
use crate::graphql::enums::{HealthTrend, Pricing, ProbabilityBand};
use crate::graphql::item_page::{ItemPage, ItemWindow};
use crate::graphql::scalars::{Date, Money};
use crate::processes::common::BandCounts;
use crate::processes::upsell as process;
use async_graphql::{ComplexObject, Context, Result, SimpleObject};

/// Clients ready for the next rung of the tier ladder.
#[derive(SimpleObject)]
pub struct UpsellOpportunities {
    /// The date the data is read on.
    pub as_of: Date,
    /// Minimum latest health score used (0–100).
    pub min_health_score: f64,
    /// Minimum latest usage rate used (0–2).
    pub min_usage_threshold: f64,
    /// By expansionValue × probability descending, then client id.
    pub opportunities: Vec<UpsellOpportunity>,
    /// Items of the whole list and this page's cursors (`first` / `after` on the field).
    #[graphql(flatten)]
    pub page: ItemPage,
    /// Totals of the opportunities.
    pub summary: UpsellSummary,
}

/// One client ready for the next tier.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct UpsellOpportunity {
    /// The client's id.
    pub client_id: String,
    /// The client's tier now.
    pub current_tier: TierRung,
    /// The next rung.
    pub recommended_tier: TierRung,
    /// Seats the value is computed for (latest usage snapshot, else the contract).
    pub seats_licensed: i32,
    /// Ledger ARR on asOf.
    pub current_arr: Money,
    /// ARR the upgrade adds: seats × (next − current per-seat price).
    pub expansion_value: Money,
    /// currentArr + expansionValue.
    pub potential_arr: Money,
    /// clamp(0.05, 0.95, 0.6 × health/100 + 0.3 × min(usageRate, 1)), 4 decimals.
    pub probability: f64,
    /// The probability's band.
    pub probability_band: ProbabilityBand,
    /// Latest health score, 0–100.
    pub health_score: i32,
    /// Health direction versus the snapshot before.
    pub health_trend: HealthTrend,
    /// Latest usage rate (consumption ÷ plan limit), 4 decimals.
    pub usage_rate: f64,
    /// Active users ÷ seats licensed, 4 decimals; null with no seats.
    pub seat_utilization: Option<f64>,
    /// Active-user growth over 6 months, 4 decimals; null without a base snapshot.
    pub active_user_growth: Option<f64>,
    /// The data behind the recommendation, with the numbers.
    pub readiness_indicators: Vec<String>,
    /// What the CSM should do, by band.
    pub recommended_approach: String,
    /// When to aim to close: "within 30 days", "30–60 days" or "60–90 days".
    pub timeline: String,
    /// asOf + 30 / 60 / 90 days by band.
    pub expected_close_date: Date,
    /// The key `identifyExpansionOpportunities` stores it under.
    pub detection_key: String,
}

#[ComplexObject]
impl UpsellOpportunity {
    /// The client.
    async fn client(&self, ctx: &Context<'_>) -> Result<Client> {
        load_client(ctx, &self.client_id).await
    }
}

/// A rung of the tier ladder.
#[derive(SimpleObject)]
pub struct TierRung {
    /// The tier product's id.
    pub product_id: String,
    /// Its name.
    pub name: String,
    /// Rank on the ladder (1 = entry).
    pub rank: i32,
    /// Annual list price (per seat when pricing is PER_SEAT).
    pub annual_price: Money,
    /// Per seat or flat.
    pub pricing: Pricing,
}

/// Totals of an upsell run; each is the sum or count of the opportunities.
#[derive(SimpleObject)]
pub struct UpsellSummary {
    /// How many clients.
    pub total_opportunities: usize,
    /// Σ expansionValue.
    pub total_expansion_value: Money,
    /// Σ potentialArr.
    pub total_potential_arr: Money,
    /// totalExpansionValue ÷ totalOpportunities, to the cent; null when there are none.
    pub avg_expansion_value: Option<Money>,
    /// Count per upgrade path, e.g. `professional→enterprise`.
    pub by_tier_upgrade: Vec<TierUpgradeCount>,
    /// Count per probability band.
    pub by_probability: BandCount,
    /// Active clients with a next rung but no usage snapshot on or before asOf.
    pub skipped_no_usage_data: usize,
    /// Active clients with a next rung and usage but no health snapshot.
    pub skipped_no_health_data: usize,
}

/// Opportunities of one upgrade path.
#[derive(SimpleObject)]
pub struct TierUpgradeCount {
    /// `<current>→<recommended>`, lowercase.
    pub upgrade: String,
    /// How many.
    pub count: usize,
}

/// Items per probability band.
#[derive(SimpleObject)]
pub struct BandCount {
    /// Probability ≥ 0.70.
    pub high: usize,
    /// 0.40 ≤ probability < 0.70.
    pub medium: usize,
    /// Probability < 0.40.
    pub low: usize,
}

impl From<BandCounts> for BandCount {
    fn from(b: BandCounts) -> Self {
        BandCount {
            high: b.high,
            medium: b.medium,
            low: b.low,
        }
    }
}

impl From<process::TierRung> for TierRung {
    fn from(t: process::TierRung) -> Self {
        TierRung {
            product_id: t.product_id,
            name: t.name,
            rank: t.rank,
            annual_price: t.annual_price.into(),
            pricing: t.pricing.into(),
        }
    }
}

impl From<process::UpsellItem> for UpsellOpportunity {
    fn from(i: process::UpsellItem) -> Self {
        UpsellOpportunity {
            client_id: i.client_id,
            current_tier: i.current_tier.into(),
            recommended_tier: i.recommended_tier.into(),
            seats_licensed: i.seats_licensed,
            current_arr: i.current_arr.into(),
            expansion_value: i.expansion_value.into(),
            potential_arr: i.potential_arr.into(),
            probability: i.probability,
            probability_band: i.band.into(),
            health_score: i.health_score.round() as i32,
            health_trend: i.health_trend.into(),
            usage_rate: i.usage_rate,
            seat_utilization: i.seat_utilization,
            active_user_growth: i.active_user_growth,
            readiness_indicators: i.readiness_indicators,
            recommended_approach: i.recommended_approach,
            timeline: i.timeline,
            expected_close_date: i.expected_close_date.into(),
            detection_key: i.detection_key,
        }
    }
}

impl UpsellOpportunities {
    /// The page `window` of a (possibly cached, shared) result: only the shown items are copied.
    pub fn page(r: &process::UpsellResult, window: ItemWindow) -> Self {
        let (items, page) = window.slice(&r.items);
        let shown = process::UpsellResult {
            as_of: r.as_of,
            params: r.params,
            items: items.to_vec(),
            summary: r.summary.clone(),
        };
        UpsellOpportunities { page, ..shown.into() }
    }
}

impl From<process::UpsellResult> for UpsellOpportunities {
    fn from(r: process::UpsellResult) -> Self {
        let s = r.summary;
        UpsellOpportunities {
            as_of: r.as_of.into(),
            min_health_score: r.params.min_health_score,
            min_usage_threshold: r.params.min_usage_threshold,
            page: ItemPage::whole(r.items.len()),
            opportunities: r.items.into_iter().map(Into::into).collect(),
            summary: UpsellSummary {
                total_opportunities: s.total_opportunities,
                total_expansion_value: s.total_expansion_value.into(),
                total_potential_arr: s.total_potential_arr.into(),
                avg_expansion_value: s.avg_expansion_value.map(Money),
                by_tier_upgrade: s
                    .by_tier_upgrade
                    .into_iter()
                    .map(|t| TierUpgradeCount {
                        upgrade: t.upgrade,
                        count: t.count,
                    })
                    .collect(),
                by_probability: s.by_probability.into(),
                skipped_no_usage_data: s.skipped_no_usage_data,
                skipped_no_health_data: s.skipped_no_health_data,
            },
        }
    }
}
