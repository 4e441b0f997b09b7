//! Exact ratios and means on integers, rounded the one way the API publishes them: half away from
//! zero, rates to 4 places. Working on cents keeps the result independent of float summation order.
use crate::domain::Money;

/// 10^4: rates are published with 4 decimals.
const RATE_SCALE: i128 = 10_000;

/// `n ÷ d` rounded half away from zero; `d` must not be 0.
fn div_round(n: i128, d: i128) -> i128 {
    let (quotient, remainder) = (n / d, n % d);
    if 2 * remainder.abs() >= d.abs() {
        quotient + n.signum() * d.signum()
    } else {
        quotient
    }
}

/// `numerator ÷ denominator` rounded half away from zero to 4 places, computed exactly on integers;
/// `None` when the denominator is 0 (an empty cohort), never NaN.
pub fn ratio4(numerator: i64, denominator: i64) -> Option<f64> {
    (denominator != 0)
        .then(|| div_round(i128::from(numerator) * RATE_SCALE, i128::from(denominator)) as f64 / RATE_SCALE as f64)
}

/// `a ÷ b` of two amounts, as [`ratio4`].
pub fn money_ratio4(a: Money, b: Money) -> Option<f64> {
    ratio4(a.cents(), b.cents())
}

/// `a ÷ b` of two counts, as [`ratio4`].
pub fn count_ratio4(a: usize, b: usize) -> Option<f64> {
    ratio4(a as i64, b as i64)
}

/// A float rounded half away from zero to `places` decimals; `None` when it is not finite.
pub fn round_to(value: f64, places: i32) -> Option<f64> {
    let scale = 10f64.powi(places);
    value.is_finite().then(|| (value * scale).round() / scale)
}

/// The mean of amounts, rounded half away from zero to the cent; `None` when there are none.
pub fn mean_money(amounts: impl IntoIterator<Item = Money>) -> Option<Money> {
    let (sum, count) = amounts.into_iter().fold((0i128, 0i128), |(sum, count), m| {
        (sum + i128::from(m.cents()), count + 1)
    });
    (count > 0).then(|| Money::from_cents(div_round(sum, count) as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_round_half_away_from_zero_on_exact_integers() {
        assert_eq!(ratio4(2, 3), Some(0.6667));
        assert_eq!(ratio4(1, 20_000), Some(0.0001));
        assert_eq!(ratio4(-1, 20_000), Some(-0.0001));
        assert_eq!(ratio4(1, 30_000), Some(0.0));
        assert_eq!(ratio4(5, 0), None);
    }

    #[test]
    fn means_round_to_the_cent() {
        let amounts = [1, 2].map(Money::from_cents);
        assert_eq!(mean_money(amounts), Some(Money::from_cents(2)));
        assert_eq!(mean_money(Vec::<Money>::new()), None);
    }

    #[test]
    fn round_to_refuses_non_finite_values() {
        assert_eq!(round_to(0.123_45, 4), Some(0.1235));
        assert_eq!(round_to(f64::NAN, 4), None);
    }
}
