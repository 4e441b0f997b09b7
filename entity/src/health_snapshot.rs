//! `health_snapshot` table: a dated health score with its weighted components.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "health_snapshot")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub client_id: String,
    pub as_of: Date,
    pub usage_score: i32,
    pub engagement_score: i32,
    pub support_score: i32,
    pub satisfaction_score: i32,
    pub payment_score: i32,
    pub overall_score: f64,
    pub trend: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
