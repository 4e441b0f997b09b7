//! `negotiation` table: a renewal negotiation package and its guardrails.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "negotiation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub client_id: String,
    pub renewal_id: String,
    pub strategy: String,
    pub package: Json,
    pub guardrails: Json,
    pub status: String,
    pub created_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
    /// The negotiation that replaced this one (then it reads back as superseded).
    pub superseded_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
