//! `renewal_reminder` table: a 90/60/30-day reminder of a renewal.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "renewal_reminder")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub renewal_id: String,
    pub offset_days: i32,
    pub due_date: Date,
    pub status: String,
    pub completed_at: Option<DateTimeUtc>,
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
