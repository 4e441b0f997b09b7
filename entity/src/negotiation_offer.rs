//! `negotiation_offer` table: an offer made during a negotiation.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "negotiation_offer")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub negotiation_id: String,
    pub arr_cents: i64,
    pub term_months: i32,
    pub discount: f64,
    pub approved_by: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
