//! The calendar periods of 120: months, quarters or years, oldest first; the last one contains
//! `as_of` and is cut there.
use crate::domain::validate;
use crate::error::{Error, Result};
use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;
use std::collections::BTreeSet;

/// The most periods one report may ask for.
pub const MAX_PERIODS: i64 = 24;

/// The length of the periods a revenue report is cut into.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TimePeriod {
    /// Calendar months.
    Monthly,
    /// Calendar quarters (Jan–Mar, Apr–Jun, Jul–Sep, Oct–Dec).
    #[default]
    Quarterly,
    /// Calendar years.
    Yearly,
}

impl TimePeriod {
    /// Every value, shortest first.
    pub const ALL: &'static [TimePeriod] = &[TimePeriod::Monthly, TimePeriod::Quarterly, TimePeriod::Yearly];

    /// The GraphQL name: `MONTHLY`, `QUARTERLY`, `YEARLY`.
    pub fn as_str(self) -> &'static str {
        match self {
            TimePeriod::Monthly => "MONTHLY",
            TimePeriod::Quarterly => "QUARTERLY",
            TimePeriod::Yearly => "YEARLY",
        }
    }

    /// Parses a name in any case (`quarterly` over MCP, `QUARTERLY` in GraphQL); an unknown name is
    /// a `BAD_USER_INPUT` on `field` listing the allowed ones.
    pub fn parse(field: &str, text: &str) -> Result<Self> {
        let wanted = text.trim();
        Self::ALL
            .iter()
            .copied()
            .find(|p| p.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| Error::bad_input(field, format!("unknown time period `{text}`"), Self::allowed()))
    }

    /// The allowed names, comma-separated.
    pub fn allowed() -> String {
        Self::ALL.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ")
    }

    /// Calendar months per period.
    fn months(self) -> i32 {
        match self {
            TimePeriod::Monthly => 1,
            TimePeriod::Quarterly => 3,
            TimePeriod::Yearly => 12,
        }
    }

    /// `2024-02`, `2024-Q1` or `2024` for the period starting on `start`.
    fn label(self, start: NaiveDate) -> String {
        match self {
            TimePeriod::Monthly => start.format("%Y-%m").to_string(),
            TimePeriod::Quarterly => format!("{}-Q{}", start.year(), start.month0() / 3 + 1),
            TimePeriod::Yearly => start.year().to_string(),
        }
    }
}

/// One reporting period `[start, end]`, both days included.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Period {
    /// `2024-Q3`, `2024-02`, `2024`, or `trailing 12 months to 2024-09-30`.
    pub label: String,
    /// First day, `s`.
    pub start: NaiveDate,
    /// Last day, `e`: the calendar end, or `as_of` when the period is still running.
    pub end: NaiveDate,
    /// False when the period is cut at `as_of` before its last calendar day.
    pub complete: bool,
}

impl Period {
    /// The trailing twelve months of 121: `[as_of − 364 days, as_of]`, 365 days, complete.
    pub fn trailing_year(as_of: NaiveDate) -> Period {
        Period {
            label: format!("trailing 12 months to {as_of}"),
            start: as_of.checked_sub_days(Days::new(364)).unwrap_or(NaiveDate::MIN),
            end: as_of,
            complete: true,
        }
    }

    /// `s − 1`: the day whose closing ARR is the period's starting ARR.
    pub fn opening_date(&self) -> NaiveDate {
        self.start.pred_opt().unwrap_or(NaiveDate::MIN)
    }
}

/// The `count` (1–24) most recent calendar periods up to `as_of`, oldest first. The last contains
/// `as_of` and ends there (`complete` only when `as_of` is its last calendar day); earlier ones are full.
pub fn periods(time_period: TimePeriod, count: i64, as_of: NaiveDate) -> Result<Vec<Period>> {
    validate::int_range("periods", count, 1, MAX_PERIODS)?;
    let step = time_period.months();
    let month_index = as_of.year() * 12 + as_of.month0() as i32;
    let last_start = month_index - month_index.rem_euclid(step);
    (0..count as i32)
        .rev()
        .map(|back| {
            let start_index = last_start - back * step;
            let start = month_start(start_index)?;
            let calendar_end = month_start(start_index + step)?.pred_opt().ok_or_else(out_of_range)?;
            let end = calendar_end.min(as_of);
            Ok(Period {
                label: time_period.label(start),
                start,
                end,
                complete: end == calendar_end,
            })
        })
        .collect()
}

/// The distinct dates whose closing ARR the given periods need (each `s − 1` and `e`), ascending:
/// what one SQL pass over the ledger aggregates per client.
pub fn edge_dates(periods: &[Period]) -> Vec<NaiveDate> {
    let edges: BTreeSet<NaiveDate> = periods.iter().flat_map(|p| [p.opening_date(), p.end]).collect();
    edges.into_iter().collect()
}

/// The first day of the month `index` = year × 12 + month0.
fn month_start(index: i32) -> Result<NaiveDate> {
    NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1).ok_or_else(out_of_range)
}

fn out_of_range() -> Error {
    Error::bad_input("asOf", "too far from today", "a date between the years 1 and 9999")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().expect("test date")
    }

    fn spans(periods: &[Period]) -> Vec<(String, String, String, bool)> {
        periods
            .iter()
            .map(|p| (p.label.clone(), p.start.to_string(), p.end.to_string(), p.complete))
            .collect()
    }

    fn span(label: &str, start: &str, end: &str, complete: bool) -> (String, String, String, bool) {
        (label.into(), start.into(), end.into(), complete)
    }

    #[test]
    fn quarters_are_calendar_quarters_oldest_first_and_the_last_is_cut_at_as_of() {
        let got = periods(TimePeriod::Quarterly, 3, date("2024-08-15")).unwrap();
        assert_eq!(
            spans(&got),
            vec![
                span("2024-Q1", "2024-01-01", "2024-03-31", true),
                span("2024-Q2", "2024-04-01", "2024-06-30", true),
                span("2024-Q3", "2024-07-01", "2024-08-15", false),
            ]
        );
    }

    #[test]
    fn quarters_cross_a_year_boundary() {
        let got = periods(TimePeriod::Quarterly, 2, date("2024-01-10")).unwrap();
        assert_eq!(
            spans(&got),
            vec![
                span("2023-Q4", "2023-10-01", "2023-12-31", true),
                span("2024-Q1", "2024-01-01", "2024-01-10", false),
            ]
        );
    }

    #[test]
    fn as_of_on_the_first_day_gives_a_one_day_incomplete_period() {
        let got = periods(TimePeriod::Quarterly, 1, date("2024-04-01")).unwrap();
        assert_eq!(spans(&got), vec![span("2024-Q2", "2024-04-01", "2024-04-01", false)]);
        assert_eq!(got[0].opening_date(), date("2024-03-31"));
    }

    #[test]
    fn as_of_on_the_last_day_completes_the_period() {
        let got = periods(TimePeriod::Quarterly, 1, date("2024-06-30")).unwrap();
        assert_eq!(spans(&got), vec![span("2024-Q2", "2024-04-01", "2024-06-30", true)]);
        let got = periods(TimePeriod::Yearly, 1, date("2024-12-31")).unwrap();
        assert_eq!(spans(&got), vec![span("2024", "2024-01-01", "2024-12-31", true)]);
    }

    #[test]
    fn february_of_a_leap_year_ends_on_the_29th() {
        let got = periods(TimePeriod::Monthly, 3, date("2024-03-15")).unwrap();
        assert_eq!(
            spans(&got),
            vec![
                span("2024-01", "2024-01-01", "2024-01-31", true),
                span("2024-02", "2024-02-01", "2024-02-29", true),
                span("2024-03", "2024-03-01", "2024-03-15", false),
            ]
        );
        let leap_day = periods(TimePeriod::Monthly, 1, date("2024-02-29")).unwrap();
        assert!(leap_day[0].complete);
        let day_before = periods(TimePeriod::Monthly, 1, date("2024-02-28")).unwrap();
        assert!(!day_before[0].complete);
        let common_year = periods(TimePeriod::Monthly, 1, date("2023-02-28")).unwrap();
        assert!(common_year[0].complete);
    }

    #[test]
    fn years_are_calendar_years() {
        let got = periods(TimePeriod::Yearly, 3, date("2024-02-29")).unwrap();
        assert_eq!(
            spans(&got),
            vec![
                span("2022", "2022-01-01", "2022-12-31", true),
                span("2023", "2023-01-01", "2023-12-31", true),
                span("2024", "2024-01-01", "2024-02-29", false),
            ]
        );
    }

    #[test]
    fn twenty_four_months_span_two_years_and_touch_end_to_start() {
        let got = periods(TimePeriod::Monthly, 24, date("2024-12-31")).unwrap();
        assert_eq!(got.len(), 24);
        assert_eq!(got[0].start, date("2023-01-01"));
        assert!(got.windows(2).all(|w| w[0].end.succ_opt() == Some(w[1].start)));
        assert_eq!(edge_dates(&got).len(), 25, "24 adjacent periods share edges");
    }

    #[test]
    fn the_trailing_year_is_365_days_ending_on_as_of() {
        let window = Period::trailing_year(date("2024-09-30"));
        assert_eq!((window.start, window.end), (date("2023-10-02"), date("2024-09-30")));
        assert_eq!(window.opening_date(), date("2023-10-01"));
        let leap = Period::trailing_year(date("2024-02-29"));
        assert_eq!(leap.start, date("2023-03-02"));
    }

    #[test]
    fn period_counts_outside_1_to_24_are_refused() {
        for count in [0, 25, -1] {
            match periods(TimePeriod::Monthly, count, date("2024-01-01")) {
                Err(Error::BadUserInput { field, allowed, .. }) => {
                    assert_eq!(field, "periods");
                    assert_eq!(allowed.as_deref(), Some("1–24"));
                }
                other => panic!("{count}: unexpected {other:?}"),
            }
        }
    }

    #[test]
    fn period_names_parse_in_any_case_and_unknown_ones_list_the_allowed() {
        assert_eq!(
            TimePeriod::parse("timePeriod", "quarterly").unwrap(),
            TimePeriod::Quarterly
        );
        assert_eq!(TimePeriod::parse("timePeriod", "MONTHLY").unwrap(), TimePeriod::Monthly);
        match TimePeriod::parse("timePeriod", "weekly") {
            Err(Error::BadUserInput { field, allowed, .. }) => {
                assert_eq!(field, "timePeriod");
                assert_eq!(allowed.as_deref(), Some("MONTHLY, QUARTERLY, YEARLY"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
