//! Contacts of clients.
use super::{convert, portable};
use crate::domain::inputs::ContactForCreate;
use crate::domain::Contact;
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};
use entity::contact::{self, Column, Entity};
use sea_orm::sea_query::IntoCondition;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, StreamTrait};

/// Contacts of these clients, primary first, then by id.
pub async fn by_client_ids(db: &impl ConnectionTrait, client_ids: &[String]) -> Result<Vec<Contact>> {
    let models = Entity::find()
        .filter(Column::ClientId.is_in(client_ids.iter().cloned()))
        .order_by_desc(Column::IsPrimary)
        .order_by_asc(Column::Id)
        .all(db)
        .await?;
    convert::all(models, convert::contact)
}

/// Contacts of the clients with an open renewal dated on or before `due_by` (of one client when
/// given), primary first: the stakeholders of a renewals window ending on `due_by`.
pub async fn of_open_renewals(
    db: &(impl ConnectionTrait + StreamTrait),
    client_id: Option<&str>,
    due_by: NaiveDate,
) -> Result<Vec<Contact>> {
    let backend = ConnectionTrait::get_database_backend(db);
    let filter = match client_id {
        Some(id) => Column::ClientId.eq(id).into_condition(),
        None => portable::expr(
            backend,
            "contact.client_id IN (SELECT r.client_id FROM renewal r WHERE r.status = 'open' AND r.renewal_date <= $1)",
            vec![due_by.into()],
        )
        .into_condition(),
    };
    let select = Entity::find()
        .filter(filter)
        .order_by_desc(Column::IsPrimary)
        .order_by_asc(Column::Id);
    super::read_select(db, select, convert::contact).await
}

/// Inserts a contact; a new primary contact demotes the previous one (one primary per client).
pub async fn insert(db: &impl ConnectionTrait, input: &ContactForCreate, now: DateTime<Utc>) -> Result<Contact> {
    if input.is_primary {
        Entity::update_many()
            .col_expr(Column::IsPrimary, sea_orm::sea_query::Expr::value(false))
            .filter(Column::ClientId.eq(input.client_id.as_str()))
            .exec(db)
            .await?;
    }
    let model = contact::ActiveModel {
        client_id: Set(input.client_id.clone()),
        name: Set(input.name.clone()),
        email: Set(input.email.clone()),
        role: Set(input.role.as_str().to_owned()),
        is_primary: Set(input.is_primary),
        created_at: Set(now),
        ..Default::default()
    };
    let saved = Entity::insert(model).exec_with_returning(db).await?;
    convert::contact(saved)
}
