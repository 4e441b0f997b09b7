//! A stored renewal reminder (table `renewal_reminder`): one per renewal and offset.
use super::enums::ReminderStatus;
use chrono::{DateTime, NaiveDate, Utc};

/// A reminder row as the database holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct RenewalReminder {
    pub id: i64,
    pub renewal_id: String,
    /// Days before the renewal date (90, 60, 30 by default).
    pub offset_days: i32,
    /// renewal_date − offset_days, as computed when the row was created.
    pub due_date: NaiveDate,
    pub status: ReminderStatus,
    pub completed_at: Option<DateTime<Utc>>,
    pub note: Option<String>,
}

/// A reminder row to insert (the scheduler's output, in storage terms).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReminderForCreate {
    pub renewal_id: String,
    pub offset_days: i32,
    pub due_date: NaiveDate,
    pub status: ReminderStatus,
}
