//! Process 115, `crossSellOpportunities`: add-ons a client lacks that clients like it own
//! (DESIGN §5.115).
//!
//! Candidates are active clients × non-tier products of the family that the client does not own.
//! fitScore = max over the products A the client owns (tier product included) of the market-basket
//! confidence conf(A→P) = |owning A and P| ÷ |owning A| over active clients, counted only where
//! |owning A| ≥ 5. annualValue = list price (× the seats of the contract in force for per-seat
//! products); an add-on worth more than the client's ARR × `max_value_ratio` is not recommended
//! (affordability); probability = fitScore × health/100 from the unrounded fit, rounded once.
pub mod basket;

use super::common::{in_scope, round4, ser, ProbabilityBand};
use super::facts::{price_for, Catalog, ClientFacts};
use crate::domain::validate::float_range;
use crate::domain::{Money, Pricing, ProductKind};
use crate::error::{Error, Result};
use basket::MarketBasket;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// How many products `topProducts` lists.
pub const TOP_PRODUCTS: usize = 5;

/// Parameters of 115, with the defaults of DESIGN §5.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CrossSellParams {
    /// A catalog family, or `all` (default).
    pub product_family: String,
    /// Minimum fit score, 0–1 (default 0.30).
    pub min_fit_score: f64,
    /// Discount of the two-product bundle, 0–1 (config, default 0.15).
    pub bundle_discount: f64,
    /// Affordability: the most an add-on's annual value may be, as a multiple of the client's
    /// current ARR (config `cross_sell.max_value_ratio`, default 1.0, 0–100).
    pub max_value_ratio: f64,
}

impl Default for CrossSellParams {
    fn default() -> Self {
        CrossSellParams {
            product_family: "all".to_owned(),
            min_fit_score: 0.30,
            bundle_discount: 0.15,
            max_value_ratio: 1.0,
        }
    }
}

impl CrossSellParams {
    /// `BAD_USER_INPUT` for `minFitScore` outside 0–1, `bundleDiscount` outside 0–1, or a
    /// `productFamily` that is neither `all` nor a family of the catalog (the error lists them).
    pub fn validate(&self, catalog: &Catalog) -> Result<()> {
        float_range("minFitScore", self.min_fit_score, 0.0, 1.0)?;
        float_range("bundleDiscount", self.bundle_discount, 0.0, 1.0)?;
        float_range("cross_sell.max_value_ratio", self.max_value_ratio, 0.0, 100.0)?;
        let families = catalog.families();
        if self.product_family != "all" && !families.contains(&self.product_family) {
            let mut allowed = vec!["all".to_owned()];
            allowed.extend(families);
            return Err(Error::bad_input(
                "productFamily",
                format!("unknown product family `{}`", self.product_family),
                allowed.join(", "),
            ));
        }
        Ok(())
    }
}

/// A product named in a result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProductRef {
    pub product_id: String,
    pub name: String,
}

/// One product recommended to one client.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CrossSellRecommendation {
    pub product_id: String,
    pub product_name: String,
    pub family: String,
    #[serde(serialize_with = "ser::display")]
    pub pricing: Pricing,
    /// Best market-basket confidence over the products the client owns, 4 decimals.
    pub fit_score: f64,
    /// List price, × the contract's seats for per-seat products; at most ARR × max_value_ratio.
    #[serde(serialize_with = "ser::display")]
    pub annual_value: Money,
    /// Unrounded fit × health/100, rounded once to 4 decimals (not clamped: DESIGN gives no
    /// bounds for 115).
    pub probability: f64,
    pub band: ProbabilityBand,
    /// The basket evidence (up to three strongest antecedents) and the price, in sentences.
    pub readiness_signals: Vec<String>,
    /// `cross_sell:<client id>:<product id>`, the key 116 persists it under.
    pub detection_key: String,
}

/// The top two recommendations sold together at the bundle discount.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bundle {
    /// The two products, in recommendation order.
    pub products: Vec<ProductRef>,
    /// Σ annual_value of the two.
    #[serde(serialize_with = "ser::display")]
    pub list_value: Money,
    pub discount: f64,
    /// list_value × (1 − discount), to the cent.
    #[serde(serialize_with = "ser::display")]
    pub bundle_value: Money,
    /// list_value − bundle_value.
    #[serde(serialize_with = "ser::display")]
    pub savings: Money,
}

/// One client's cross-sell picture.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CrossSellClient {
    pub client_id: String,
    pub client_name: String,
    #[serde(serialize_with = "ser::display")]
    pub current_arr: Money,
    pub health_score: f64,
    /// Catalog products the client owns (tier product included), by id.
    pub current_products: Vec<ProductRef>,
    /// Fit descending, then annual value descending, then product id.
    pub recommended_products: Vec<CrossSellRecommendation>,
    /// Σ annual_value of the recommendations (list prices, no bundle discount).
    #[serde(serialize_with = "ser::display")]
    pub total_potential_value: Money,
    /// `None` with fewer than two recommendations.
    pub recommended_bundle: Option<Bundle>,
}

/// How often a product is recommended across the run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProductCount {
    pub product_id: String,
    pub product_name: String,
    /// Clients it is recommended to.
    pub count: usize,
    #[serde(serialize_with = "ser::display")]
    pub total_value: Money,
}

/// Totals of a 115 run; every figure is the sum or count of the client entries.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CrossSellSummary {
    /// client × product pairs.
    pub total_opportunities: usize,
    pub clients_with_opportunities: usize,
    /// Σ annual_value over all pairs.
    #[serde(serialize_with = "ser::display")]
    pub total_potential_arr: Money,
    /// At most [`TOP_PRODUCTS`], by count descending, then total value descending, then id.
    pub top_products: Vec<ProductCount>,
    /// Active clients left out because they have no health snapshot (probability needs health).
    pub skipped_no_health_data: usize,
}

/// The answer of 115.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CrossSellResult {
    pub as_of: NaiveDate,
    pub params: CrossSellParams,
    /// Clients with at least one recommendation, by total_potential_value descending, then id.
    pub clients: Vec<CrossSellClient>,
    pub summary: CrossSellSummary,
}

/// What 115 concludes about one client.
pub(crate) enum Assessment {
    Recommend(Box<CrossSellClient>),
    NotCandidate,
    NoHealthData,
}

/// Runs 115. `clients` must be the whole book (the basket counts every active client);
/// `client_id` narrows the output to one client (`NOT_FOUND` when the book lacks it).
pub fn cross_sell_opportunities(
    catalog: &Catalog,
    clients: &[ClientFacts],
    client_id: Option<&str>,
    params: &CrossSellParams,
    as_of: NaiveDate,
) -> Result<CrossSellResult> {
    params.validate(catalog)?;
    let basket = MarketBasket::from_book(catalog, clients);
    let mut entries = Vec::new();
    let mut skipped_no_health_data = 0;
    for facts in in_scope(clients, client_id)? {
        match assess(catalog, &basket, facts, params) {
            Assessment::Recommend(entry) => entries.push(*entry),
            Assessment::NoHealthData => skipped_no_health_data += 1,
            Assessment::NotCandidate => {}
        }
    }
    entries.sort_by(|a, b| (b.total_potential_value, &a.client_id).cmp(&(a.total_potential_value, &b.client_id)));
    let summary = summarize(&entries, skipped_no_health_data);
    Ok(CrossSellResult {
        as_of,
        params: params.clone(),
        clients: entries,
        summary,
    })
}

/// Applies the candidate rules of 115 to one client.
pub(crate) fn assess(
    catalog: &Catalog,
    basket: &MarketBasket,
    facts: &ClientFacts,
    params: &CrossSellParams,
) -> Assessment {
    if !facts.is_active() {
        return Assessment::NotCandidate;
    }
    let Some(health) = facts.health_score() else {
        return Assessment::NoHealthData;
    };
    let owned: Vec<usize> = catalog.owned_indices(facts).into_iter().collect();
    let seats = facts.contract_seats();
    let affordable = facts.arr.times(params.max_value_ratio);
    let products = catalog.products();
    let mut recommended: Vec<CrossSellRecommendation> = Vec::new();
    for (p, product) in products.iter().enumerate() {
        let in_family = params.product_family == "all" || product.family == params.product_family;
        if product.kind == ProductKind::Tier || !in_family || owned.contains(&p) {
            continue;
        }
        // No antecedent with enough owners means no evidence at all: not a candidate, even at
        // minFitScore 0 (a fit of 0 from real counts is still shown then).
        let confidences = basket.confidences(&owned, p);
        let Some(best) = confidences.first() else { continue };
        let annual_value = price_for(product, seats);
        if best.value < params.min_fit_score || annual_value.cents() <= 0 || annual_value > affordable {
            continue;
        }
        // Rounded once, for output: the probability is computed from the unrounded fit.
        let fit_score = round4(best.value);
        let probability = round4(best.value * health / 100.0);
        let mut readiness_signals: Vec<String> = confidences
            .iter()
            .take(3)
            .map(|c| {
                format!(
                    "{} of {} clients with {} also own {}",
                    c.co_owners, c.owners, products[c.antecedent].name, product.name
                )
            })
            .collect();
        readiness_signals.push(match product.pricing {
            Pricing::PerSeat => format!(
                "{} seats × {} = {} per year",
                seats,
                product.annual_price.text(),
                annual_value.text()
            ),
            Pricing::Flat => format!("List price {} per year", annual_value.text()),
        });
        recommended.push(CrossSellRecommendation {
            product_id: product.id.clone(),
            product_name: product.name.clone(),
            family: product.family.clone(),
            pricing: product.pricing,
            fit_score,
            annual_value,
            probability,
            band: ProbabilityBand::of(probability),
            readiness_signals,
            detection_key: format!("cross_sell:{}:{}", facts.client.id, product.id),
        });
    }
    if recommended.is_empty() {
        return Assessment::NotCandidate;
    }
    recommended.sort_by(|a, b| {
        b.fit_score
            .total_cmp(&a.fit_score)
            .then(b.annual_value.cmp(&a.annual_value))
            .then(a.product_id.cmp(&b.product_id))
    });
    let recommended_bundle = bundle(&recommended, params.bundle_discount);
    Assessment::Recommend(Box::new(CrossSellClient {
        client_id: facts.client.id.clone(),
        client_name: facts.client.name.clone(),
        current_arr: facts.arr,
        health_score: health,
        current_products: owned
            .iter()
            .map(|&i| ProductRef {
                product_id: products[i].id.clone(),
                name: products[i].name.clone(),
            })
            .collect(),
        total_potential_value: recommended.iter().map(|r| r.annual_value).sum(),
        recommended_products: recommended,
        recommended_bundle,
    }))
}

/// The top two recommendations at the bundle discount.
fn bundle(recommended: &[CrossSellRecommendation], discount: f64) -> Option<Bundle> {
    let [first, second, ..] = recommended else { return None };
    let list_value = first.annual_value + second.annual_value;
    let bundle_value = list_value.times(1.0 - discount);
    Some(Bundle {
        products: [first, second]
            .iter()
            .map(|r| ProductRef {
                product_id: r.product_id.clone(),
                name: r.product_name.clone(),
            })
            .collect(),
        list_value,
        discount,
        bundle_value,
        savings: list_value - bundle_value,
    })
}

fn summarize(entries: &[CrossSellClient], skipped_no_health_data: usize) -> CrossSellSummary {
    let mut by_product: BTreeMap<&str, ProductCount> = BTreeMap::new();
    for rec in entries.iter().flat_map(|e| &e.recommended_products) {
        let count = by_product.entry(&rec.product_id).or_insert_with(|| ProductCount {
            product_id: rec.product_id.clone(),
            product_name: rec.product_name.clone(),
            count: 0,
            total_value: Money::ZERO,
        });
        count.count += 1;
        count.total_value += rec.annual_value;
    }
    let mut top_products: Vec<ProductCount> = by_product.into_values().collect();
    top_products.sort_by(|a, b| (b.count, b.total_value, &a.product_id).cmp(&(a.count, a.total_value, &b.product_id)));
    top_products.truncate(TOP_PRODUCTS);
    CrossSellSummary {
        total_opportunities: entries.iter().map(|e| e.recommended_products.len()).sum(),
        clients_with_opportunities: entries.len(),
        total_potential_arr: entries.iter().map(|e| e.total_potential_value).sum(),
        top_products,
        skipped_no_health_data,
    }
}

#[cfg(test)]
mod tests;
