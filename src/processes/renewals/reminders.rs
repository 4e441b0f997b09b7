//! The 90/60/30-day reminders of a renewal: their dates and statuses, and which rows the
//! scheduler must create so that scheduling is idempotent.
use crate::domain::reminder::RenewalReminder;
use crate::domain::validate::int_range;
use crate::domain::{serde_text, ReminderStatus, Renewal, RenewalStatus};
use crate::error::{Error, Result};
use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::Serialize;
use std::collections::BTreeSet;

/// Reminder offsets when config sets none, in days before the renewal date.
pub const DEFAULT_REMINDER_OFFSETS: [u32; 3] = [90, 60, 30];

/// Checks configured offsets (each 1–730, at least one) and returns them unique, largest first.
pub fn validate_offsets(offsets: &[i64]) -> Result<Vec<u32>> {
    if offsets.is_empty() {
        return Err(Error::bad_input(
            "reminders.offsets",
            "no offsets",
            "at least one of 1–730 days",
        ));
    }
    let mut unique = BTreeSet::new();
    for &offset in offsets {
        unique.insert(int_range("reminders.offsets", offset, 1, 730)? as u32);
    }
    Ok(unique.into_iter().rev().collect())
}

/// renewal_date − offset days.
pub fn due_date(renewal_date: NaiveDate, offset_days: u32) -> NaiveDate {
    renewal_date - Days::new(u64::from(offset_days))
}

/// Completed and skipped are kept as stored; otherwise `due` once the due date is reached
/// (due_date ≤ as_of), else `scheduled`.
pub fn reminder_status(stored: Option<ReminderStatus>, due_date: NaiveDate, as_of: NaiveDate) -> ReminderStatus {
    match stored {
        Some(s @ (ReminderStatus::Completed | ReminderStatus::Skipped)) => s,
        _ if due_date <= as_of => ReminderStatus::Due,
        _ => ReminderStatus::Scheduled,
    }
}

/// Completing or skipping: allowed from scheduled or due; repeating the same final status is a
/// no-op (`Ok(false)`); switching between completed and skipped is a `CONFLICT`.
pub fn check_transition(current: ReminderStatus, target: ReminderStatus) -> Result<bool> {
    match (current, target) {
        (_, ReminderStatus::Scheduled | ReminderStatus::Due) => Err(Error::bad_input(
            "status",
            format!("a reminder cannot be set to {target}"),
            "completed, skipped",
        )),
        (ReminderStatus::Scheduled | ReminderStatus::Due, _) => Ok(true),
        (current, target) if current == target => Ok(false),
        (current, _) => Err(Error::Conflict(format!("the reminder is already {current}"))),
    }
}

/// One reminder of a renewal as shown by `renewals`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReminderView {
    /// The stored row's id; `None` until the scheduler has created it.
    pub id: Option<i64>,
    pub offset_days: u32,
    /// renewal_date − offset_days (recomputed, so a moved renewal date moves its reminders).
    pub due_date: NaiveDate,
    #[serde(with = "serde_text::reminder_status")]
    pub status: ReminderStatus,
    /// due_date − as_of in days; negative once past.
    pub due_in_days: i64,
    pub completed_at: Option<DateTime<Utc>>,
    pub note: Option<String>,
}

/// The reminders of `renewal` for each configured offset (in the given order), merged with the
/// stored rows of that renewal (`stored` may hold rows of other renewals; they are ignored).
pub fn reminder_views<'a>(
    renewal: &Renewal,
    stored: impl IntoIterator<Item = &'a RenewalReminder>,
    offsets: &[u32],
    as_of: NaiveDate,
) -> Vec<ReminderView> {
    let stored: Vec<&RenewalReminder> = stored.into_iter().filter(|r| r.renewal_id == renewal.id).collect();
    offsets
        .iter()
        .map(|&offset| {
            let row = stored
                .iter()
                .copied()
                .find(|r| i64::from(r.offset_days) == i64::from(offset));
            let due = due_date(renewal.renewal_date, offset);
            ReminderView {
                id: row.map(|r| r.id),
                offset_days: offset,
                due_date: due,
                status: reminder_status(row.map(|r| r.status), due, as_of),
                due_in_days: (due - as_of).num_days(),
                completed_at: row.and_then(|r| r.completed_at),
                note: row.and_then(|r| r.note.clone()),
            }
        })
        .collect()
}

/// A reminder row the scheduler must insert.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewReminder {
    pub renewal_id: String,
    pub offset_days: u32,
    pub due_date: NaiveDate,
    /// `due` when the date is already reached, else `scheduled`.
    #[serde(with = "serde_text::reminder_status")]
    pub status: ReminderStatus,
}

/// The (renewal, offset) reminders of open `renewals` that `existing` lacks, ordered by renewal
/// date, renewal id, then largest offset first. Running it again after inserting them yields
/// nothing; the unique key (renewal_id, offset_days) makes concurrent runs safe.
pub fn missing_reminders(
    renewals: &[Renewal],
    existing: &[RenewalReminder],
    offsets: &[u32],
    as_of: NaiveDate,
) -> Vec<NewReminder> {
    let have: BTreeSet<(&str, i64)> = existing
        .iter()
        .map(|r| (r.renewal_id.as_str(), i64::from(r.offset_days)))
        .collect();
    let wanted: BTreeSet<u32> = offsets.iter().copied().collect();
    let mut open: Vec<&Renewal> = renewals.iter().filter(|r| r.status == RenewalStatus::Open).collect();
    open.sort_by(|a, b| (a.renewal_date, &a.id).cmp(&(b.renewal_date, &b.id)));
    open.dedup_by(|a, b| a.id == b.id);
    open.into_iter()
        .flat_map(|renewal| {
            wanted
                .iter()
                .rev()
                .filter(|&&offset| !have.contains(&(renewal.id.as_str(), i64::from(offset))))
                .map(|&offset| {
                    let due = due_date(renewal.renewal_date, offset);
                    NewReminder {
                        renewal_id: renewal.id.clone(),
                        offset_days: offset,
                        due_date: due,
                        status: reminder_status(None, due, as_of),
                    }
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processes::forecast::test_data::{case, date};

    fn stored(id: i64, renewal: &str, offset: i32, status: ReminderStatus) -> RenewalReminder {
        RenewalReminder {
            id,
            renewal_id: renewal.to_owned(),
            offset_days: offset,
            due_date: date("2000-01-01"),
            status,
            completed_at: None,
            note: Some("called".to_owned()),
        }
    }

    #[test]
    fn reminder_dates_cross_leap_days() {
        assert_eq!(due_date(date("2028-03-30"), 30), date("2028-02-29"));
        assert_eq!(due_date(date("2028-05-29"), 90), date("2028-02-29"));
        assert_eq!(due_date(date("2027-05-29"), 90), date("2027-02-28"));
        assert_eq!(due_date(date("2025-01-15"), 60), date("2024-11-16"));
    }

    #[test]
    fn a_reminder_is_due_from_its_date_and_final_statuses_are_kept() {
        let as_of = date("2025-03-01");
        assert_eq!(reminder_status(None, date("2025-03-01"), as_of), ReminderStatus::Due);
        assert_eq!(
            reminder_status(None, date("2025-03-02"), as_of),
            ReminderStatus::Scheduled
        );
        assert_eq!(
            reminder_status(Some(ReminderStatus::Scheduled), date("2025-02-01"), as_of),
            ReminderStatus::Due
        );
        assert_eq!(
            reminder_status(Some(ReminderStatus::Skipped), date("2025-02-01"), as_of),
            ReminderStatus::Skipped
        );
        assert_eq!(
            reminder_status(Some(ReminderStatus::Completed), date("2026-01-01"), as_of),
            ReminderStatus::Completed
        );
    }

    #[test]
    fn views_merge_stored_rows_and_count_days_until_due() {
        let renewal = case("RNW-1", "c1", date("2025-06-30"), 100, true).renewal;
        let rows = [
            stored(7, "RNW-1", 90, ReminderStatus::Completed),
            stored(8, "RNW-2", 60, ReminderStatus::Skipped),
        ];
        let views = reminder_views(&renewal, &rows, &DEFAULT_REMINDER_OFFSETS, date("2025-04-15"));
        let summary: Vec<_> = views
            .iter()
            .map(|v| (v.id, v.offset_days, v.due_date, v.status, v.due_in_days))
            .collect();
        assert_eq!(
            summary,
            vec![
                (Some(7), 90, date("2025-04-01"), ReminderStatus::Completed, -14),
                (None, 60, date("2025-05-01"), ReminderStatus::Scheduled, 16),
                (None, 30, date("2025-05-31"), ReminderStatus::Scheduled, 46),
            ]
        );
        assert_eq!(views[0].note.as_deref(), Some("called"));
    }

    #[test]
    fn missing_reminders_are_created_once_for_open_renewals_only() {
        let open = case("RNW-1", "c1", date("2025-06-30"), 100, true).renewal;
        let mut closed = case("RNW-2", "c2", date("2025-05-30"), 100, true).renewal;
        closed.status = RenewalStatus::Renewed;
        let existing = [stored(1, "RNW-1", 60, ReminderStatus::Scheduled)];
        let as_of = date("2025-04-01");

        let created = missing_reminders(&[open.clone(), closed], &existing, &[30, 90, 60, 90], as_of);

        assert_eq!(
            created,
            vec![
                NewReminder {
                    renewal_id: "RNW-1".into(),
                    offset_days: 90,
                    due_date: date("2025-04-01"),
                    status: ReminderStatus::Due
                },
                NewReminder {
                    renewal_id: "RNW-1".into(),
                    offset_days: 30,
                    due_date: date("2025-05-31"),
                    status: ReminderStatus::Scheduled
                },
            ]
        );
        let mut all = existing.to_vec();
        all.extend(
            created
                .iter()
                .map(|n| stored(9, &n.renewal_id, n.offset_days as i32, n.status)),
        );
        assert!(missing_reminders(&[open], &all, &[30, 90, 60], as_of).is_empty());
    }

    #[test]
    fn offsets_are_checked_deduplicated_and_sorted_largest_first() {
        assert_eq!(validate_offsets(&[30, 90, 60, 30]).unwrap(), vec![90, 60, 30]);
        assert!(validate_offsets(&[]).is_err());
        assert!(validate_offsets(&[0]).is_err());
        assert!(validate_offsets(&[731]).is_err());
    }

    #[test]
    fn reminders_finish_once() {
        use ReminderStatus::*;
        assert!(check_transition(Due, Completed).unwrap());
        assert!(check_transition(Scheduled, Skipped).unwrap());
        assert!(!check_transition(Completed, Completed).unwrap(), "repeating is a no-op");
        assert!(matches!(check_transition(Skipped, Completed), Err(Error::Conflict(_))));
        assert!(matches!(
            check_transition(Due, Scheduled),
            Err(Error::BadUserInput { .. })
        ));
    }
}
