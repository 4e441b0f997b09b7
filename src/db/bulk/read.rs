//! The whole stored book in memory, table by table in id order (what `export` writes and an
//! import is merged into).
use crate::db::convert;
use crate::domain::Book;
use crate::error::Result;
use entity::*;
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};

/// Every row of the book's tables.
pub async fn load_book(db: &impl ConnectionTrait) -> Result<Book> {
    Ok(Book {
        products: convert::all(
            product::Entity::find()
                .order_by_asc(product::Column::Id)
                .all(db)
                .await?,
            convert::product,
        )?,
        clients: convert::all(
            client::Entity::find().order_by_asc(client::Column::Id).all(db).await?,
            convert::client,
        )?,
        contacts: convert::all(
            contact::Entity::find()
                .order_by_asc(contact::Column::Id)
                .all(db)
                .await?,
            convert::contact,
        )?,
        contracts: convert::all(
            contract::Entity::find()
                .order_by_asc(contract::Column::Id)
                .all(db)
                .await?,
            convert::contract,
        )?,
        contract_items: convert::all(
            contract_item::Entity::find()
                .order_by_asc(contract_item::Column::Id)
                .all(db)
                .await?,
            convert::contract_item,
        )?,
        usage: convert::all(
            usage_snapshot::Entity::find()
                .order_by_asc(usage_snapshot::Column::Id)
                .all(db)
                .await?,
            convert::usage,
        )?,
        health: convert::all(
            health_snapshot::Entity::find()
                .order_by_asc(health_snapshot::Column::Id)
                .all(db)
                .await?,
            convert::health,
        )?,
        renewals: convert::all(
            renewal::Entity::find()
                .order_by_asc(renewal::Column::Id)
                .all(db)
                .await?,
            convert::renewal,
        )?,
        reminders: convert::all(
            renewal_reminder::Entity::find()
                .order_by_asc(renewal_reminder::Column::Id)
                .all(db)
                .await?,
            convert::reminder,
        )?,
        opportunities: convert::all(
            opportunity::Entity::find()
                .order_by_asc(opportunity::Column::Id)
                .all(db)
                .await?,
            convert::opportunity,
        )?,
        revenue_events: convert::all(
            revenue_event::Entity::find()
                .order_by_asc(revenue_event::Column::Id)
                .all(db)
                .await?,
            convert::revenue_event,
        )?,
    })
}
