//! Whole-book reads of the expansion processes (114–116). Each is one statement over every client,
//! so loading the book costs the same number of statements for 10 clients as for 10,000.
use super::{convert, portable};
use crate::domain::{Contract, ContractItem, UsageSnapshot};
use crate::error::Result;
use chrono::NaiveDate;
use entity::{contract, contract_item, usage_snapshot};
use sea_orm::{ConnectionTrait, EntityTrait};

/// The months between a client's latest usage snapshot and the base of its active-user growth.
pub const GROWTH_MONTHS: u32 = 6;

/// The base of each client's 6-month active-user growth: the newest usage snapshot dated on or
/// before (its latest snapshot on or before `as_of`) − 6 months — `processes::facts::usage_window`
/// for the whole book in one grouped join, without loading the history.
pub async fn usage_growth_base_all(db: &impl ConnectionTrait, as_of: NaiveDate) -> Result<Vec<UsageSnapshot>> {
    let backend = db.get_database_backend();
    let limit = portable::months_before(backend, "l.latest", GROWTH_MONTHS);
    let sql = format!(
        "SELECT u.* FROM usage_snapshot u JOIN (SELECT b.client_id, MAX(b.period_start) AS base FROM usage_snapshot b \
         JOIN (SELECT client_id, MAX(period_start) AS latest FROM usage_snapshot WHERE period_start <= $1 GROUP BY client_id) l \
         ON l.client_id = b.client_id WHERE b.period_start <= {limit} GROUP BY b.client_id) w \
         ON w.client_id = u.client_id AND w.base = u.period_start"
    );
    let statement = portable::statement(backend, &sql, vec![as_of.into()]);
    let models = usage_snapshot::Entity::find().from_raw_sql(statement).all(db).await?;
    convert::all(models, convert::usage)
}

/// Contracts in force on `as_of`: started on or before it and either still active or with a term
/// that covers it. The active one wins today; for an earlier `as_of` the contract of that term.
const IN_FORCE: &str = "c.start_date <= $1 AND (c.status = 'active' OR c.end_date >= $1)";

/// Every contract in force on `as_of` (see [`IN_FORCE`]), latest start first per client.
pub async fn contracts_in_force(db: &impl ConnectionTrait, as_of: NaiveDate) -> Result<Vec<Contract>> {
    let sql = format!("SELECT c.* FROM contract c WHERE {IN_FORCE} ORDER BY c.client_id, c.start_date DESC, c.id");
    let statement = portable::statement(db.get_database_backend(), &sql, vec![as_of.into()]);
    let models = contract::Entity::find().from_raw_sql(statement).all(db).await?;
    convert::all(models, convert::contract)
}

/// The items of every contract in force on `as_of`, in insertion order.
pub async fn items_in_force(db: &impl ConnectionTrait, as_of: NaiveDate) -> Result<Vec<ContractItem>> {
    let sql = format!(
        "SELECT ci.* FROM contract_item ci JOIN contract c ON c.id = ci.contract_id WHERE {IN_FORCE} ORDER BY ci.id"
    );
    let statement = portable::statement(db.get_database_backend(), &sql, vec![as_of.into()]);
    let models = contract_item::Entity::find().from_raw_sql(statement).all(db).await?;
    convert::all(models, convert::contract_item)
}
