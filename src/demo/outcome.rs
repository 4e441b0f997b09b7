//! Whether a renewal is kept, and on what terms. The chance follows the features the forecast
//! reads (DESIGN §5, 118) — health, usage, seat utilization, payment trouble, auto-renew, a
//! declining trend, tenure — through a logistic link plus noise, so a model can learn it back.
use super::calendar::{days_between, plus_days};
use super::contracts::{draw_payment, draw_term, pick_addon, Terms};
use super::random::{sigmoid, Dice};
use super::state::MonthState;
use crate::domain::{PaymentStatus, RevenueCategory};
use chrono::NaiveDate;

/// What is known about a client 30 days before its renewal date.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Features {
    pub health: f64,
    pub usage_rate: f64,
    pub utilization: f64,
    pub payment_issue: bool,
    pub auto_renew: bool,
    pub declining: bool,
    pub tenure_years: f64,
}

impl Features {
    /// Reads the newest month dated at least 30 days before `renewal_date` — the snapshot the
    /// forecast will see — and the contract's payment status and auto-renew flag.
    pub(super) fn at(states: &[MonthState], renewal_date: NaiveDate, terms: &Terms, since: NaiveDate) -> Features {
        let cutoff = plus_days(renewal_date, -30);
        let seen = states.partition_point(|s| s.date <= cutoff).max(1);
        let latest = states.get(seen - 1);
        let previous = seen.checked_sub(2).and_then(|i| states.get(i));
        Features {
            health: latest.map_or(65.0, |s| s.overall),
            usage_rate: latest.map_or(0.8, |s| s.usage_rate),
            utilization: latest.map_or(0.7, MonthState::utilization),
            payment_issue: matches!(terms.payment, PaymentStatus::Overdue | PaymentStatus::AtRisk),
            auto_renew: terms.auto_renew,
            declining: matches!((previous, latest), (Some(p), Some(l)) if l.overall - p.overall < -3.0),
            tenure_years: days_between(since, renewal_date) as f64 / 365.25,
        }
    }
}

/// The log-odds of keeping the client (renewed or downgraded rather than churned).
pub(super) fn retain_logit(f: &Features) -> f64 {
    1.3 + 6.0 * (f.health / 100.0 - 0.62) + 0.8 * (f.usage_rate.min(1.5) - 0.8) + 1.5 * (f.utilization.min(1.0) - 0.7)
        - 1.3 * flag(f.payment_issue)
        + 0.7 * flag(f.auto_renew)
        - 0.5 * flag(f.declining)
        + 0.08 * f.tenure_years.min(10.0)
}

fn flag(on: bool) -> f64 {
    if on {
        1.0
    } else {
        0.0
    }
}

/// Draws the outcome: the logistic chance, blurred by what the data does not show.
pub(super) fn retains(dice: &mut Dice, f: &Features) -> bool {
    let noise = dice.normal(0.0, 0.4);
    dice.chance(sigmoid(retain_logit(f) + noise))
}

/// The terms of the next contract of a kept client and the main cause of its ARR change.
/// Poorly used contracts shrink (fewer seats, a dropped add-on, sometimes a lower tier); well
/// used ones grow (seats to demand, an add-on, a tier upgrade, or a smaller discount).
pub(super) fn next_terms(
    dice: &mut Dice,
    now: &Terms,
    f: &Features,
    demand: f64,
    quality: f64,
) -> (Terms, RevenueCategory) {
    let (contract_type, months) = draw_term(dice);
    let mut next = Terms {
        contract_type,
        months,
        payment: draw_payment(dice, quality),
        auto_renew: if dice.chance(0.1) {
            !now.auto_renew
        } else {
            now.auto_renew
        },
        ..now.clone()
    };
    let shrink = sigmoid(-1.6 + 6.0 * (0.6 - f.utilization) + 3.0 * (0.6 - f.health / 100.0));
    if dice.chance(shrink) {
        let needed = (demand * 1.05).ceil() as i32;
        next.seats = if needed < now.seats {
            needed
        } else {
            (now.seats as f64 * dice.uniform(0.7, 0.9)) as i32
        }
        .max(1);
        if !next.addons.is_empty() && dice.chance(0.5) {
            let dropped = dice.int(0, next.addons.len() as i64 - 1) as usize;
            next.addons.remove(dropped);
        }
        if next.tier_rank > 1 && dice.chance(0.15) {
            next.tier_rank -= 1;
        }
        return (next, RevenueCategory::Renewal);
    }
    let mut category = RevenueCategory::Renewal;
    if next.discount_steps > 0 && dice.chance(0.3) {
        next.discount_steps -= 1;
    }
    if dice.chance(0.12) {
        if let Some(addon) = pick_addon(dice, &next) {
            next.addons.push(addon);
            category = RevenueCategory::CrossSell;
        }
    }
    if demand > 0.92 * now.seats as f64 {
        // Room to grow: after the renewal about four in five seats are in use.
        next.seats = ((demand * dice.uniform(1.15, 1.35)).ceil() as i32).max(now.seats + 1);
        category = RevenueCategory::UserExpansion;
    }
    if next.tier_rank < 4 && f.health >= 72.0 && dice.chance(0.22) {
        next.tier_rank += 1;
        category = RevenueCategory::Upsell;
    }
    (next, category)
}
