//! 114–116 over the database: load the book on `as_of` ([`book`]), run the pure process, and for
//! 116 persist detections ([`identify`]) and move opportunities through their stages
//! ([`lifecycle`], [`won`]).
pub mod book;
pub mod identify;
pub mod lifecycle;
mod won;

use super::RequestContext;
use crate::db::{self, Db};
use crate::domain::OpportunityType;
use crate::error::Result;
use crate::processes::cross_sell::{cross_sell_opportunities, CrossSellParams, CrossSellResult};
use crate::processes::expansion::{expansion_opportunities, ExpansionParams, ExpansionResult};
use crate::processes::upsell::{upsell_opportunities, UpsellParams, UpsellResult};
use crate::services::cache;
use book::Book;
use chrono::NaiveDate;
use std::sync::Arc;

/// Expansion settings (config `expansion`), with cross-sell affordability (config `cross_sell`,
/// copied in when the schema is built).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ExpansionSettings {
    /// Discount of a two-product cross-sell bundle, 0–1 (default 0.15).
    pub bundle_discount: f64,
    /// `cross_sell.max_value_ratio` (not a key of `expansion`).
    #[serde(skip)]
    pub max_value_ratio: f64,
}

impl Default for ExpansionSettings {
    fn default() -> Self {
        ExpansionSettings {
            bundle_discount: 0.15,
            max_value_ratio: CrossSellSettings::default().max_value_ratio,
        }
    }
}

/// Cross-sell settings (config `cross_sell`).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct CrossSellSettings {
    /// Affordability: an add-on worth more than the client's ARR × this is not recommended
    /// (0–100, default 1.0).
    pub max_value_ratio: f64,
}

impl Default for CrossSellSettings {
    fn default() -> Self {
        CrossSellSettings { max_value_ratio: 1.0 }
    }
}

/// `upsellOpportunities`: 114 over the book on `as_of`.
pub async fn upsell(
    db: &Db,
    client_id: Option<&str>,
    params: &UpsellParams,
    as_of: NaiveDate,
) -> Result<Arc<UpsellResult>> {
    params.validate()?;
    cache::shared_answer(db, "upsell", (client_id, params, as_of), || async {
        let book = book::load(db, as_of).await?;
        upsell_opportunities(&book.catalog, &book.clients, client_id, params, as_of)
    })
    .await
}

/// `crossSellOpportunities`: 115 over the book on `as_of` (the basket always counts the whole book).
pub async fn cross_sell(
    db: &Db,
    client_id: Option<&str>,
    params: &CrossSellParams,
    as_of: NaiveDate,
) -> Result<Arc<CrossSellResult>> {
    cache::shared_answer(db, "crossSell", (client_id, params, as_of), || async {
        let book = book::load(db, as_of).await?;
        cross_sell_opportunities(&book.catalog, &book.clients, client_id, params, as_of)
    })
    .await
}

/// 116's parameters: the requested types, 114 and 115 at their defaults (bundle discount from config).
pub fn expansion_params(types: Option<&[OpportunityType]>, settings: &ExpansionSettings) -> Result<ExpansionParams> {
    let mut params = ExpansionParams::for_types(types)?;
    params.cross_sell.bundle_discount = settings.bundle_discount;
    params.cross_sell.max_value_ratio = settings.max_value_ratio;
    Ok(params)
}

/// `expansionOpportunities`: 116 over the book on `as_of`, merged with the stored pipeline.
pub async fn expansion(
    db: &Db,
    client_id: Option<&str>,
    params: &ExpansionParams,
    as_of: NaiveDate,
) -> Result<Arc<ExpansionResult>> {
    cache::shared_answer(db, "expansion", (client_id, params, as_of), || async {
        Ok(pipeline(db, client_id, params, as_of).await?.1)
    })
    .await
}

/// 116 and the book it ran on.
async fn pipeline(
    db: &Db,
    client_id: Option<&str>,
    params: &ExpansionParams,
    as_of: NaiveDate,
) -> Result<(Book, ExpansionResult)> {
    let of_client = client_id.map(str::to_owned);
    let (book, persisted) = tokio::try_join!(
        book::load(db, as_of),
        db::parallel::read(db, |db| async move {
            db::opportunities::for_pipeline(&db, of_client.as_deref()).await
        }),
    )?;
    let result = expansion_opportunities(&book.catalog, &book.clients, &persisted, client_id, params, as_of)?;
    Ok((book, result))
}
