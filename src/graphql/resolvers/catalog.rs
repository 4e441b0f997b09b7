//! `products` and `contract`.
use crate::graphql::context::ContextExt;
use crate::graphql::types::{Contract, Product};
use crate::services::queries;
use async_graphql::{Context, Object, Result, ID};

#[derive(Default)]
pub struct CatalogQueries;

#[Object]
impl CatalogQueries {
    /// The product catalog: tiers (by rank) and add-ons, by family.
    async fn products(&self, ctx: &Context<'_>) -> Result<Vec<Product>> {
        Ok(queries::products(ctx.db()).await?.into_iter().map(Product).collect())
    }

    /// One contract by id (`CNT-<n>`); `NOT_FOUND` when there is none.
    async fn contract(&self, ctx: &Context<'_>, #[graphql(desc = "Contract id.")] id: ID) -> Result<Contract> {
        Ok(Contract(queries::contract(ctx.db(), &id).await?))
    }
}
