//! `event_outbox` table: events written in the transaction of their cause.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "event_outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i64,
    #[sea_orm(unique)]
    pub event_id: String,
    pub event_type: String,
    pub occurred_at_ms: i64,
    pub client_id: Option<String>,
    pub subject_id: Option<String>,
    pub dedupe_key: Option<String>,
    pub payload: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
