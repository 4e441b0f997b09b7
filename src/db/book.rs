//! Whole-book reads of the expansion processes (114–116). Each is one statement over every client,
//! so loading the book costs the same number of statements for 10 clients as for 10,000.
use super::convert;
use super::portable::{self, Snapshots};
use crate::domain::{Contract, ContractItem, UsageSnapshot};
use crate::error::Result;
use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, StreamTrait};

/// The months between a client's latest usage snapshot and the base of its active-user growth.
pub const GROWTH_MONTHS: u32 = 6;

/// The base of each client's 6-month active-user growth: the newest usage snapshot dated on or
/// before (its latest snapshot on or before `as_of`) − 6 months — `processes::facts::usage_window`
/// for the whole book in one statement, without loading the history: the latest month per client
/// comes from [`portable::newest_rows`], then one index seek finds the base (unique index
/// `(client_id, period_start)`).
pub async fn usage_growth_base_all(
    db: &(impl ConnectionTrait + StreamTrait),
    as_of: NaiveDate,
) -> Result<Vec<UsageSnapshot>> {
    let backend = ConnectionTrait::get_database_backend(db);
    let latest = portable::newest_rows(backend, Snapshots::Usage, "$1");
    let limit = portable::months_before(backend, "k.period_start", GROWTH_MONTHS);
    let join = portable::newest_snapshot_join(backend, Snapshots::Usage, "u", "k.client_id", &limit, false);
    let sql = format!("SELECT u.* FROM ({latest}) k {join}");
    let statement = portable::statement(backend, &sql, vec![as_of.into()]);
    super::read_models(db, statement, convert::usage).await
}

/// Contracts in force on `as_of`: started on or before it and either still active or with a term
/// that covers it. The active one wins today; for an earlier `as_of` the contract of that term.
const IN_FORCE: &str = "c.start_date <= $1 AND (c.status = 'active' OR c.end_date >= $1)";

/// Every contract in force on `as_of` (see [`IN_FORCE`]), latest start first per client.
pub async fn contracts_in_force(db: &(impl ConnectionTrait + StreamTrait), as_of: NaiveDate) -> Result<Vec<Contract>> {
    let columns = convert::contract_columns("c");
    let sql =
        format!("SELECT {columns} FROM contract c WHERE {IN_FORCE} ORDER BY c.client_id, c.start_date DESC, c.id");
    let statement = portable::statement(ConnectionTrait::get_database_backend(db), &sql, vec![as_of.into()]);
    super::read_by_position(db, statement, convert::contract_by_position).await
}

/// The items of every contract in force on `as_of`, in insertion order.
pub async fn items_in_force(db: &(impl ConnectionTrait + StreamTrait), as_of: NaiveDate) -> Result<Vec<ContractItem>> {
    let sql = format!(
        "SELECT ci.* FROM contract_item ci JOIN contract c ON c.id = ci.contract_id WHERE {IN_FORCE} ORDER BY ci.id"
    );
    let statement = portable::statement(ConnectionTrait::get_database_backend(db), &sql, vec![as_of.into()]);
    super::read_models(db, statement, convert::contract_item).await
}
