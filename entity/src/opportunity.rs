//! `opportunity` table: an expansion opportunity, detected or entered by hand.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "opportunity")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub client_id: String,
    #[sea_orm(column_name = "type")]
    pub opportunity_type: String,
    pub product_id: Option<String>,
    pub name: String,
    pub value_cents: i64,
    pub probability: f64,
    pub stage: String,
    pub source: String,
    #[sea_orm(unique)]
    pub detection_key: Option<String>,
    pub reasons: Json,
    pub expected_close_date: Option<Date>,
    pub closed_on: Option<Date>,
    pub owner: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
