//! 117 reminders as rows: creating the missing ones (the mutation, and the server's timer at
//! startup and every `reminders.interval` seconds), a CSM's due list, completing and skipping.
use super::RequestContext;
use crate::db::{self, Db};
use crate::domain::queries::{Page, PageRequest};
use crate::domain::reminder::{ReminderForCreate, RenewalReminder};
use crate::domain::validate::optional_text;
use crate::domain::ReminderStatus;
use crate::error::{Error, Result};
use crate::processes::renewals::{check_transition, missing_reminders, validate_window_days};
use crate::services::retry;
use chrono::{Days, NaiveDate};

/// The configured reminder offsets, checked, largest first (schema-wide data).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReminderOffsets(pub Vec<u32>);

/// The window `scheduleRenewalReminders` and the timer look ahead by default.
pub const DEFAULT_SCHEDULE_DAYS: i64 = 120;

/// The missing reminder rows of open renewals dated in [as_of, as_of + days].
async fn missing(db: &Db, offsets: &[u32], days: i64, as_of: NaiveDate) -> Result<Vec<ReminderForCreate>> {
    let days = validate_window_days(days)?;
    let window_end = as_of + Days::new(days as u64);
    let renewals = db::renewals::open_between(db, as_of, window_end).await?;
    if renewals.is_empty() {
        return Ok(Vec::new());
    }
    let existing = db::reminders::of_open_renewals(db, None, window_end).await?;
    Ok(missing_reminders(&renewals, &existing, offsets, as_of)
        .into_iter()
        .map(|n| ReminderForCreate {
            renewal_id: n.renewal_id,
            offset_days: n.offset_days as i32,
            due_date: n.due_date,
            status: n.status,
        })
        .collect())
}

/// Inserts the rows (a row another writer created meanwhile is skipped by the unique key) and the
/// audit row, in one transaction. Reads happen before it, so on SQLite the transaction starts by
/// writing and never has to upgrade a read lock.
async fn insert(db: &Db, rc: &RequestContext, rows: &[ReminderForCreate], audit_empty: bool) -> Result<u64> {
    retry::transient(|| insert_once(db, rc, rows, audit_empty)).await
}

async fn insert_once(db: &Db, rc: &RequestContext, rows: &[ReminderForCreate], audit_empty: bool) -> Result<u64> {
    if rows.is_empty() && !audit_empty {
        return Ok(0);
    }
    let txn = db::write::begin(db).await?;
    let created = db::reminders::insert_missing(&txn, rows, rc.now).await?;
    if created > 0 || audit_empty {
        let mut renewal_ids: Vec<&str> = rows.iter().map(|r| r.renewal_id.as_str()).collect();
        renewal_ids.dedup();
        db::audit::record(
            &txn,
            &rc.actor,
            "scheduleRenewalReminders",
            &renewal_ids,
            &rc.request_id,
            rc.now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(created)
}

/// `scheduleRenewalReminders`: creates the missing reminders of open renewals due within `days`
/// of `as_of`; returns how many rows it created (0 when run again).
pub async fn schedule(db: &Db, rc: &RequestContext, offsets: &[u32], days: i64, as_of: NaiveDate) -> Result<u64> {
    let rows = missing(db, offsets, days, as_of).await?;
    insert(db, rc, &rows, true).await
}

/// The server's scheduler run: the same job over the default window (widened to the largest
/// offset), audited only when it created rows.
pub async fn run_scheduler(db: &Db, rc: &RequestContext, offsets: &[u32]) -> Result<u64> {
    let largest = offsets.iter().copied().max().map_or(0, i64::from);
    let rows = missing(db, offsets, DEFAULT_SCHEDULE_DAYS.max(largest), rc.today()).await?;
    insert(db, rc, &rows, false).await
}

/// `dueReminders`: unfinished reminders of open renewals due on or before `as_of`, of `owner`'s
/// clients when given.
pub async fn due(db: &Db, as_of: NaiveDate, owner: Option<&str>, page: PageRequest) -> Result<Page<RenewalReminder>> {
    let owner = optional_text("owner", owner, 200)?;
    db::reminders::due_page(db, as_of, owner.as_deref(), page).await
}

/// `completeReminder` / `skipReminder`: finishes a scheduled or due reminder with an optional
/// note. Repeating the same finish is a no-op; switching between completed and skipped is a
/// `CONFLICT`.
pub async fn finish(
    db: &Db,
    rc: &RequestContext,
    id: i64,
    target: ReminderStatus,
    note: Option<&str>,
) -> Result<RenewalReminder> {
    retry::transient(|| finish_once(db, rc, id, target, note)).await
}

async fn finish_once(
    db: &Db,
    rc: &RequestContext,
    id: i64,
    target: ReminderStatus,
    note: Option<&str>,
) -> Result<RenewalReminder> {
    let note = optional_text("note", note, 2000)?;
    let txn = db::write::begin(db).await?;
    let reminder = db::reminders::get(&txn, id)
        .await?
        .ok_or_else(|| Error::not_found("reminder", id))?;
    if !check_transition(reminder.status, target)? {
        return Ok(reminder);
    }
    if !db::reminders::finish(&txn, id, target, note.as_deref(), rc.now).await? {
        return Err(Error::Conflict(format!("reminder {id} was finished meanwhile")));
    }
    let operation = match target {
        ReminderStatus::Skipped => "skipReminder",
        _ => "completeReminder",
    };
    let id_text = id.to_string();
    let targets = [reminder.renewal_id.as_str(), id_text.as_str()];
    db::audit::record(&txn, &rc.actor, operation, &targets, &rc.request_id, rc.now).await?;
    txn.commit().await?;
    Ok(RenewalReminder {
        status: target,
        completed_at: Some(rc.now),
        note,
        ..reminder
    })
}
