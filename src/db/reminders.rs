//! Renewal reminders: idempotent creation, the open renewals' rows, a CSM's due list, completion.
use super::{convert, portable};
use crate::domain::queries::{Page, PageRequest};
use crate::domain::reminder::{ReminderForCreate, RenewalReminder};
use crate::domain::ReminderStatus;
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};
use entity::renewal_reminder::{Column, Entity};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, StreamTrait, Value};

/// Rows per INSERT statement (5 values each, well under both backends' parameter limits).
const INSERT_CHUNK: usize = 500;

/// Inserts the rows that do not exist yet and returns how many were inserted. The unique key
/// (renewal_id, offset_days) makes a row another writer inserted meanwhile a no-op, so concurrent
/// schedulers (several replicas, the timer and the mutation) never create duplicates.
pub async fn insert_missing(db: &impl ConnectionTrait, rows: &[ReminderForCreate], now: DateTime<Utc>) -> Result<u64> {
    let backend = db.get_database_backend();
    let mut inserted = 0;
    for chunk in rows.chunks(INSERT_CHUNK) {
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 5);
        let tuples: Vec<String> = chunk
            .iter()
            .map(|row| {
                let n = values.len();
                values.extend([
                    row.renewal_id.clone().into(),
                    row.offset_days.into(),
                    row.due_date.into(),
                    row.status.as_str().into(),
                    now.into(),
                ]);
                format!("(${}, ${}, ${}, ${}, ${})", n + 1, n + 2, n + 3, n + 4, n + 5)
            })
            .collect();
        let sql = format!(
            "INSERT INTO renewal_reminder (renewal_id, offset_days, due_date, status, created_at) VALUES {} \
             ON CONFLICT (renewal_id, offset_days) DO NOTHING",
            tuples.join(", ")
        );
        inserted += db
            .execute_raw(portable::statement(backend, &sql, values))
            .await?
            .rows_affected();
    }
    Ok(inserted)
}

/// The reminder rows of the open renewals dated on or before `due_by` (of one client when given):
/// what tracking a window ending on `due_by` shows, overdue renewals included.
pub async fn of_open_renewals(
    db: &(impl ConnectionTrait + StreamTrait),
    client_id: Option<&str>,
    due_by: NaiveDate,
) -> Result<Vec<RenewalReminder>> {
    let backend = ConnectionTrait::get_database_backend(db);
    let filter = match client_id {
        Some(id) => portable::expr(
            backend,
            "renewal_reminder.renewal_id IN \
             (SELECT r.id FROM renewal r WHERE r.status = 'open' AND r.renewal_date <= $1 AND r.client_id = $2)",
            vec![due_by.into(), id.into()],
        ),
        None => portable::expr(
            backend,
            "renewal_reminder.renewal_id IN (SELECT r.id FROM renewal r WHERE r.status = 'open' AND r.renewal_date <= $1)",
            vec![due_by.into()],
        ),
    };
    let select = Entity::find().filter(filter).order_by_asc(Column::Id);
    super::read_select(db, select, convert::reminder).await
}

/// One reminder.
pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<Option<RenewalReminder>> {
    Entity::find_by_id(id).one(db).await?.map(convert::reminder).transpose()
}

/// Unfinished reminders of open renewals due on or before `as_of`, of the clients `owner` manages
/// when given: earliest due first.
pub async fn due_page(
    db: &impl ConnectionTrait,
    as_of: NaiveDate,
    owner: Option<&str>,
    page: PageRequest,
) -> Result<Page<RenewalReminder>> {
    let backend = db.get_database_backend();
    let open_renewals = match owner {
        Some(owner) => portable::expr(
            backend,
            "renewal_reminder.renewal_id IN (SELECT r.id FROM renewal r JOIN client c ON c.id = r.client_id \
             WHERE r.status = 'open' AND c.csm_owner = $1)",
            vec![owner.into()],
        ),
        None => portable::expr(
            backend,
            "renewal_reminder.renewal_id IN (SELECT r.id FROM renewal r WHERE r.status = 'open')",
            Vec::new(),
        ),
    };
    let query = Entity::find()
        .filter(Column::Status.is_in([ReminderStatus::Scheduled.as_str(), ReminderStatus::Due.as_str()]))
        .filter(Column::DueDate.lte(as_of))
        .filter(open_renewals);
    let ordered = query
        .order_by_asc(Column::DueDate)
        .order_by_asc(Column::RenewalId)
        .order_by_asc(Column::Id);
    super::paging::fetch(db, ordered, page)
        .await?
        .try_map(convert::reminder)
}

/// Completes or skips an unfinished reminder. Returns false when it was already finished
/// (a concurrent request won): the caller re-reads and answers accordingly.
pub async fn finish(
    db: &impl ConnectionTrait,
    id: i64,
    status: ReminderStatus,
    note: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let result = Entity::update_many()
        .col_expr(Column::Status, Expr::value(status.as_str()))
        .col_expr(Column::CompletedAt, Expr::value(now))
        .col_expr(Column::Note, Expr::value(note.map(str::to_owned)))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.is_in([ReminderStatus::Scheduled.as_str(), ReminderStatus::Due.as_str()]))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Unfinished reminders of open renewals due on or before `today` that have no `reminder.due`
/// event yet (at most `limit`, earliest first): what the scheduler still has to announce.
pub async fn due_without_event(
    db: &impl ConnectionTrait,
    today: NaiveDate,
    limit: u64,
) -> Result<Vec<RenewalReminder>> {
    use sea_orm::QuerySelect;
    let unannounced = portable::expr(
        db.get_database_backend(),
        "renewal_reminder.renewal_id IN (SELECT r.id FROM renewal r WHERE r.status = 'open') AND NOT EXISTS \
         (SELECT 1 FROM event_outbox o WHERE o.dedupe_key = 'reminder.due:' || CAST(renewal_reminder.id AS TEXT))",
        Vec::new(),
    );
    let models = Entity::find()
        .filter(Column::Status.is_in([ReminderStatus::Scheduled.as_str(), ReminderStatus::Due.as_str()]))
        .filter(Column::DueDate.lte(today))
        .filter(unannounced)
        .order_by_asc(Column::DueDate)
        .order_by_asc(Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    convert::all(models, convert::reminder)
}
