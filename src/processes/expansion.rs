//! Process 116, `expansionOpportunities`: one pipeline of every expansion type (DESIGN §5.116).
//!
//! Detection ([`detect`]) runs 114 and 115 with their defaults and the four usage-driven rules;
//! [`merge`] folds in the persisted open opportunities by detection_key; this file totals the
//! result per client and for the portfolio.
pub mod detect;
pub mod merge;

use super::common::{in_scope, ratio, ser, BandCounts, ProbabilityBand};
use super::cross_sell::basket::MarketBasket;
use super::cross_sell::CrossSellParams;
use super::facts::{Catalog, ClientFacts};
use super::upsell::UpsellParams;
use crate::domain::{Money, Opportunity, OpportunityStage, OpportunityType};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// How many clients `topClients` lists.
pub const TOP_CLIENTS: usize = 5;

/// Parameters of 116: which types to detect, and the 114/115 parameters those types use (their
/// defaults unless configured).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExpansionParams {
    #[serde(serialize_with = "ser_types")]
    pub opportunity_types: BTreeSet<OpportunityType>,
    pub upsell: UpsellParams,
    pub cross_sell: CrossSellParams,
}

fn ser_types<S: serde::Serializer>(types: &BTreeSet<OpportunityType>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(types.iter().map(|t| t.as_str()))
}

impl Default for ExpansionParams {
    fn default() -> Self {
        ExpansionParams {
            opportunity_types: OpportunityType::ALL.iter().copied().collect(),
            upsell: UpsellParams::default(),
            cross_sell: CrossSellParams::default(),
        }
    }
}

impl ExpansionParams {
    /// The defaults with the caller's `opportunityTypes`: `None` means every type; an empty list is
    /// refused (it would silently answer nothing).
    pub fn for_types(types: Option<&[OpportunityType]>) -> Result<ExpansionParams> {
        let mut params = ExpansionParams::default();
        if let Some(types) = types {
            params.opportunity_types = types.iter().copied().collect();
        }
        if params.opportunity_types.is_empty() {
            return Err(Error::bad_input(
                "opportunityTypes",
                "must name at least one type (omit it for all)",
                OpportunityType::ALL
                    .iter()
                    .map(|t| t.as_str().to_uppercase())
                    .collect::<Vec<_>>()
                    .join(", "),
            ));
        }
        Ok(params)
    }

    /// Checks the types and the embedded 114/115 parameters.
    pub fn validate(&self, catalog: &Catalog) -> Result<()> {
        let types: Vec<OpportunityType> = self.opportunity_types.iter().copied().collect();
        ExpansionParams::for_types(Some(&types))?;
        self.upsell.validate()?;
        self.cross_sell.validate(catalog)
    }
}

/// One opportunity of the pipeline: detected now, persisted earlier, or both (then shown once).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PipelineItem {
    pub client_id: String,
    #[serde(serialize_with = "ser::display")]
    pub opportunity_type: OpportunityType,
    /// The product sold, when there is one (tier, add-on, service or training product).
    pub product_id: Option<String>,
    pub name: String,
    /// Added ARR.
    #[serde(serialize_with = "ser::display")]
    pub value: Money,
    /// 4 decimals. Upsell as 114, cross-sell as 115, the other detected types
    /// clamp(0.05, 0.95, 0.2 + 0.6·health/100 + 0.1·min(seat_utilization, 1)); persisted-only items
    /// keep their stored probability.
    pub probability: f64,
    pub band: ProbabilityBand,
    /// value × probability, rounded half away from zero to the cent; client and portfolio weighted
    /// values are exact sums of these.
    #[serde(serialize_with = "ser::display")]
    pub weighted_value: Money,
    /// `identified` for a new detection; the stored stage for a persisted opportunity.
    #[serde(serialize_with = "ser::display")]
    pub stage: OpportunityStage,
    /// Stable key of a detection (see the module docs of [`detect`]); `None` for manual opportunities.
    pub detection_key: Option<String>,
    /// Stored id (`EXP-n`) when the opportunity is persisted.
    pub opportunity_id: Option<String>,
    /// True when this run's data detects it (false: persisted and no longer, or never, detected).
    pub detected: bool,
    /// The data behind it, in sentences with the real numbers (stored reasons for persisted-only items).
    pub reasons: Vec<String>,
    pub recommended_approach: String,
    /// By band: "within 30 days", "30–60 days", "60–90 days".
    pub timeline: String,
    /// The stored date when persisted with one, else as_of + 30 / 60 / 90 days by band.
    pub expected_close_date: Option<NaiveDate>,
    /// Stored owner of a persisted opportunity.
    pub owner: Option<String>,
}

/// One client's pipeline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClientPipeline {
    pub client_id: String,
    pub client_name: String,
    /// Weighted value descending, then value descending, then type, then key or id.
    pub opportunities: Vec<PipelineItem>,
    /// Σ value.
    #[serde(serialize_with = "ser::display")]
    pub total_pipeline_value: Money,
    /// Σ weighted_value (= Σ value × probability, each to the cent).
    #[serde(serialize_with = "ser::display")]
    pub weighted_value: Money,
    /// Ledger ARR on as_of.
    #[serde(serialize_with = "ser::display")]
    pub current_arr: Money,
    /// current_arr + total_pipeline_value.
    #[serde(serialize_with = "ser::display")]
    pub target_arr: Money,
    /// total_pipeline_value ÷ current_arr, 4 decimals; `None` when current ARR is 0.
    pub expansion_rate_potential: Option<f64>,
}

/// Pipeline of one type across the portfolio.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TypeTotal {
    #[serde(serialize_with = "ser::display")]
    pub opportunity_type: OpportunityType,
    pub count: usize,
    #[serde(serialize_with = "ser::display")]
    pub value: Money,
    #[serde(serialize_with = "ser::display")]
    pub weighted_value: Money,
}

/// A client among the largest pipelines.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TopClient {
    pub client_id: String,
    pub client_name: String,
    pub opportunity_count: usize,
    #[serde(serialize_with = "ser::display")]
    pub total_pipeline_value: Money,
    #[serde(serialize_with = "ser::display")]
    pub weighted_value: Money,
}

/// Portfolio totals; every figure is a sum or count of the client pipelines.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PortfolioSummary {
    pub total_opportunities: usize,
    #[serde(serialize_with = "ser::display")]
    pub total_pipeline_value: Money,
    #[serde(serialize_with = "ser::display")]
    pub weighted_value: Money,
    /// Σ current ARR of the clients listed.
    #[serde(serialize_with = "ser::display")]
    pub current_arr: Money,
    /// One row per requested type, in type order, zero rows included.
    pub by_type: Vec<TypeTotal>,
    pub by_probability: BandCounts,
    /// At most [`TOP_CLIENTS`], in client order (weighted value descending).
    pub top_clients: Vec<TopClient>,
    /// Items detected by this run (new or matching a persisted open opportunity).
    pub detected: usize,
    /// Items that are persisted open opportunities (matched or not).
    pub persisted: usize,
    /// Detections left out because their key belongs to a won or lost opportunity.
    pub suppressed_closed: usize,
}

/// The answer of 116.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExpansionResult {
    pub as_of: NaiveDate,
    pub params: ExpansionParams,
    /// Clients with at least one item: weighted value descending, then total descending, then id.
    pub clients: Vec<ClientPipeline>,
    pub portfolio: PortfolioSummary,
}

/// Runs 116. `clients` must be the whole book (the cross-sell basket counts every active client);
/// `persisted` holds the stored opportunities of those clients (open ones are merged in; won and
/// lost ones only suppress re-detection of their key). `client_id` narrows the output to one client
/// (`NOT_FOUND` when the book lacks it).
pub fn expansion_opportunities(
    catalog: &Catalog,
    clients: &[ClientFacts],
    persisted: &[Opportunity],
    client_id: Option<&str>,
    params: &ExpansionParams,
    as_of: NaiveDate,
) -> Result<ExpansionResult> {
    params.validate(catalog)?;
    let scope = in_scope(clients, client_id)?;
    let basket = MarketBasket::from_book(catalog, clients);
    let detected: Vec<PipelineItem> = scope
        .iter()
        .flat_map(|facts| detect::detect(catalog, &basket, facts, params, as_of))
        .collect();
    let merged = merge::merge(detected, persisted, &scope, &params.opportunity_types, as_of);
    let mut by_client: BTreeMap<String, Vec<PipelineItem>> = BTreeMap::new();
    for item in merged.items {
        by_client.entry(item.client_id.clone()).or_default().push(item);
    }
    let mut pipelines: Vec<ClientPipeline> = scope
        .iter()
        .filter_map(|facts| {
            by_client
                .remove(&facts.client.id)
                .map(|items| client_pipeline(facts, items))
        })
        .collect();
    pipelines.sort_by(|a, b| {
        (b.weighted_value, b.total_pipeline_value, &a.client_id).cmp(&(
            a.weighted_value,
            a.total_pipeline_value,
            &b.client_id,
        ))
    });
    let portfolio = portfolio(&pipelines, &params.opportunity_types, merged.suppressed_closed);
    Ok(ExpansionResult {
        as_of,
        params: params.clone(),
        clients: pipelines,
        portfolio,
    })
}

fn client_pipeline(facts: &ClientFacts, mut items: Vec<PipelineItem>) -> ClientPipeline {
    items.sort_by(|a, b| {
        (
            b.weighted_value,
            b.value,
            a.opportunity_type,
            &a.detection_key,
            &a.opportunity_id,
        )
            .cmp(&(
                a.weighted_value,
                a.value,
                b.opportunity_type,
                &b.detection_key,
                &b.opportunity_id,
            ))
    });
    let total: Money = items.iter().map(|i| i.value).sum();
    ClientPipeline {
        client_id: facts.client.id.clone(),
        client_name: facts.client.name.clone(),
        weighted_value: items.iter().map(|i| i.weighted_value).sum(),
        total_pipeline_value: total,
        current_arr: facts.arr,
        target_arr: facts.arr + total,
        expansion_rate_potential: ratio(total, facts.arr),
        opportunities: items,
    }
}

fn portfolio(
    pipelines: &[ClientPipeline],
    types: &BTreeSet<OpportunityType>,
    suppressed_closed: usize,
) -> PortfolioSummary {
    let items = || pipelines.iter().flat_map(|p| &p.opportunities);
    let mut by_type: BTreeMap<OpportunityType, TypeTotal> = types
        .iter()
        .map(|&t| {
            let row = TypeTotal {
                opportunity_type: t,
                count: 0,
                value: Money::ZERO,
                weighted_value: Money::ZERO,
            };
            (t, row)
        })
        .collect();
    let mut by_probability = BandCounts::default();
    for item in items() {
        if let Some(row) = by_type.get_mut(&item.opportunity_type) {
            row.count += 1;
            row.value += item.value;
            row.weighted_value += item.weighted_value;
        }
        by_probability.add(item.band);
    }
    PortfolioSummary {
        total_opportunities: items().count(),
        total_pipeline_value: pipelines.iter().map(|p| p.total_pipeline_value).sum(),
        weighted_value: pipelines.iter().map(|p| p.weighted_value).sum(),
        current_arr: pipelines.iter().map(|p| p.current_arr).sum(),
        by_type: by_type.into_values().collect(),
        by_probability,
        top_clients: pipelines
            .iter()
            .take(TOP_CLIENTS)
            .map(|p| TopClient {
                client_id: p.client_id.clone(),
                client_name: p.client_name.clone(),
                opportunity_count: p.opportunities.len(),
                total_pipeline_value: p.total_pipeline_value,
                weighted_value: p.weighted_value,
            })
            .collect(),
        detected: items().filter(|i| i.detected).count(),
        persisted: items().filter(|i| i.opportunity_id.is_some()).count(),
        suppressed_closed,
    }
}

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;
