//! `contract` table: a client agreement; its ARR is the sum of its items.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "contract")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub client_id: String,
    pub contract_type: String,
    pub start_date: Date,
    pub end_date: Date,
    pub renewal_date: Date,
    pub auto_renew: bool,
    pub notice_period_days: i32,
    pub payment_status: String,
    pub seats: i32,
    pub discount: f64,
    pub status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
