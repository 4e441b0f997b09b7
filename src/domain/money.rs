//! Money as integer minor units (cents). Sums are exact; text is a decimal string in major units.
use crate::error::{Error, Result};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub};

/// An amount of the deployment's currency, in cents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

/// The largest amount accepted from a caller: 1e13 major units, far above any ARR, far below i64.
const MAX_ABS_CENTS: i64 = 1_000_000_000_000_000;

impl Money {
    /// Zero.
    pub const ZERO: Money = Money(0);

    /// From cents.
    pub const fn from_cents(cents: i64) -> Self {
        Money(cents)
    }

    /// From whole major units (dollars).
    pub const fn from_major(units: i64) -> Self {
        Money(units * 100)
    }

    /// The amount in cents.
    pub const fn cents(self) -> i64 {
        self.0
    }

    /// True when below zero.
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// The amount × `factor`, rounded half away from zero to the cent.
    pub fn times(self, factor: f64) -> Money {
        Money((self.0 as f64 * factor).round() as i64)
    }

    /// The amount × an integer count (seats, quantity).
    pub fn times_count(self, count: i64) -> Money {
        Money(self.0 * count)
    }

    /// Parses a decimal string in major units: `"72000"`, `"72000.5"`, `"-12.34"`. At most two
    /// decimals; no exponent, no thousands separators, so every accepted string is exact.
    pub fn parse(field: &str, text: &str) -> Result<Money> {
        let bad = || {
            Error::bad_input(
                field,
                format!("`{text}` is not an amount"),
                "a decimal string with at most 2 decimals, e.g. \"72000.00\"",
            )
        };
        let trimmed = text.trim();
        let (negative, digits) = match trimmed.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let (whole, fraction) = match digits.split_once('.') {
            Some((_, "")) => return Err(bad()),
            Some(parts) => parts,
            None => (digits, ""),
        };
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || whole.len() > 16 || fraction.len() > 2 || !all_digits(whole) || !all_digits(fraction) {
            return Err(bad());
        }
        let whole: i64 = whole.parse().map_err(|_| bad())?;
        let fraction_cents: i64 = match fraction.len() {
            0 => 0,
            1 => fraction.parse::<i64>().map_err(|_| bad())? * 10,
            _ => fraction.parse().map_err(|_| bad())?,
        };
        let cents = whole
            .checked_mul(100)
            .and_then(|c| c.checked_add(fraction_cents))
            .ok_or_else(bad)?;
        Money::checked(field, if negative { -cents } else { cents })
    }

    /// From a JSON number in major units. Accepted only when it is a whole number of cents (within
    /// float noise), so `12.345` is refused rather than silently rounded.
    pub fn from_f64(field: &str, value: f64) -> Result<Money> {
        let cents = value * 100.0;
        if !cents.is_finite() || (cents - cents.round()).abs() > 1e-6 * cents.abs().max(1.0) {
            return Err(Error::bad_input(
                field,
                format!("{value} is not a whole number of cents"),
                "an amount with at most 2 decimals",
            ));
        }
        Money::checked(field, cents.round() as i64)
    }

    /// Refuses amounts beyond ±1e13 major units.
    fn checked(field: &str, cents: i64) -> Result<Money> {
        if cents.abs() > MAX_ABS_CENTS {
            return Err(Error::bad_input(
                field,
                "amount too large",
                "between -10000000000000.00 and 10000000000000.00",
            ));
        }
        Ok(Money(cents))
    }

    /// Refuses negative amounts: prices, ARR, acquisition costs.
    pub fn non_negative(self, field: &str) -> Result<Money> {
        if self.is_negative() {
            return Err(Error::bad_input(field, format!("{self} is negative"), ">= 0.00"));
        }
        Ok(self)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formats_as_major_units_with_two_decimals() {
        assert_eq!(Money::from_cents(7_200_000).to_string(), "72000.00");
        assert_eq!(Money::from_cents(5).to_string(), "0.05");
        assert_eq!(Money::from_cents(-1234).to_string(), "-12.34");
        assert_eq!(Money::ZERO.to_string(), "0.00");
    }

    #[test]
    fn parses_decimal_strings_exactly() {
        assert_eq!(Money::parse("x", "72000").unwrap().cents(), 7_200_000);
        assert_eq!(Money::parse("x", "72000.5").unwrap().cents(), 7_200_050);
        assert_eq!(Money::parse("x", "0.07").unwrap().cents(), 7);
        assert_eq!(Money::parse("x", "-12.34").unwrap().cents(), -1234);
    }

    #[test]
    fn refuses_malformed_amounts() {
        for text in [
            "",
            "-",
            "1.234",
            "1e5",
            "1,000",
            "abc",
            ".5",
            "12.",
            "1.2.3",
            "99999999999999999",
        ] {
            assert!(Money::parse("x", text).is_err(), "{text} should be refused");
        }
    }

    #[test]
    fn accepts_numbers_only_in_whole_cents() {
        assert_eq!(Money::from_f64("x", 19.99).unwrap().cents(), 1999);
        assert_eq!(Money::from_f64("x", 0.1 + 0.2).unwrap().cents(), 30);
        assert!(Money::from_f64("x", 12.345).is_err());
        assert!(Money::from_f64("x", f64::NAN).is_err());
    }

    #[test]
    fn non_negative_refuses_negative_amounts() {
        assert!(Money::from_cents(-1).non_negative("price").is_err());
        assert!(Money::ZERO.non_negative("price").is_ok());
    }

    #[test]
    fn times_rounds_half_away_from_zero() {
        assert_eq!(Money::from_cents(101).times(0.5).cents(), 51);
        assert_eq!(Money::from_cents(-101).times(0.5).cents(), -51);
    }

    proptest! {
        #[test]
        fn display_then_parse_round_trips(cents in -MAX_ABS_CENTS..=MAX_ABS_CENTS) {
            let money = Money::from_cents(cents);
            prop_assert_eq!(Money::parse("x", &money.to_string()).unwrap(), money);
        }

        #[test]
        fn sums_are_exact(amounts in proptest::collection::vec(-1_000_000_000i64..1_000_000_000, 0..50)) {
            let total: Money = amounts.iter().map(|&c| Money::from_cents(c)).sum();
            prop_assert_eq!(total.cents(), amounts.iter().sum::<i64>());
        }
    }
}
