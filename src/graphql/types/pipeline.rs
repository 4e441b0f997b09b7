//! 116 — `expansionOpportunities` and `identifyExpansionOpportunities`: GraphQL views of the pure
//! pipeline and of what a detection run stored.
use super::{load_client, Client, Opportunity, Product};
use crate::graphql::context::ContextExt;
use crate::graphql::enums::{OpportunityStage, OpportunityType, ProbabilityBand};
use crate::graphql::errors::shared;
use crate::graphql::item_page::{ItemPage, ItemWindow};
use crate::graphql::scalars::{Date, Money};
use crate::graphql::types::upsell::BandCount;
use crate::processes::expansion as process;
use crate::services::expansion::identify::Identified;
use async_graphql::{ComplexObject, Context, Result, SimpleObject};

/// One pipeline of every expansion type, per client, with portfolio totals.
#[derive(SimpleObject)]
pub struct ExpansionOpportunities {
    /// The date the data is read on.
    pub as_of: Date,
    /// The types detected and shown.
    pub opportunity_types: Vec<OpportunityType>,
    /// Clients with at least one item: weighted value descending, then total, then id.
    pub clients: Vec<ClientPipeline>,
    /// Items of the whole list and this page's cursors (`first` / `after` on the field).
    #[graphql(flatten)]
    pub page: ItemPage,
    /// Portfolio totals.
    pub portfolio: PortfolioSummary,
}

/// One client's pipeline.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ClientPipeline {
    /// The client's id.
    pub client_id: String,
    /// Weighted value descending, then value, then type.
    pub opportunities: Vec<PipelineOpportunity>,
    /// Σ value.
    pub total_pipeline_value: Money,
    /// Σ value × probability (each to the cent).
    pub weighted_value: Money,
    /// Ledger ARR on asOf.
    pub current_arr: Money,
    /// currentArr + totalPipelineValue.
    pub target_arr: Money,
    /// totalPipelineValue ÷ currentArr, 4 decimals; null without ARR.
    pub expansion_rate_potential: Option<f64>,
}

#[ComplexObject]
impl ClientPipeline {
    /// The client.
    async fn client(&self, ctx: &Context<'_>) -> Result<Client> {
        load_client(ctx, &self.client_id).await
    }
}

/// One opportunity of the pipeline: detected now, stored earlier, or both (shown once, with the
/// stored stage).
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct PipelineOpportunity {
    /// The client's id.
    pub client_id: String,
    /// Kind of expansion.
    pub opportunity_type: OpportunityType,
    /// The product sold, when there is one.
    pub product_id: Option<String>,
    /// Short description.
    pub name: String,
    /// ARR it would add.
    pub value: Money,
    /// Chance of winning, 0–1, 4 decimals.
    pub probability: f64,
    /// The probability's band.
    pub probability_band: ProbabilityBand,
    /// value × probability, to the cent.
    pub weighted_value: Money,
    /// IDENTIFIED for a new detection; the stored stage for a stored one.
    pub stage: OpportunityStage,
    /// Stable key of a detection; null for manual opportunities.
    pub detection_key: Option<String>,
    /// Stored id (`EXP-n`) when persisted.
    pub opportunity_id: Option<String>,
    /// True when this run's data detects it.
    pub detected: bool,
    /// The data behind it, with the numbers.
    pub reasons: Vec<String>,
    /// What the CSM should do.
    pub recommended_approach: String,
    /// When to aim to close.
    pub timeline: String,
    /// The stored date, else asOf + 30 / 60 / 90 days by band.
    pub expected_close_date: Option<Date>,
    /// Who works it (stored opportunities).
    pub owner: Option<String>,
}

#[ComplexObject]
impl PipelineOpportunity {
    /// The client.
    async fn client(&self, ctx: &Context<'_>) -> Result<Client> {
        load_client(ctx, &self.client_id).await
    }
    /// The product sold, if any.
    async fn product(&self, ctx: &Context<'_>) -> Result<Option<Product>> {
        let Some(id) = self.product_id.clone() else {
            return Ok(None);
        };
        Ok(ctx.loaders().product.load_one(id).await.map_err(shared)?.map(Product))
    }
}

/// Portfolio totals; each is a sum or count over the client pipelines.
#[derive(SimpleObject)]
pub struct PortfolioSummary {
    /// Items across clients.
    pub total_opportunities: usize,
    /// Σ value.
    pub total_pipeline_value: Money,
    /// Σ value × probability.
    pub weighted_value: Money,
    /// Σ current ARR of the clients listed.
    pub current_arr: Money,
    /// One row per requested type, zero rows included.
    pub by_type: Vec<TypeTotal>,
    /// Items per probability band.
    pub by_probability: BandCount,
    /// The five largest pipelines by weighted value.
    pub top_clients: Vec<TopClient>,
    /// Items this run's data detects.
    pub detected: usize,
    /// Items that are stored open opportunities.
    pub persisted: usize,
    /// Detections left out because their key belongs to a won or lost opportunity.
    pub suppressed_closed: usize,
}

/// The pipeline of one type.
#[derive(SimpleObject)]
pub struct TypeTotal {
    /// The type.
    pub opportunity_type: OpportunityType,
    /// How many items.
    pub count: usize,
    /// Σ value.
    pub value: Money,
    /// Σ value × probability.
    pub weighted_value: Money,
}

/// A client among the largest pipelines.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct TopClient {
    /// The client's id.
    pub client_id: String,
    /// How many items.
    pub opportunity_count: usize,
    /// Σ value.
    pub total_pipeline_value: Money,
    /// Σ value × probability.
    pub weighted_value: Money,
}

#[ComplexObject]
impl TopClient {
    /// The client.
    async fn client(&self, ctx: &Context<'_>) -> Result<Client> {
        load_client(ctx, &self.client_id).await
    }
}

/// What `identifyExpansionOpportunities` stored.
#[derive(SimpleObject)]
pub struct IdentifiedOpportunities {
    /// Detections stored for the first time.
    pub created: usize,
    /// Stored open detections refreshed with new name, value, probability or reasons.
    pub updated: usize,
    /// Stored open detections found as stored.
    pub unchanged: usize,
    /// The stored opportunity of every detection, in pipeline order.
    pub opportunities: Vec<Opportunity>,
}

impl From<Identified> for IdentifiedOpportunities {
    fn from(i: Identified) -> Self {
        IdentifiedOpportunities {
            created: i.created,
            updated: i.updated,
            unchanged: i.unchanged,
            opportunities: i.opportunities.into_iter().map(Opportunity).collect(),
        }
    }
}

impl From<process::PipelineItem> for PipelineOpportunity {
    fn from(i: process::PipelineItem) -> Self {
        PipelineOpportunity {
            client_id: i.client_id,
            opportunity_type: i.opportunity_type.into(),
            product_id: i.product_id,
            name: i.name,
            value: i.value.into(),
            probability: i.probability,
            probability_band: i.band.into(),
            weighted_value: i.weighted_value.into(),
            stage: i.stage.into(),
            detection_key: i.detection_key,
            opportunity_id: i.opportunity_id,
            detected: i.detected,
            reasons: i.reasons,
            recommended_approach: i.recommended_approach,
            timeline: i.timeline,
            expected_close_date: i.expected_close_date.map(Date),
            owner: i.owner,
        }
    }
}

impl From<process::ClientPipeline> for ClientPipeline {
    fn from(p: process::ClientPipeline) -> Self {
        ClientPipeline {
            client_id: p.client_id,
            opportunities: p.opportunities.into_iter().map(Into::into).collect(),
            total_pipeline_value: p.total_pipeline_value.into(),
            weighted_value: p.weighted_value.into(),
            current_arr: p.current_arr.into(),
            target_arr: p.target_arr.into(),
            expansion_rate_potential: p.expansion_rate_potential,
        }
    }
}

impl ExpansionOpportunities {
    /// The page `window` of a (possibly cached, shared) result: only the shown clients are copied.
    pub fn page(r: &process::ExpansionResult, window: ItemWindow) -> Self {
        let (clients, page) = window.slice(&r.clients);
        let shown = process::ExpansionResult {
            as_of: r.as_of,
            params: r.params.clone(),
            clients: clients.to_vec(),
            portfolio: r.portfolio.clone(),
        };
        ExpansionOpportunities { page, ..shown.into() }
    }
}

impl From<process::ExpansionResult> for ExpansionOpportunities {
    fn from(r: process::ExpansionResult) -> Self {
        let p = r.portfolio;
        ExpansionOpportunities {
            as_of: r.as_of.into(),
            opportunity_types: r.params.opportunity_types.into_iter().map(Into::into).collect(),
            page: ItemPage::whole(r.clients.len()),
            clients: r.clients.into_iter().map(Into::into).collect(),
            portfolio: PortfolioSummary {
                total_opportunities: p.total_opportunities,
                total_pipeline_value: p.total_pipeline_value.into(),
                weighted_value: p.weighted_value.into(),
                current_arr: p.current_arr.into(),
                by_type: p
                    .by_type
                    .into_iter()
                    .map(|t| TypeTotal {
                        opportunity_type: t.opportunity_type.into(),
                        count: t.count,
                        value: t.value.into(),
                        weighted_value: t.weighted_value.into(),
                    })
                    .collect(),
                by_probability: p.by_probability.into(),
                top_clients: p
                    .top_clients
                    .into_iter()
                    .map(|c| TopClient {
                        client_id: c.client_id,
                        opportunity_count: c.opportunity_count,
                        total_pipeline_value: c.total_pipeline_value.into(),
                        weighted_value: c.weighted_value.into(),
                    })
                    .collect(),
                detected: p.detected,
                persisted: p.persisted,
                suppressed_closed: p.suppressed_closed,
            },
        }
    }
}
