//! `Product`.
use crate::domain;
use crate::graphql::enums::{Pricing, ProductKind};
use crate::graphql::scalars::Money;
use async_graphql::{Object, ID};

/// A catalog product: a tier, an add-on or a service.
pub struct Product(pub domain::Product);

/// A catalog product: a tier, an add-on or a service.
#[Object]
impl Product {
    /// Product code.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Family (`platform`, `analytics`, `integrations`, `support`, `services`, `training`, …).
    async fn family(&self) -> &str {
        &self.0.family
    }
    /// Tier, add-on or service.
    async fn kind(&self) -> ProductKind {
        self.0.kind.into()
    }
    /// Rung on the tier ladder (tiers only; higher is bigger).
    async fn tier_rank(&self) -> Option<i32> {
        self.0.tier_rank
    }
    /// Per seat or flat.
    async fn pricing(&self) -> Pricing {
        self.0.pricing.into()
    }
    /// Annual list price (per seat for per-seat products).
    async fn annual_price(&self) -> Money {
        self.0.annual_price.into()
    }
}
