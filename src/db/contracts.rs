//! Contracts and their items.
use super::{convert, portable};
use crate::domain::inputs::ContractForCreate;
use crate::domain::{Contract, ContractItem, ContractStatus, Money};
use crate::error::Result;
use chrono::{DateTime, Utc};
use entity::{contract, contract_item};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    Statement, StreamTrait,
};

/// The contracts with these ids.
pub async fn by_ids(db: &impl ConnectionTrait, ids: &[String]) -> Result<Vec<Contract>> {
    let models = contract::Entity::find()
        .filter(contract::Column::Id.is_in(ids.iter().cloned()))
        .all(db)
        .await?;
    convert::all(models, convert::contract)
}

/// Every contract that has a renewal (what the forecast's renewal cases need), in one statement.
pub async fn with_renewals(db: &(impl ConnectionTrait + StreamTrait)) -> Result<Vec<Contract>> {
    let sql = format!(
        "SELECT {} FROM contract c WHERE c.id IN (SELECT r.contract_id FROM renewal r)",
        convert::contract_columns("c")
    );
    let statement = sea_orm::Statement::from_string(ConnectionTrait::get_database_backend(db), sql);
    super::read_by_position(db, statement, convert::contract_by_position).await
}

/// Sets a contract's status.
pub async fn set_status(db: &impl ConnectionTrait, id: &str, status: ContractStatus, now: DateTime<Utc>) -> Result<()> {
    contract::Entity::update_many()
        .col_expr(contract::Column::Status, Expr::value(status.as_str()))
        .col_expr(contract::Column::UpdatedAt, Expr::value(now))
        .filter(contract::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Contracts of these clients, newest start first.
pub async fn by_client_ids(db: &impl ConnectionTrait, client_ids: &[String]) -> Result<Vec<Contract>> {
    let models = contract::Entity::find()
        .filter(contract::Column::ClientId.is_in(client_ids.iter().cloned()))
        .order_by_desc(contract::Column::StartDate)
        .order_by_asc(contract::Column::Id)
        .all(db)
        .await?;
    convert::all(models, convert::contract)
}

/// Contracts of these clients, newest start first, each with its items in insertion order — in
/// one statement (a page of clients reads its contracts and their ARR at once).
pub async fn with_items_by_client_ids(
    db: &impl ConnectionTrait,
    client_ids: &[String],
) -> Result<Vec<(Contract, Vec<ContractItem>)>> {
    if client_ids.is_empty() {
        return Ok(Vec::new());
    }
    match db.get_database_backend() {
        DbBackend::Postgres => with_item_arrays(db, client_ids).await,
        backend => with_item_rows(db, backend, client_ids).await,
    }
}

/// PostgreSQL: one row per contract, its items' columns aggregated into arrays (in item order),
/// the clients bound as one array. Against one row per item, a page of 164 contracts sends and
/// decodes 164 rows instead of 501 (server CPU of `contracts { … }` on a page of 50: 1.62 → 1.36 ms).
/// The items are ordered once in the subquery: an `ORDER BY` in each `array_agg` sorts four times.
async fn with_item_arrays(
    db: &impl ConnectionTrait,
    client_ids: &[String],
) -> Result<Vec<(Contract, Vec<ContractItem>)>> {
    const SQL: &str = "SELECT c.*, i.ids AS i_ids, i.product_ids AS i_product_ids, \
           i.quantities AS i_quantities, i.arr_cents AS i_arr_cents \
         FROM contract c LEFT JOIN LATERAL ( \
           SELECT array_agg(n.id) AS ids, array_agg(n.product_id) AS product_ids, \
             array_agg(n.quantity) AS quantities, array_agg(n.arr_cents) AS arr_cents \
           FROM (SELECT m.* FROM contract_item m WHERE m.contract_id = c.id ORDER BY m.id) n) i ON TRUE \
         WHERE c.client_id = ANY($1) ORDER BY c.start_date DESC, c.id";
    let ids: Vec<String> = client_ids.to_vec();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(DbBackend::Postgres, SQL, [ids.into()]))
        .await?;
    rows.iter()
        .map(|row| {
            let contract = convert::contract(contract::Model::from_query_result(row, "")?)?;
            let ids: Vec<i64> = array(row, "i_ids")?;
            let products: Vec<String> = array(row, "i_product_ids")?;
            let (quantities, arrs): (Vec<i32>, Vec<i64>) = (array(row, "i_quantities")?, array(row, "i_arr_cents")?);
            let items = ids
                .into_iter()
                .zip(products)
                .zip(quantities.into_iter().zip(arrs))
                .map(|((id, product_id), (quantity, arr_cents))| ContractItem {
                    id,
                    contract_id: contract.id.clone(),
                    product_id,
                    quantity,
                    arr: Money::from_cents(arr_cents),
                })
                .collect();
            Ok((contract, items))
        })
        .collect()
}

/// A PostgreSQL array column; a contract without items has null arrays (`array_agg` of no rows).
fn array<T>(row: &sea_orm::QueryResult, column: &str) -> Result<Vec<T>>
where
    Vec<T>: sea_orm::TryGetable,
{
    Ok(row.try_get::<Option<Vec<T>>>("", column)?.unwrap_or_default())
}

/// SQLite: one row per item (a contract without items once, with null item columns), by an index
/// seek per contract. (The same join on PostgreSQL hashed all 62,855 items of a 10k book.)
async fn with_item_rows(
    db: &impl ConnectionTrait,
    backend: DbBackend,
    client_ids: &[String],
) -> Result<Vec<(Contract, Vec<ContractItem>)>> {
    let sql = format!(
        "SELECT c.*, {} FROM contract c LEFT JOIN contract_item i ON i.contract_id = c.id \
         WHERE c.client_id IN ({}) ORDER BY c.start_date DESC, c.id, i.id",
        portable::prefixed_columns::<contract_item::Entity>("i"),
        portable::placeholders(1, client_ids.len()),
    );
    let values = client_ids.iter().map(|id| id.as_str().into()).collect();
    let rows = db.query_all_raw(portable::statement(backend, &sql, values)).await?;
    let mut out: Vec<(Contract, Vec<ContractItem>)> = Vec::new();
    for row in &rows {
        // A contract repeats on each of its items' rows: its 14 columns are decoded once.
        let id: String = row.try_get("", "id")?;
        if out.last().is_none_or(|(last, _)| last.id != id) {
            out.push((
                convert::contract(contract::Model::from_query_result(row, "")?)?,
                Vec::new(),
            ));
        }
        if let Some(item) = contract_item::Model::from_query_result_optional(row, "i_")? {
            if let Some((_, items)) = out.last_mut() {
                items.push(convert::contract_item(item)?);
            }
        }
    }
    Ok(out)
}

/// Items of these contracts, in insertion order.
pub async fn items_by_contract_ids(db: &impl ConnectionTrait, contract_ids: &[String]) -> Result<Vec<ContractItem>> {
    let models = contract_item::Entity::find()
        .filter(contract_item::Column::ContractId.is_in(contract_ids.iter().cloned()))
        .order_by_asc(contract_item::Column::Id)
        .all(db)
        .await?;
    convert::all(models, convert::contract_item)
}

/// Does the client already have an active contract?
pub async fn active_for_client(db: &impl ConnectionTrait, client_id: &str) -> Result<Option<Contract>> {
    let model = contract::Entity::find()
        .filter(contract::Column::ClientId.eq(client_id))
        .filter(contract::Column::Status.eq("active"))
        .one(db)
        .await?;
    model.map(convert::contract).transpose()
}

/// How many contracts the client has ever had.
pub async fn count_for_client(db: &impl ConnectionTrait, client_id: &str) -> Result<u64> {
    use sea_orm::PaginatorTrait;
    Ok(contract::Entity::find()
        .filter(contract::Column::ClientId.eq(client_id))
        .count(db)
        .await?)
}

/// Adds a product line to a contract (a won opportunity) and `added_seats` to its seats.
pub async fn add_item(
    db: &impl ConnectionTrait,
    contract_id: &str,
    product_id: &str,
    quantity: i32,
    arr: Money,
    added_seats: i32,
    now: DateTime<Utc>,
) -> Result<()> {
    let item = contract_item::ActiveModel {
        contract_id: Set(contract_id.to_owned()),
        product_id: Set(product_id.to_owned()),
        quantity: Set(quantity),
        arr_cents: Set(arr.cents()),
        ..Default::default()
    };
    contract_item::Entity::insert(item).exec_without_returning(db).await?;
    contract::Entity::update_many()
        .col_expr(
            contract::Column::Seats,
            Expr::col(contract::Column::Seats).add(added_seats),
        )
        .col_expr(contract::Column::UpdatedAt, Expr::value(now))
        .filter(contract::Column::Id.eq(contract_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Inserts an active contract with id `id` and its items.
pub async fn insert(db: &impl ConnectionTrait, id: &str, input: &ContractForCreate, now: DateTime<Utc>) -> Result<()> {
    let model = contract::ActiveModel {
        id: Set(id.to_owned()),
        client_id: Set(input.client_id.clone()),
        contract_type: Set(input.contract_type.as_str().to_owned()),
        start_date: Set(input.start_date),
        end_date: Set(input.end_date),
        renewal_date: Set(input.renewal_date.unwrap_or(input.end_date)),
        auto_renew: Set(input.auto_renew),
        notice_period_days: Set(input.notice_period_days),
        payment_status: Set(input.payment_status.as_str().to_owned()),
        seats: Set(input.seats),
        discount: Set(input.discount),
        status: Set("active".to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    };
    contract::Entity::insert(model).exec_without_returning(db).await?;
    let items = input.items.iter().map(|item| contract_item::ActiveModel {
        contract_id: Set(id.to_owned()),
        product_id: Set(item.product_id.clone()),
        quantity: Set(item.quantity),
        arr_cents: Set(item.arr.cents()),
        ..Default::default()
    });
    contract_item::Entity::insert_many(items)
        .exec_without_returning(db)
        .await?;
    Ok(())
}
