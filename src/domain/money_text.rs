//! Amounts inside sentences: `$364,990.00` — the deployment's currency and thousands separators
//! (DESIGN §5, amended). Money *fields* stay exact decimal strings (`Money`'s `Display`).
//!
//! The currency is one per deployment (config `currency`), set once at startup before any request;
//! a process therefore writes its sentences without the settings threaded through every call.
use super::Money;
use std::fmt;
use std::sync::OnceLock;

static CURRENCY: OnceLock<String> = OnceLock::new();

/// Sets the deployment's currency (an ISO 4217 code) for every sentence; the first call wins, so
/// a process keeps one currency for its lifetime. Unset means `USD`.
pub fn set_currency(code: &str) {
    let _ = CURRENCY.set(code.to_owned());
}

/// The prefix amounts are written with: a symbol for the common currencies, else the code and a
/// space (`CHF 1,200.00`).
fn prefix() -> String {
    match CURRENCY.get().map_or("USD", String::as_str) {
        "USD" => "$".to_owned(),
        "EUR" => "€".to_owned(),
        "GBP" => "£".to_owned(),
        "JPY" => "¥".to_owned(),
        "INR" => "₹".to_owned(),
        other => format!("{other} "),
    }
}

/// An amount as a sentence writes it; see [`Money::text`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MoneyText(Money);

impl Money {
    /// The amount for a sentence: `$364,990.00`, `-$50.00`.
    pub fn text(self) -> MoneyText {
        MoneyText(self)
    }
}

impl fmt::Display for MoneyText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cents = self.0.cents();
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
        write!(f, "{sign}{}{grouped}.{:02}", prefix(), abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_with_the_currency_separators_and_cents() {
        // The test process never sets a currency: the default is USD.
        assert_eq!(Money::from_cents(36_499_000).text().to_string(), "$364,990.00");
        assert_eq!(Money::from_cents(-5_000).text().to_string(), "-$50.00");
        assert_eq!(Money::from_cents(7).text().to_string(), "$0.07");
        assert_eq!(Money::from_cents(100_000_000).text().to_string(), "$1,000,000.00");
        assert_eq!(Money::from_cents(99_999).text().to_string(), "$999.99");
    }
}
