//! `closeRenewal` arithmetic: the outcome, the ledger movement and the next contract's dates.
use super::config::validate_term_months;
use crate::domain::{serde_text, Contract, ContractType, Money, Renewal, RenewalStatus, RevenueCategory, RevenueKind};
use crate::error::{Error, Result};
use chrono::{Days, Months, NaiveDate};
use serde::Serialize;

/// The ledger event a closing appends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerMove {
    #[serde(with = "serde_text::revenue_kind")]
    pub kind: RevenueKind,
    /// Always `renewal`: the renewal changed the ARR.
    #[serde(with = "serde_text::revenue_category")]
    pub category: RevenueCategory,
    /// finalArr − target (signed).
    #[serde(with = "serde_text::money")]
    pub delta: Money,
    /// The day after the closed contract ends: when the new terms take effect.
    pub occurred_on: NaiveDate,
}

/// The contract that follows a kept renewal; its open renewal targets `arr` on `renewal_date`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NextContract {
    pub start_date: NaiveDate,
    /// start + term months − 1 day.
    pub end_date: NaiveDate,
    /// = end_date.
    pub renewal_date: NaiveDate,
    pub term_months: u32,
    #[serde(with = "serde_text::contract_type")]
    pub contract_type: ContractType,
    #[serde(with = "serde_text::money")]
    pub arr: Money,
}

/// What closing a renewal writes (in one transaction, by the service).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RenewalClosing {
    /// renewed (final ≥ target), downgraded (0 < final < target) or churned (final = 0).
    #[serde(with = "serde_text::renewal_status")]
    pub status: RenewalStatus,
    #[serde(with = "serde_text::money")]
    pub outcome_arr: Money,
    /// `None` when final = target.
    pub ledger: Option<LedgerMove>,
    /// `None` when churned.
    pub next_contract: Option<NextContract>,
}

/// The contract type of a term: < 3 months monthly, < 12 quarterly, < 24 annual, else multi-year.
pub fn contract_type_for(months: u32) -> ContractType {
    match months {
        0..=2 => ContractType::Monthly,
        3..=11 => ContractType::Quarterly,
        12..=23 => ContractType::Annual,
        _ => ContractType::MultiYear,
    }
}

/// Closes `renewal` (of `contract`) at `final_arr` for a next term of `term_months` (1–60; ignored
/// when churning). A closed renewal is a `CONFLICT`; a negative final ARR is refused.
pub fn close_renewal(
    renewal: &Renewal,
    contract: &Contract,
    final_arr: Money,
    term_months: i64,
) -> Result<RenewalClosing> {
    if renewal.status != RenewalStatus::Open {
        return Err(Error::Conflict(format!(
            "renewal {} is already {}",
            renewal.id, renewal.status
        )));
    }
    final_arr.non_negative("finalArr")?;
    let target = renewal.target_arr;
    let status = if final_arr == Money::ZERO {
        RenewalStatus::Churned
    } else if final_arr >= target {
        RenewalStatus::Renewed
    } else {
        RenewalStatus::Downgraded
    };
    let start = contract.end_date + Days::new(1);
    let delta = final_arr - target;
    let kind = match status {
        RenewalStatus::Churned => RevenueKind::Churn,
        _ if delta.is_negative() => RevenueKind::Contraction,
        _ => RevenueKind::Expansion,
    };
    let ledger = (delta != Money::ZERO).then_some(LedgerMove {
        kind,
        category: RevenueCategory::Renewal,
        delta,
        occurred_on: start,
    });
    let next_contract = if status == RenewalStatus::Churned {
        None
    } else {
        let months = validate_term_months("termMonths", term_months)?;
        let end = start
            .checked_add_months(Months::new(months))
            .and_then(|d| d.checked_sub_days(Days::new(1)))
            .ok_or_else(|| Error::bad_input("termMonths", "the term ends beyond the calendar", "1–60"))?;
        Some(NextContract {
            start_date: start,
            end_date: end,
            renewal_date: end,
            term_months: months,
            contract_type: contract_type_for(months),
            arr: final_arr,
        })
    };
    Ok(RenewalClosing {
        status,
        outcome_arr: final_arr,
        ledger,
        next_contract,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processes::forecast::test_data::{case, date};

    fn close(final_major: i64, months: i64) -> Result<RenewalClosing> {
        let c = case("RNW-1", "c1", date("2025-12-31"), 10_000_000, true);
        close_renewal(&c.renewal, &c.contract, Money::from_major(final_major), months)
    }

    #[test]
    fn a_higher_final_arr_renews_with_an_expansion_event() {
        let closing = close(110_000, 24).unwrap();
        assert_eq!(closing.status, RenewalStatus::Renewed);
        let ledger = closing.ledger.unwrap();
        assert_eq!(
            (ledger.kind, ledger.delta, ledger.occurred_on),
            (RevenueKind::Expansion, Money::from_major(10_000), date("2026-01-01"))
        );
        let next = closing.next_contract.unwrap();
        assert_eq!(
            (next.start_date, next.end_date, next.contract_type),
            (date("2026-01-01"), date("2027-12-31"), ContractType::MultiYear)
        );
        assert_eq!(next.arr, Money::from_major(110_000));
    }

    #[test]
    fn the_same_arr_renews_without_a_ledger_event() {
        let closing = close(100_000, 12).unwrap();
        assert_eq!((closing.status, closing.ledger), (RenewalStatus::Renewed, None));
        assert_eq!(closing.next_contract.unwrap().end_date, date("2026-12-31"));
    }

    #[test]
    fn a_lower_final_arr_downgrades_with_a_contraction() {
        let closing = close(80_000, 12).unwrap();
        assert_eq!(closing.status, RenewalStatus::Downgraded);
        let ledger = closing.ledger.unwrap();
        assert_eq!(
            (ledger.kind, ledger.delta),
            (RevenueKind::Contraction, Money::from_major(-20_000))
        );
    }

    #[test]
    fn zero_churns_the_whole_target_and_creates_no_contract() {
        let closing = close(0, 0).unwrap();
        assert_eq!(closing.status, RenewalStatus::Churned);
        assert_eq!(closing.ledger.unwrap().delta, Money::from_major(-100_000));
        assert_eq!(closing.next_contract, None);
    }

    #[test]
    fn bad_terms_negative_arr_and_closed_renewals_are_refused() {
        assert!(close(90_000, 0).is_err());
        assert!(close(90_000, 61).is_err());
        assert!(close(-1, 12).is_err());
        let mut c = case("RNW-1", "c1", date("2025-12-31"), 100, true);
        c.renewal.status = RenewalStatus::Renewed;
        assert!(matches!(
            close_renewal(&c.renewal, &c.contract, Money::ZERO, 12),
            Err(Error::Conflict(_))
        ));
    }

    #[test]
    fn a_term_starting_on_the_thirty_first_ends_the_day_before_the_same_date() {
        let mut c = case("RNW-1", "c1", date("2028-01-30"), 100, true);
        c.contract.end_date = date("2028-01-30");
        let next = close_renewal(&c.renewal, &c.contract, Money::from_cents(100), 1)
            .unwrap()
            .next_contract
            .unwrap();
        // 2028-01-31 + 1 month = 2028-02-29 (clamped), minus a day.
        assert_eq!(
            (next.start_date, next.end_date, next.contract_type),
            (date("2028-01-31"), date("2028-02-28"), ContractType::Monthly)
        );
    }
}
