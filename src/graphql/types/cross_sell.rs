//! 115 — `crossSellOpportunities`: GraphQL views of the pure result.
use super::{load_client, Client, Product};
use crate::graphql::context::ContextExt;
use crate::graphql::enums::{Pricing, ProbabilityBand};
use crate::graphql::errors::shared;
use crate::graphql::item_page::{ItemPage, ItemWindow};
use crate::graphql::scalars::{Date, Money};
use crate::processes::cross_sell as process;
use async_graphql::{ComplexObject, Context, Result, SimpleObject};

/// Add-ons clients lack that clients like them own (market-basket fit).
#[derive(SimpleObject)]
pub struct CrossSellOpportunities {
    /// The date the data is read on.
    pub as_of: Date,
    /// The product family searched, or `all`.
    pub product_family: String,
    /// Minimum fit score used (0–1).
    pub min_fit_score: f64,
    /// Discount applied to each two-product bundle (config).
    pub bundle_discount: f64,
    /// Affordability (config `cross_sell.max_value_ratio`): add-ons worth more than the client's
    /// current ARR × this are not recommended.
    pub max_value_ratio: f64,
    /// Clients with at least one recommendation, by totalPotentialValue descending, then id.
    pub opportunities: Vec<CrossSellClient>,
    /// Items of the whole list and this page's cursors (`first` / `after` on the field).
    #[graphql(flatten)]
    pub page: ItemPage,
    /// Totals of the recommendations.
    pub summary: CrossSellSummary,
}

/// One client's cross-sell picture.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct CrossSellClient {
    /// The client's id.
    pub client_id: String,
    /// Ledger ARR on asOf.
    pub current_arr: Money,
    /// Latest health score, 0–100.
    pub health_score: i32,
    /// Catalog products the client owns (tier product included).
    pub current_products: Vec<ProductRef>,
    /// Fit descending, then annual value descending, then product id.
    pub recommended_products: Vec<CrossSellRecommendation>,
    /// Σ annualValue of the recommendations (list prices).
    pub total_potential_value: Money,
    /// The top two recommendations sold together; null with fewer than two.
    pub recommended_bundle: Option<Bundle>,
}

#[ComplexObject]
impl CrossSellClient {
    /// The client.
    async fn client(&self, ctx: &Context<'_>) -> Result<Client> {
        load_client(ctx, &self.client_id).await
    }
}

/// A catalog product named in a result.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ProductRef {
    /// The product's id.
    pub product_id: String,
    /// Its name.
    pub name: String,
}

#[ComplexObject]
impl ProductRef {
    /// The catalog product.
    async fn product(&self, ctx: &Context<'_>) -> Result<Option<Product>> {
        let id = self.product_id.clone();
        Ok(ctx.loaders().product.load_one(id).await.map_err(shared)?.map(Product))
    }
}

/// One product recommended to one client.
#[derive(SimpleObject)]
pub struct CrossSellRecommendation {
    /// The product's id.
    pub product_id: String,
    /// Its name.
    pub product_name: String,
    /// Its family.
    pub family: String,
    /// Per seat or flat.
    pub pricing: Pricing,
    /// Best market-basket confidence conf(A→P) over the products A the client owns, 4 decimals.
    pub fit_score: f64,
    /// List price, × seats for per-seat products.
    pub annual_value: Money,
    /// fitScore × health/100, 4 decimals.
    pub probability: f64,
    /// The probability's band.
    pub probability_band: ProbabilityBand,
    /// The basket evidence (e.g. "31 of 50 clients with Advanced Analytics also own API Suite") and the price.
    pub readiness_signals: Vec<String>,
    /// The key `identifyExpansionOpportunities` stores it under.
    pub detection_key: String,
}

/// The top two recommendations at the bundle discount.
#[derive(SimpleObject)]
pub struct Bundle {
    /// The two products, in recommendation order.
    pub products: Vec<ProductRef>,
    /// Σ annual value of the two.
    pub list_value: Money,
    /// The bundle discount, 0–1.
    pub discount: f64,
    /// listValue × (1 − discount), to the cent.
    pub bundle_value: Money,
    /// listValue − bundleValue.
    pub savings: Money,
}

/// Totals of a cross-sell run.
#[derive(SimpleObject)]
pub struct CrossSellSummary {
    /// Client × product pairs.
    pub total_opportunities: usize,
    /// Clients with at least one recommendation.
    pub clients_with_opportunities: usize,
    /// Σ annualValue over all pairs.
    pub total_potential_arr: Money,
    /// The most recommended products (at most 5), by count, then value.
    pub top_products: Vec<ProductCount>,
    /// Active clients left out for lack of a health snapshot.
    pub skipped_no_health_data: usize,
}

/// How often a product is recommended.
#[derive(SimpleObject)]
pub struct ProductCount {
    /// The product's id.
    pub product_id: String,
    /// Its name.
    pub product_name: String,
    /// Clients it is recommended to.
    pub count: usize,
    /// Σ annual value of those recommendations.
    pub total_value: Money,
}

impl From<process::ProductRef> for ProductRef {
    fn from(p: process::ProductRef) -> Self {
        ProductRef {
            product_id: p.product_id,
            name: p.name,
        }
    }
}

impl From<process::CrossSellRecommendation> for CrossSellRecommendation {
    fn from(r: process::CrossSellRecommendation) -> Self {
        CrossSellRecommendation {
            product_id: r.product_id,
            product_name: r.product_name,
            family: r.family,
            pricing: r.pricing.into(),
            fit_score: r.fit_score,
            annual_value: r.annual_value.into(),
            probability: r.probability,
            probability_band: r.band.into(),
            readiness_signals: r.readiness_signals,
            detection_key: r.detection_key,
        }
    }
}

impl From<process::CrossSellClient> for CrossSellClient {
    fn from(c: process::CrossSellClient) -> Self {
        CrossSellClient {
            client_id: c.client_id,
            current_arr: c.current_arr.into(),
            health_score: c.health_score.round() as i32,
            current_products: c.current_products.into_iter().map(Into::into).collect(),
            recommended_products: c.recommended_products.into_iter().map(Into::into).collect(),
            total_potential_value: c.total_potential_value.into(),
            recommended_bundle: c.recommended_bundle.map(|b| Bundle {
                products: b.products.into_iter().map(Into::into).collect(),
                list_value: b.list_value.into(),
                discount: b.discount,
                bundle_value: b.bundle_value.into(),
                savings: b.savings.into(),
            }),
        }
    }
}

impl CrossSellOpportunities {
    /// The page `window` of a (possibly cached, shared) result: only the shown items are copied.
    pub fn page(r: &process::CrossSellResult, window: ItemWindow) -> Self {
        let (clients, page) = window.slice(&r.clients);
        let shown = process::CrossSellResult {
            as_of: r.as_of,
            params: r.params.clone(),
            clients: clients.to_vec(),
            summary: r.summary.clone(),
        };
        CrossSellOpportunities { page, ..shown.into() }
    }
}

impl From<process::CrossSellResult> for CrossSellOpportunities {
    fn from(r: process::CrossSellResult) -> Self {
        let s = r.summary;
        CrossSellOpportunities {
            as_of: r.as_of.into(),
            product_family: r.params.product_family,
            min_fit_score: r.params.min_fit_score,
            bundle_discount: r.params.bundle_discount,
            max_value_ratio: r.params.max_value_ratio,
            page: ItemPage::whole(r.clients.len()),
            opportunities: r.clients.into_iter().map(Into::into).collect(),
            summary: CrossSellSummary {
                total_opportunities: s.total_opportunities,
                clients_with_opportunities: s.clients_with_opportunities,
                total_potential_arr: s.total_potential_arr.into(),
                top_products: s
                    .top_products
                    .into_iter()
                    .map(|p| ProductCount {
                        product_id: p.product_id,
                        product_name: p.product_name,
                        count: p.count,
                        total_value: p.total_value.into(),
                    })
                    .collect(),
                skipped_no_health_data: s.skipped_no_health_data,
            },
        }
    }
}
