//! Where a period's expansion came from: gross positive movements by category, and the accounts
//! that grew most with their dominant category.
use super::cohort::{ClientCategoryArr, Member};
use super::ser;
use crate::domain::{Money, RevenueCategory};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// How many accounts `topExpansionAccounts` lists.
pub const TOP_ACCOUNTS: usize = 5;

/// Gross positive movements of one category within a period, over the cohort.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CategoryArr {
    /// The category.
    #[serde(serialize_with = "ser::category")]
    pub category: RevenueCategory,
    /// Σ of the cohort's positive events of that category within the period.
    #[serde(serialize_with = "ser::money")]
    pub arr: Money,
    /// Cohort clients with such events.
    pub clients: usize,
}

/// A cohort client whose ARR grew over the period.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExpansionAccount {
    /// The client's public id.
    pub client_id: String,
    /// ARR_c(s − 1).
    #[serde(serialize_with = "ser::money")]
    pub starting_arr: Money,
    /// ARR_c(e).
    #[serde(serialize_with = "ser::money")]
    pub ending_arr: Money,
    /// Δ = ending − starting (> 0).
    #[serde(serialize_with = "ser::money")]
    pub expansion_arr: Money,
    /// The category with the largest gross positive movement of this client within the period
    /// (ties: the first in the category list); `None` if the ledger shows none.
    #[serde(serialize_with = "ser::option_category")]
    pub dominant_category: Option<RevenueCategory>,
    /// That category's gross positive movement.
    #[serde(serialize_with = "ser::option_money")]
    pub dominant_category_arr: Option<Money>,
}

/// The gross expansion of a cohort, by category and by account.
pub(crate) struct Breakdown {
    pub gross: Money,
    pub by_type: Vec<CategoryArr>,
    pub top_accounts: Vec<ExpansionAccount>,
}

/// Builds the breakdown from the cohort (sorted by client id) and the positive movements of its
/// members. Non-positive entries are ignored; duplicate (client, category) entries are added up.
pub(crate) fn expansion_breakdown<'a>(
    cohort: &[Member<'_>],
    movements: impl Iterator<Item = &'a ClientCategoryArr>,
) -> Breakdown {
    let mut per_client: BTreeMap<&str, BTreeMap<RevenueCategory, Money>> = BTreeMap::new();
    let mut per_category: BTreeMap<RevenueCategory, (Money, BTreeSet<&str>)> = BTreeMap::new();
    for movement in movements.filter(|m| m.arr > Money::ZERO) {
        *per_client
            .entry(movement.client_id.as_str())
            .or_default()
            .entry(movement.category)
            .or_default() += movement.arr;
        let slot = per_category.entry(movement.category).or_default();
        slot.0 += movement.arr;
        slot.1.insert(movement.client_id.as_str());
    }
    let mut by_type: Vec<CategoryArr> = per_category
        .into_iter()
        .map(|(category, (arr, clients))| CategoryArr {
            category,
            arr,
            clients: clients.len(),
        })
        .collect();
    by_type.sort_by(|a, b| b.arr.cmp(&a.arr).then(a.category.cmp(&b.category)));

    let mut grown: Vec<&Member<'_>> = cohort.iter().filter(|m| m.delta > Money::ZERO).collect();
    grown.sort_by(|a, b| b.delta.cmp(&a.delta).then(a.edge.client_id.cmp(&b.edge.client_id)));
    let top_accounts = grown
        .into_iter()
        .take(TOP_ACCOUNTS)
        .map(|member| {
            let dominant = per_client.get(member.edge.client_id.as_str()).and_then(dominant);
            ExpansionAccount {
                client_id: member.edge.client_id.clone(),
                starting_arr: member.edge.arr_before_start,
                ending_arr: member.edge.arr_at_end,
                expansion_arr: member.delta,
                dominant_category: dominant.map(|(category, _)| category),
                dominant_category_arr: dominant.map(|(_, arr)| arr),
            }
        })
        .collect();
    Breakdown {
        gross: by_type.iter().map(|c| c.arr).sum(),
        by_type,
        top_accounts,
    }
}

/// The category with the largest amount; the first in category order on a tie.
fn dominant(categories: &BTreeMap<RevenueCategory, Money>) -> Option<(RevenueCategory, Money)> {
    categories.iter().fold(None, |best, (&category, &arr)| match best {
        Some((_, best_arr)) if best_arr >= arr => best,
        _ => Some((category, arr)),
    })
}
