//! Date helpers. The generator never reads the clock: every date and timestamp derives from `as_of`.
use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};

/// `date` plus `months` calendar months (the 31st becomes the month's last day).
pub(super) fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .expect("demo dates stay far from chrono's limits")
}

/// `date` plus `days` days.
pub(super) fn plus_days(date: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        date + Days::new(days as u64)
    } else {
        date - Days::new(days.unsigned_abs())
    }
}

/// The first day of `date`'s month.
pub(super) fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).expect("every month has a first day")
}

/// The first day of the month after `date`'s.
pub(super) fn next_month(date: NaiveDate) -> NaiveDate {
    add_months(first_of_month(date), 1)
}

/// The first month start on or after `date`: snapshots begin once the client is a customer.
pub(super) fn first_month_start_from(date: NaiveDate) -> NaiveDate {
    if date.day() == 1 {
        date
    } else {
        next_month(date)
    }
}

/// `date` at `hour`:00 UTC, for timestamps that must follow the dates they belong to.
pub(super) fn at(date: NaiveDate, hour: u32) -> DateTime<Utc> {
    date.and_hms_opt(hour, 0, 0).expect("hour is below 24").and_utc()
}

/// Unix seconds of `date` at midnight UTC (client ids embed it).
pub(super) fn midnight_unix(date: NaiveDate) -> i64 {
    at(date, 0).timestamp()
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub(super) fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// `date` minus `months` calendar months.
pub(super) fn months_before(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_sub_months(Months::new(months))
        .expect("demo dates stay far from chrono's limits")
}
