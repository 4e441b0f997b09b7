//! `Contract` and `ContractItem`.
use super::{load_client, Client, Product, Renewal};
use crate::domain;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::*;
use crate::graphql::errors::shared;
use crate::graphql::scalars::{Date, Money};
use async_graphql::{Context, Object, Result, ID};

/// A client agreement; its ARR is the sum of its items.
pub struct Contract(pub domain::Contract);

impl Contract {
    async fn loaded_items(&self, ctx: &Context<'_>) -> Result<crate::graphql::loaders::Shared<domain::ContractItem>> {
        Ok(ctx
            .loaders()
            .items
            .load_one(self.0.id.clone())
            .await
            .map_err(shared)?
            .unwrap_or_default())
    }
}

/// A client agreement; its ARR is the sum of its items.
#[Object]
impl Contract {
    /// `CNT-<n>`.
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    /// Term type.
    async fn contract_type(&self) -> ContractType {
        self.0.contract_type.into()
    }
    /// First day of the term.
    async fn start_date(&self) -> Date {
        self.0.start_date.into()
    }
    /// Last day of the term.
    async fn end_date(&self) -> Date {
        self.0.end_date.into()
    }
    /// When the renewal is due.
    async fn renewal_date(&self) -> Date {
        self.0.renewal_date.into()
    }
    /// Renews unless cancelled.
    async fn auto_renew(&self) -> bool {
        self.0.auto_renew
    }
    /// Days of notice to cancel.
    async fn notice_period_days(&self) -> i32 {
        self.0.notice_period_days
    }
    /// Payment standing.
    async fn payment_status(&self) -> PaymentStatus {
        self.0.payment_status.into()
    }
    /// Licensed seats.
    async fn seats(&self) -> i32 {
        self.0.seats
    }
    /// Discount 0–1 off list.
    async fn discount(&self) -> f64 {
        self.0.discount
    }
    /// Status.
    async fn status(&self) -> ContractStatus {
        self.0.status.into()
    }
    /// ARR: the exact sum of the items.
    async fn arr(&self, ctx: &Context<'_>) -> Result<Money> {
        Ok(Money(self.loaded_items(ctx).await?.iter().map(|i| i.arr).sum()))
    }
    /// Product lines.
    async fn items(&self, ctx: &Context<'_>) -> Result<Vec<ContractItem>> {
        Ok(self
            .loaded_items(ctx)
            .await?
            .iter()
            .cloned()
            .map(ContractItem)
            .collect())
    }
    /// The open renewal, else the latest one.
    async fn renewal(&self, ctx: &Context<'_>) -> Result<Option<Renewal>> {
        let rows = ctx
            .loaders()
            .contract_renewals
            .load_one(self.0.id.clone())
            .await
            .map_err(shared)?
            .unwrap_or_default();
        let open = rows
            .iter()
            .position(|r| r.status == domain::RenewalStatus::Open)
            .unwrap_or(0);
        Ok(rows.get(open).cloned().map(Renewal))
    }
    /// The client.
    async fn client(&self, ctx: &Context<'_>) -> Result<Client> {
        load_client(ctx, &self.0.client_id).await
    }
}

/// One product line of a contract.
pub struct ContractItem(pub domain::ContractItem);

/// One product line of a contract.
#[Object]
impl ContractItem {
    /// Internal id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Seats or units.
    async fn quantity(&self) -> i32 {
        self.0.quantity
    }
    /// ARR of the line.
    async fn arr(&self) -> Money {
        self.0.arr.into()
    }
    /// The product.
    async fn product(&self, ctx: &Context<'_>) -> Result<Option<Product>> {
        Ok(ctx
            .loaders()
            .product
            .load_one(self.0.product_id.clone())
            .await
            .map_err(shared)?
            .map(Product))
    }
}
