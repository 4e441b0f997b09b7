//! The demo's renewal task list as a team that works it would have left it on `as_of`: for every
//! open renewal, the reminders whose due date has passed. The newest one is the current task and
//! stays `due`; earlier ones were completed (most, some of them late) or skipped. Reminders still
//! ahead are left to the scheduler, which creates them when they come near.
//!
//! Pure and deterministic, like the rest of the demo: its own random stream drawn from the seed,
//! so adding it changed none of the book's other rows.
use super::calendar::{at, plus_days};
use super::random::Dice;
use crate::domain::reminder::RenewalReminder;
use crate::domain::{Book, ReminderStatus, RenewalStatus};
use crate::processes::renewals::reminders::due_date;
use chrono::NaiveDate;

/// Share of passed, non-current reminders that were skipped rather than completed.
const SKIPPED: f64 = 0.12;
/// Share of completed reminders that were done late (5–20 days after they came due).
const LATE: f64 = 0.2;

/// The passed reminders of `book`'s open renewals on `as_of`, for `offsets` (days before the
/// renewal date), ordered by renewal, then largest offset first.
pub fn worked_reminders(book: &Book, as_of: NaiveDate, seed: u64, offsets: &[u32]) -> Vec<RenewalReminder> {
    let mut dice = Dice::new(seed ^ 0x7265_6d69_6e64_6572); // "reminder"
    let mut offsets = offsets.to_vec();
    offsets.sort_unstable_by(|a, b| b.cmp(a));
    let mut out = Vec::new();
    for renewal in book.renewals.iter().filter(|r| r.status == RenewalStatus::Open) {
        let passed: Vec<(u32, NaiveDate)> = offsets
            .iter()
            .map(|&offset| (offset, due_date(renewal.renewal_date, offset)))
            .filter(|(_, due)| *due <= as_of)
            .collect();
        for (i, &(offset, due)) in passed.iter().enumerate() {
            let current = i + 1 == passed.len();
            let (status, completed_at, note) = if current {
                (ReminderStatus::Due, None, None)
            } else if dice.chance(SKIPPED) {
                let note = "skipped: covered in the quarterly account review";
                (ReminderStatus::Skipped, Some(at(due, 10)), Some(note))
            } else {
                let days = if dice.chance(LATE) {
                    dice.int(5, 20)
                } else {
                    dice.int(0, 3)
                };
                let done = plus_days(due, days).min(as_of);
                (
                    ReminderStatus::Completed,
                    Some(at(done, 15)),
                    Some("called the champion"),
                )
            };
            out.push(RenewalReminder {
                id: 0,
                renewal_id: renewal.id.clone(),
                offset_days: offset as i32,
                due_date: due,
                status,
                completed_at,
                note: note.map(str::to_owned),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{generate, DemoParams};
    use std::collections::{BTreeMap, BTreeSet};

    #[test]
    fn each_open_renewal_with_a_passed_reminder_has_exactly_one_current_task() {
        let as_of: NaiveDate = "2026-11-26".parse().expect("a date");
        let book = generate(&DemoParams {
            clients: 500,
            seed: 42,
            as_of,
        });
        let reminders = &book.reminders;
        assert!(!reminders.is_empty());
        let mut due_per_renewal = BTreeMap::<&str, usize>::new();
        for r in reminders {
            assert!(r.due_date <= as_of, "only passed reminders are written");
            match r.status {
                ReminderStatus::Due => *due_per_renewal.entry(&r.renewal_id).or_default() += 1,
                ReminderStatus::Completed | ReminderStatus::Skipped => {
                    let done = r.completed_at.expect("finished reminders have a time").date_naive();
                    assert!(done >= r.due_date && done <= as_of, "{r:?}");
                }
                ReminderStatus::Scheduled => panic!("a passed reminder is never scheduled: {r:?}"),
            }
        }
        let renewals: BTreeSet<&str> = reminders.iter().map(|r| r.renewal_id.as_str()).collect();
        assert_eq!(
            due_per_renewal.len(),
            renewals.len(),
            "every renewal with reminders has a current one"
        );
        assert!(
            due_per_renewal.values().all(|&n| n == 1),
            "never two current tasks for one renewal"
        );
        let completed = reminders
            .iter()
            .filter(|r| r.status == ReminderStatus::Completed)
            .count();
        let skipped = reminders.iter().filter(|r| r.status == ReminderStatus::Skipped).count();
        assert!(
            completed > 3 * skipped && skipped > 0,
            "{completed} completed, {skipped} skipped"
        );
        let late = reminders
            .iter()
            .filter(|r| r.status == ReminderStatus::Completed)
            .filter(|r| {
                r.completed_at
                    .is_some_and(|at| (at.date_naive() - r.due_date).num_days() >= 5)
            })
            .count();
        assert!(late > 0 && late < completed, "{late} of {completed} done late");
    }

    #[test]
    fn a_renewal_whose_reminders_have_not_started_has_none() {
        let as_of: NaiveDate = "2026-11-26".parse().expect("a date");
        let book = generate(&DemoParams {
            clients: 200,
            seed: 7,
            as_of,
        });
        let with_reminders: BTreeSet<&str> = book.reminders.iter().map(|r| r.renewal_id.as_str()).collect();
        for renewal in book.renewals.iter().filter(|r| r.status == RenewalStatus::Open) {
            let started = due_date(renewal.renewal_date, 90) <= as_of;
            assert_eq!(with_reminders.contains(renewal.id.as_str()), started, "{renewal:?}");
        }
        let closed: BTreeSet<&str> = book
            .renewals
            .iter()
            .filter(|r| r.status != RenewalStatus::Open)
            .map(|r| r.id.as_str())
            .collect();
        assert!(book.reminders.iter().all(|r| !closed.contains(r.renewal_id.as_str())));
    }
}
