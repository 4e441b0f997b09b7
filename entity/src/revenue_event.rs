//! `revenue_event` table: the ARR ledger: every change of a client ARR, signed.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "revenue_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub client_id: String,
    pub occurred_on: Date,
    pub kind: String,
    pub category: String,
    pub arr_delta_cents: i64,
    pub contract_id: Option<String>,
    pub opportunity_id: Option<String>,
    pub renewal_id: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
