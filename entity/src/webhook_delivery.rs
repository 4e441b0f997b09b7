//! `webhook_delivery` table: one event sent to one endpoint, with its attempts.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_delivery")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub delivery_id: String,
    pub endpoint_id: String,
    pub event_seq: i64,
    pub event_type: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at_ms: i64,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub created_at_ms: i64,
    pub last_attempt_at_ms: Option<i64>,
    pub delivered_at_ms: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
