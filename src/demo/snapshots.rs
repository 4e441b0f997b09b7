//! Monthly usage and health snapshots: readings of the simulated months within the last 36.
//! Both are dated on the first of the month (usage `period_start`, health `as_of`), which is
//! never after `as_of`, and exist only while the client is a customer.
use super::calendar::{first_of_month, months_before};
use super::state::MonthState;
use super::DemoBook;
use crate::domain::health::trend;
use crate::domain::{HealthSnapshot, UsageSnapshot};
use chrono::NaiveDate;

/// Months of history kept, the current one included.
pub const SNAPSHOT_MONTHS: u32 = 36;

/// Appends the snapshots of `states` that fall in the window ending at `as_of`.
pub(super) fn emit(book: &mut DemoBook, client_id: &str, states: &[MonthState], as_of: NaiveDate) {
    let window_start = months_before(first_of_month(as_of), SNAPSHOT_MONTHS - 1);
    let mut previous: Option<f64> = None;
    for state in states.iter().filter(|s| s.date >= window_start && s.date <= as_of) {
        book.usage.push(UsageSnapshot {
            id: 0,
            client_id: client_id.to_owned(),
            period_start: state.date,
            seats_licensed: state.seats,
            active_users: state.active_users,
            usage_rate: state.usage_rate,
            feature_adoption: state.adoption,
            api_calls: state.api_calls,
            logins: state.logins,
            reports_exported: state.reports,
        });
        book.health.push(HealthSnapshot {
            id: 0,
            client_id: client_id.to_owned(),
            as_of: state.date,
            components: state.components,
            overall_score: state.overall,
            // Against the previous stored snapshot: the first one of a client is stable.
            trend: trend(previous, state.overall),
        });
        previous = Some(state.overall);
    }
}
