//! 114 `upsellOpportunities`, 115 `crossSellOpportunities`, 116 `expansionOpportunities`.
use crate::graphql::context::ContextExt;
use crate::graphql::enums::OpportunityType;
use crate::graphql::item_page::ItemWindow;
use crate::graphql::scalars::Date;
use crate::graphql::types::cross_sell::CrossSellOpportunities;
use crate::graphql::types::pipeline::ExpansionOpportunities;
use crate::graphql::types::upsell::UpsellOpportunities;
use crate::processes::cross_sell::CrossSellParams;
use crate::processes::upsell::UpsellParams;
use crate::services::expansion::{self, ExpansionSettings};
use async_graphql::{Context, Object, Result, ID};

#[derive(Default)]
pub struct ExpansionQueries;

/// The expansion settings of the schema (defaults when absent, e.g. in an SDL-only schema).
pub(super) fn settings(ctx: &Context<'_>) -> ExpansionSettings {
    ctx.data_opt::<ExpansionSettings>().copied().unwrap_or_default()
}

/// The domain types of a GraphQL type list.
pub(super) fn domain_types(types: Option<Vec<OpportunityType>>) -> Option<Vec<crate::domain::OpportunityType>> {
    types.map(|t| t.into_iter().map(Into::into).collect())
}

#[Object]
impl ExpansionQueries {
    /// 114 — Active clients ready for the next tier: healthy, using their plan, with a next rung on
    /// the tier ladder; each with its expansion value, probability and the data behind it.
    // The arguments are the schema's: the process parameters, asOf and the page.
    #[allow(clippy::too_many_arguments)]
    async fn upsell_opportunities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "One client; absent = the whole portfolio.")] client_id: Option<ID>,
        #[graphql(desc = "Minimum latest health score, 0–100 (default 75).", default = 75.0)] min_health_score: f64,
        #[graphql(desc = "Minimum latest usage rate, 0–2 (default 0.70).", default = 0.70)] min_usage_threshold: f64,
        #[graphql(desc = "Date the data is read on; default today (UTC).")] as_of: Option<Date>,
        #[graphql(desc = "Items per page, 1–1000 (default 100); the summary covers all items.")] first: Option<i32>,
        #[graphql(desc = "endCursor of the previous page.")] after: Option<String>,
    ) -> Result<UpsellOpportunities> {
        let params = UpsellParams {
            min_health_score,
            min_usage_threshold,
        };
        let client_id = client_id.as_ref().map(|id| id.as_str());
        let window = ItemWindow::new(first, after)?;
        let result = expansion::upsell(ctx.db(), client_id, &params, ctx.as_of(as_of)).await?;
        Ok(UpsellOpportunities::page(&result, window))
    }

    /// 115 — Add-ons clients lack that clients like them own: market-basket fit over the whole
    /// book, with annual value, probability, the evidence, and a two-product bundle per client.
    // The arguments are the schema's: the process parameters, asOf and the page.
    #[allow(clippy::too_many_arguments)]
    async fn cross_sell_opportunities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "One client; absent = the whole portfolio.")] client_id: Option<ID>,
        #[graphql(desc = "A catalog product family, or `all` (default).", default = "all")] product_family: String,
        #[graphql(desc = "Minimum fit score, 0–1 (default 0.30).", default = 0.30)] min_fit_score: f64,
        #[graphql(desc = "Date the data is read on; default today (UTC).")] as_of: Option<Date>,
        #[graphql(desc = "Items per page, 1–1000 (default 100); the summary covers all items.")] first: Option<i32>,
        #[graphql(desc = "endCursor of the previous page.")] after: Option<String>,
    ) -> Result<CrossSellOpportunities> {
        let params = CrossSellParams {
            product_family,
            min_fit_score,
            bundle_discount: settings(ctx).bundle_discount,
            max_value_ratio: settings(ctx).max_value_ratio,
        };
        let client_id = client_id.as_ref().map(|id| id.as_str());
        let window = ItemWindow::new(first, after)?;
        let result = expansion::cross_sell(ctx.db(), client_id, &params, ctx.as_of(as_of)).await?;
        Ok(CrossSellOpportunities::page(&result, window))
    }

    /// 116 — One pipeline of every expansion type (upsell, cross-sell, user and usage expansion,
    /// services, training), merged with the stored open opportunities, per client and for the
    /// portfolio.
    async fn expansion_opportunities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "One client; absent = the whole portfolio.")] client_id: Option<ID>,
        #[graphql(desc = "Types to detect and show; absent = all.")] opportunity_types: Option<Vec<OpportunityType>>,
        #[graphql(desc = "Date the data is read on; default today (UTC).")] as_of: Option<Date>,
        #[graphql(desc = "Items per page, 1–1000 (default 100); the summary covers all items.")] first: Option<i32>,
        #[graphql(desc = "endCursor of the previous page.")] after: Option<String>,
    ) -> Result<ExpansionOpportunities> {
        let types = domain_types(opportunity_types);
        let params = expansion::expansion_params(types.as_deref(), &settings(ctx))?;
        let client_id = client_id.as_ref().map(|id| id.as_str());
        let window = ItemWindow::new(first, after)?;
        let result = expansion::expansion(ctx.db(), client_id, &params, ctx.as_of(as_of)).await?;
        Ok(ExpansionOpportunities::page(&result, window))
    }
}
