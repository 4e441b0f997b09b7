//! `renewal_risk_watch` table: where a renewal stands against the at-risk probability line.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "renewal_risk_watch")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub renewal_id: String,
    pub below: bool,
    pub crossings: i32,
    pub changed_at_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
