//! `opportunities` and `revenueEvents`.
use crate::domain::queries::{OpportunityFilter, RevenueEventFilter};
use crate::graphql::connection::{connection, page_request, Paged};
use crate::graphql::context::ContextExt;
use crate::graphql::enums::{OpportunityStage, OpportunityType, RevenueKind};
use crate::graphql::scalars::Date;
use crate::graphql::types::{Opportunity, RevenueEvent};
use crate::services::queries;
use async_graphql::{Context, Object, Result, ID};

#[derive(Default)]
pub struct LedgerQueries;

#[Object]
impl LedgerQueries {
    /// Expansion opportunities, highest value first, as a Relay connection.
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity")]
    #[allow(clippy::too_many_arguments)]
    async fn opportunities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "endCursor of the previous page.")] after: Option<String>,
        #[graphql(desc = "Only this client's.")] client_id: Option<ID>,
        #[graphql(desc = "Only this stage.")] stage: Option<OpportunityStage>,
        #[graphql(desc = "Only this type.")] opportunity_type: Option<OpportunityType>,
        #[graphql(desc = "Hide won and lost.", default = false)] open_only: bool,
    ) -> Result<Paged<Opportunity>> {
        let page = page_request(ctx, first, after)?;
        let filter = OpportunityFilter {
            client_id: client_id.map(|id| id.0),
            stage: stage.map(Into::into),
            opportunity_type: opportunity_type.map(Into::into),
            open_only,
        };
        let rows = queries::opportunities(ctx.db(), &filter, page).await?;
        Ok(connection(page, rows, Opportunity))
    }

    /// The ARR ledger, oldest first, as a Relay connection.
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity")]
    #[allow(clippy::too_many_arguments)]
    async fn revenue_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "endCursor of the previous page.")] after: Option<String>,
        #[graphql(desc = "Only this client's.")] client_id: Option<ID>,
        #[graphql(desc = "On or after this date.")] from: Option<Date>,
        #[graphql(desc = "On or before this date.")] to: Option<Date>,
        #[graphql(desc = "Only this kind.")] kind: Option<RevenueKind>,
    ) -> Result<Paged<RevenueEvent>> {
        let page = page_request(ctx, first, after)?;
        let filter = RevenueEventFilter {
            client_id: client_id.map(|id| id.0),
            from: from.map(|d| d.0),
            to: to.map(|d| d.0),
            kind: kind.map(Into::into),
        };
        let rows = queries::revenue_events(ctx.db(), &filter, page).await?;
        Ok(connection(page, rows, RevenueEvent))
    }
}
