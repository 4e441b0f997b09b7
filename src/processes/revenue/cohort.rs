//! The cohort movements of one period `[s, e]` (DESIGN §5, 120), from each client's ARR at the two
//! edges. The database aggregates the ledger into those edge values; this is the one definition.
use super::accounts::{expansion_breakdown, CategoryArr, ExpansionAccount};
use super::factors::{success_factors, SuccessFactors};
use super::math::{count_ratio4, money_ratio4};
use super::periods::Period;
use super::ser;
use crate::domain::{Money, RevenueCategory};
use serde::Serialize;
use std::collections::HashSet;

/// A client's latest snapshot facts dated on or before the period's start `s`, for the success
/// factors. Each is `None` when the client has no such snapshot.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StartFacts {
    /// Overall health score, 0–100.
    pub health: Option<f64>,
    /// active_users ÷ seats_licensed (`None` when no seats are licensed).
    pub seat_utilization: Option<f64>,
    /// feature_adoption, 0–1.
    pub adoption: Option<f64>,
}

/// One client's ARR at the two edges of a period. One entry per client; clients whose ARR is 0 at
/// both edges may be left out (they change nothing).
#[derive(Clone, Debug, PartialEq)]
pub struct ClientEdge {
    /// The client's public id.
    pub client_id: String,
    /// `ARR_c(s − 1)`: Σ arr_delta of its events with occurred_on ≤ s − 1.
    pub arr_before_start: Money,
    /// `ARR_c(e)`: Σ arr_delta of its events with occurred_on ≤ e.
    pub arr_at_end: Money,
    /// Snapshot facts at `s` (only read for cohort members).
    pub facts: StartFacts,
}

/// Σ of one client's positive ARR movements in one category within `[s, e]` (gross: every event
/// with arr_delta > 0, whatever its kind). Entries of clients outside the cohort are ignored.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientCategoryArr {
    /// The client's public id.
    pub client_id: String,
    /// The events' category.
    pub category: RevenueCategory,
    /// Σ arr_delta of those events (> 0).
    pub arr: Money,
}

/// Everything one period's movements are computed from.
#[derive(Clone, Debug, PartialEq)]
pub struct PeriodInput {
    /// The period `[s, e]`.
    pub period: Period,
    /// ARR at the edges, per client.
    pub clients: Vec<ClientEdge>,
    /// Gross positive movements within the period, per client and category.
    pub expansion: Vec<ClientCategoryArr>,
}

/// The revenue movements of one period, over the cohort of clients paying at its start.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PeriodMovements {
    /// The period.
    pub period: Period,
    /// Clients with ARR_c(s − 1) > 0: the cohort.
    pub cohort_clients: usize,
    /// Cohort clients with ARR on e > 0.
    pub retained_clients: usize,
    /// Cohort clients with ARR on e = 0.
    pub churned_clients: usize,
    /// Retained cohort clients whose ARR grew.
    pub expanded_clients: usize,
    /// Retained cohort clients whose ARR shrank.
    pub contracted_clients: usize,
    /// Clients outside the cohort with ARR on e > 0: new and reactivated.
    pub new_clients: usize,
    /// Σ ARR_c(s − 1) over the cohort.
    #[serde(serialize_with = "ser::money")]
    pub starting_arr: Money,
    /// Σ max(Δ, 0) over retained cohort clients, Δ = ARR_c(e) − ARR_c(s − 1).
    #[serde(serialize_with = "ser::money")]
    pub expansion_arr: Money,
    /// Σ max(−Δ, 0) over retained cohort clients.
    #[serde(serialize_with = "ser::money")]
    pub contraction_arr: Money,
    /// Σ ARR_c(s − 1) over churned cohort clients.
    #[serde(serialize_with = "ser::money")]
    pub churned_arr: Money,
    /// Σ ARR_c(e) over the cohort = starting − churned − contraction + expansion, exactly.
    #[serde(serialize_with = "ser::money")]
    pub cohort_ending_arr: Money,
    /// Σ ARR_c(e) over clients outside the cohort (new and reactivated).
    #[serde(serialize_with = "ser::money")]
    pub new_arr: Money,
    /// Σ ARR_c(e) over all clients = cohort ending + new.
    #[serde(serialize_with = "ser::money")]
    pub ending_arr: Money,
    /// NRR = cohort ending ÷ starting; `None` for an empty cohort.
    pub net_revenue_retention: Option<f64>,
    /// GRR = (starting − contraction − churned) ÷ starting; `None` for an empty cohort.
    pub gross_revenue_retention: Option<f64>,
    /// Retained ÷ cohort clients; `None` for an empty cohort.
    pub logo_retention: Option<f64>,
    /// Expansion ÷ starting; `None` for an empty cohort. Each rate is its own exact ratio rounded
    /// half away from zero to 4 places, so NRR and GRR + expansionRate may differ by 0.0001.
    pub expansion_rate: Option<f64>,
    /// Σ of the cohort's positive events within the period (gross: movements that a later loss in
    /// the same period cancelled are counted too, so it can exceed `expansionArr`).
    #[serde(serialize_with = "ser::money")]
    pub gross_expansion_arr: Money,
    /// `grossExpansionArr` by category, largest first.
    pub expansion_by_type: Vec<CategoryArr>,
    /// The 5 cohort clients with the largest Δ > 0, with their dominant category.
    pub top_expansion_accounts: Vec<ExpansionAccount>,
    /// How expanding (Δ > 0) correlates with the facts at s, over the cohort.
    pub success_factors: SuccessFactors,
}

/// A cohort member and its movement.
pub(crate) struct Member<'a> {
    pub edge: &'a ClientEdge,
    pub delta: Money,
}

/// The movements of `input.period` (see [`period_movements`]).
pub fn movements_of(input: &PeriodInput) -> PeriodMovements {
    period_movements(&input.period, &input.clients, &input.expansion)
}

/// The movements of one period from each client's edge values and gross positive movements.
/// Deterministic: the result does not depend on the order of `clients` or `expansion`.
pub fn period_movements(period: &Period, clients: &[ClientEdge], expansion: &[ClientCategoryArr]) -> PeriodMovements {
    let mut sorted: Vec<&ClientEdge> = clients.iter().collect();
    sorted.sort_by(|a, b| {
        (&a.client_id, a.arr_before_start, a.arr_at_end).cmp(&(&b.client_id, b.arr_before_start, b.arr_at_end))
    });
    let mut m = Totals::default();
    let mut cohort = Vec::new();
    for edge in sorted {
        if edge.arr_before_start > Money::ZERO {
            let delta = edge.arr_at_end - edge.arr_before_start;
            m.starting += edge.arr_before_start;
            m.cohort_ending += edge.arr_at_end;
            if edge.arr_at_end == Money::ZERO {
                m.churned_clients += 1;
                m.churned += edge.arr_before_start;
            } else if delta > Money::ZERO {
                m.expanded_clients += 1;
                m.expansion += delta;
            } else if delta < Money::ZERO {
                m.contracted_clients += 1;
                m.contraction += -delta;
            }
            cohort.push(Member { edge, delta });
        } else {
            m.new += edge.arr_at_end;
            m.new_clients += usize::from(edge.arr_at_end > Money::ZERO);
        }
    }
    let members: HashSet<&str> = cohort.iter().map(|member| member.edge.client_id.as_str()).collect();
    let breakdown = expansion_breakdown(
        &cohort,
        expansion.iter().filter(|e| members.contains(e.client_id.as_str())),
    );
    let retained = cohort.len() - m.churned_clients;
    PeriodMovements {
        period: period.clone(),
        cohort_clients: cohort.len(),
        retained_clients: retained,
        churned_clients: m.churned_clients,
        expanded_clients: m.expanded_clients,
        contracted_clients: m.contracted_clients,
        new_clients: m.new_clients,
        starting_arr: m.starting,
        expansion_arr: m.expansion,
        contraction_arr: m.contraction,
        churned_arr: m.churned,
        cohort_ending_arr: m.cohort_ending,
        new_arr: m.new,
        ending_arr: m.cohort_ending + m.new,
        net_revenue_retention: money_ratio4(m.cohort_ending, m.starting),
        gross_revenue_retention: money_ratio4(m.starting - m.contraction - m.churned, m.starting),
        logo_retention: count_ratio4(retained, cohort.len()),
        expansion_rate: money_ratio4(m.expansion, m.starting),
        gross_expansion_arr: breakdown.gross,
        expansion_by_type: breakdown.by_type,
        top_expansion_accounts: breakdown.top_accounts,
        success_factors: success_factors(&cohort),
    }
}

/// Running sums of one pass over the clients.
#[derive(Default)]
struct Totals {
    starting: Money,
    cohort_ending: Money,
    expansion: Money,
    contraction: Money,
    churned: Money,
    new: Money,
    churned_clients: usize,
    expanded_clients: usize,
    contracted_clients: usize,
    new_clients: usize,
}
