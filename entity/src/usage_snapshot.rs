//! `usage_snapshot` table: monthly product usage of a client.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "usage_snapshot")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub client_id: String,
    pub period_start: Date,
    pub seats_licensed: i32,
    pub active_users: i32,
    pub usage_rate: f64,
    pub feature_adoption: f64,
    pub api_calls: i64,
    pub logins: i64,
    pub reports_exported: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
