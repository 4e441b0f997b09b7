//! The product catalog.
use super::RequestContext;
use crate::db::{self, Db};
use crate::domain::inputs::ProductForCreate;
use crate::domain::Product;
use crate::error::{Error, Result};
use crate::services::retry;

/// Adds a product; an existing code is a `CONFLICT`.
pub async fn create_product(db: &Db, rc: &RequestContext, input: ProductForCreate) -> Result<Product> {
    retry::transient(|| create_product_once(db, rc, input.clone())).await
}

async fn create_product_once(db: &Db, rc: &RequestContext, input: ProductForCreate) -> Result<Product> {
    let input = input.validate()?;
    let txn = db::write::begin(db).await?;
    if !db::products::by_ids(&txn, std::slice::from_ref(&input.id))
        .await?
        .is_empty()
    {
        return Err(Error::Conflict(format!("product {} already exists", input.id)));
    }
    db::products::insert(&txn, &input, rc.now).await?;
    db::audit::record(&txn, &rc.actor, "createProduct", &[&input.id], &rc.request_id, rc.now).await?;
    txn.commit().await?;
    Ok(Product {
        id: input.id,
        name: input.name,
        family: input.family,
        kind: input.kind,
        tier_rank: input.tier_rank,
        pricing: input.pricing,
        annual_price: input.annual_price,
    })
}
