//! `contract_item` table: one product line of a contract.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "contract_item")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub contract_id: String,
    pub product_id: String,
    pub quantity: i32,
    pub arr_cents: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
