//! Amounts inside sentences: `$72,000.00` (Money fields stay exact decimal strings).
use crate::domain::Money;

/// `$1,234,567.89`, `-$50.00`.
pub fn dollars(amount: Money) -> String {
    let cents = amount.cents();
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let whole = (abs / 100).to_string();
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}${grouped}.{:02}", abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_with_separators_and_cents() {
        assert_eq!(dollars(Money::from_cents(36_499_000)), "$364,990.00");
        assert_eq!(dollars(Money::from_cents(-5_000)), "-$50.00");
        assert_eq!(dollars(Money::from_cents(7)), "$0.07");
        assert_eq!(dollars(Money::from_cents(100_000_000)), "$1,000,000.00");
    }
}
