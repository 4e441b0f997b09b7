//! `audit_log` table: who changed what, for every mutation.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub actor: String,
    pub operation: String,
    pub target_ids: Json,
    pub request_id: Option<String>,
    pub created_at: DateTimeUtc,
    pub actor_token_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
