//! The next contract's items: the closed contract's lines scaled to the final ARR, to the cent.
use crate::domain::{ContractItem, Money};
use serde::Serialize;

/// One line of the next contract.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScaledItem {
    pub product_id: String,
    /// Kept from the old line.
    pub quantity: i32,
    #[serde(with = "crate::domain::serde_text::money")]
    pub arr: Money,
}

/// Scales `items` in proportion to `final_arr`: each line gets ⌊arr × final ÷ total⌋ cents and the
/// remainder cents go to the largest line (the first of equals), so the lines sum to `final_arr`
/// exactly. When the old lines sum to zero the largest (first) line carries the whole final ARR.
pub fn scale_items(items: &[ContractItem], final_arr: Money) -> Vec<ScaledItem> {
    let total: i128 = items.iter().map(|i| i128::from(i.arr.cents())).sum();
    let target = i128::from(final_arr.cents());
    let mut scaled: Vec<ScaledItem> = items
        .iter()
        .map(|item| {
            let cents = if total > 0 {
                i128::from(item.arr.cents()) * target / total
            } else {
                0
            };
            ScaledItem {
                product_id: item.product_id.clone(),
                quantity: item.quantity,
                arr: Money::from_cents(cents as i64),
            }
        })
        .collect();
    let assigned: i64 = scaled.iter().map(|s| s.arr.cents()).sum();
    let largest = items
        .iter()
        .enumerate()
        .max_by(|(i, a), (j, b)| a.arr.cmp(&b.arr).then(j.cmp(i)))
        .map(|(i, _)| i);
    if let Some(i) = largest {
        scaled[i].arr = Money::from_cents(scaled[i].arr.cents() + final_arr.cents() - assigned);
    }
    scaled
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn item(product: &str, cents: i64) -> ContractItem {
        ContractItem {
            id: 0,
            contract_id: "CNT-1".into(),
            product_id: product.into(),
            quantity: 3,
            arr: Money::from_cents(cents),
        }
    }

    #[test]
    fn lines_scale_in_proportion_and_the_largest_takes_the_remainder() {
        let items = [item("tier", 60_000), item("api", 30_000), item("sso", 10_000)];
        // 100,000 → 100,001 cents: shares 60,000.6 / 30,000.3 / 10,000.1 floor to 100,000.
        let scaled = scale_items(&items, Money::from_cents(100_001));
        let cents: Vec<i64> = scaled.iter().map(|s| s.arr.cents()).collect();
        assert_eq!(cents, vec![60_001, 30_000, 10_000]);
        assert_eq!(scaled[1].quantity, 3);
    }

    #[test]
    fn halving_halves_every_line() {
        let items = [item("tier", 80_000), item("api", 20_000)];
        let cents: Vec<i64> = scale_items(&items, Money::from_cents(50_000))
            .iter()
            .map(|s| s.arr.cents())
            .collect();
        assert_eq!(cents, vec![40_000, 10_000]);
    }

    #[test]
    fn equal_lines_give_the_remainder_to_the_first() {
        let items = [item("a", 100), item("b", 100), item("c", 100)];
        let cents: Vec<i64> = scale_items(&items, Money::from_cents(100))
            .iter()
            .map(|s| s.arr.cents())
            .collect();
        assert_eq!(cents, vec![34, 33, 33]);
    }

    #[test]
    fn zero_lines_put_everything_on_the_first() {
        let items = [item("a", 0), item("b", 0)];
        let cents: Vec<i64> = scale_items(&items, Money::from_cents(999))
            .iter()
            .map(|s| s.arr.cents())
            .collect();
        assert_eq!(cents, vec![999, 0]);
    }

    proptest! {
        #[test]
        fn scaled_lines_sum_to_the_final_arr_exactly(
            lines in prop::collection::vec(0i64..10_000_000_000, 1..8),
            target in 0i64..100_000_000_000,
        ) {
            let items: Vec<ContractItem> = lines.iter().map(|&c| item("p", c)).collect();
            let scaled = scale_items(&items, Money::from_cents(target));
            prop_assert_eq!(scaled.iter().map(|s| s.arr.cents()).sum::<i64>(), target);
            prop_assert!(scaled.iter().all(|s| s.arr.cents() >= 0));
        }
    }
}
