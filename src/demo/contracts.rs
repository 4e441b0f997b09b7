//! Contracts in progress: their commercial terms, their rows and their item lines.
use super::calendar::{add_months, plus_days};
use super::catalog::{self, ADDONS, AFFINITY};
use super::random::{sigmoid, Dice};
use crate::domain::{Contract, ContractItem, ContractStatus, ContractType, Money, PaymentStatus};
use chrono::NaiveDate;

/// What a contract sells: the tier and its seats, the add-ons, the discount, the term.
#[derive(Clone, Debug)]
pub(super) struct Terms {
    /// 1 (starter) … 4 (enterprise).
    pub tier_rank: i32,
    pub seats: i32,
    /// Add-on product ids, in the order they were bought.
    pub addons: Vec<&'static str>,
    /// Discount in 5 % steps, so prices stay whole cents.
    pub discount_steps: u8,
    pub contract_type: ContractType,
    pub months: u32,
    pub auto_renew: bool,
    pub payment: PaymentStatus,
}

impl Terms {
    /// The first terms of a new client of tier `rank`.
    pub(super) fn first(dice: &mut Dice, rank: i32, quality: f64) -> Terms {
        let (contract_type, months) = draw_term(dice);
        let mut terms = Terms {
            tier_rank: rank,
            seats: draw_seats(dice, rank),
            addons: Vec::new(),
            discount_steps: draw_discount(dice, rank, contract_type),
            contract_type,
            months,
            auto_renew: dice.chance((0.55 + 0.1 * quality).clamp(0.2, 0.9)),
            payment: draw_payment(dice, quality),
        };
        for _ in 0..3 {
            if dice.chance(0.45) {
                if let Some(addon) = pick_addon(dice, &terms) {
                    terms.addons.push(addon);
                }
            }
        }
        terms
    }

    /// True when the add-on is on the contract.
    pub(super) fn owns(&self, product: &str) -> bool {
        self.addons.contains(&product)
    }

    /// Fresh item lines for these terms: the tier for every seat, then each add-on.
    pub(super) fn lines(&self) -> Vec<(&'static str, i32, Money)> {
        let tier = catalog::tier_id(self.tier_rank);
        let mut lines = vec![line(tier, self.seats, self.discount_steps)];
        lines.extend(
            self.addons
                .iter()
                .map(|addon| line(addon, self.seats, self.discount_steps)),
        );
        lines
    }

    /// The discount as a rate.
    pub(super) fn discount(&self) -> f64 {
        // steps / 20 rather than steps × 0.05: 3 × 0.05 is 0.15000000000000002.
        self.discount_steps as f64 / 20.0
    }
}

fn line(product: &'static str, seats: i32, steps: u8) -> (&'static str, i32, Money) {
    let (quantity, arr) = catalog::line(product, seats, steps);
    (product, quantity, arr)
}

/// The contract a client is on, with the lines added since it started.
#[derive(Clone, Debug)]
pub(super) struct LiveContract {
    pub contract: Contract,
    pub items: Vec<ContractItem>,
    pub terms: Terms,
}

impl LiveContract {
    /// Starts a contract on `start` with `terms`: it ends the day before the same date `months` later.
    pub(super) fn start(id: String, client_id: &str, start: NaiveDate, terms: Terms) -> LiveContract {
        let end = plus_days(add_months(start, terms.months), -1);
        let contract = Contract {
            id,
            client_id: client_id.to_owned(),
            contract_type: terms.contract_type,
            start_date: start,
            end_date: end,
            renewal_date: end,
            auto_renew: terms.auto_renew,
            notice_period_days: if terms.tier_rank == 4 { 60 } else { 30 },
            payment_status: terms.payment,
            seats: terms.seats,
            discount: terms.discount(),
            status: ContractStatus::Active,
        };
        let mut live = LiveContract {
            contract,
            items: Vec::new(),
            terms,
        };
        for (product, quantity, arr) in live.terms.lines() {
            live.push_line(product, quantity, arr);
        }
        live
    }

    /// The contract's ARR: the sum of its lines.
    pub(super) fn arr(&self) -> Money {
        self.items.iter().map(|item| item.arr).sum()
    }

    /// Adds a line mid-term (a won opportunity); the terms follow so the renewal carries it on.
    pub(super) fn push_line(&mut self, product: &str, quantity: i32, arr: Money) {
        self.items.push(ContractItem {
            id: 0,
            contract_id: self.contract.id.clone(),
            product_id: product.to_owned(),
            quantity,
            arr,
        });
    }

    /// The contract's end date (its renewal date).
    pub(super) fn end(&self) -> NaiveDate {
        self.contract.end_date
    }
}

/// Mostly annual; one in five commits to two or three years.
pub(super) fn draw_term(dice: &mut Dice) -> (ContractType, u32) {
    if dice.chance(0.2) {
        (ContractType::MultiYear, if dice.chance(0.6) { 24 } else { 36 })
    } else {
        (ContractType::Annual, 12)
    }
}

/// Seats by tier: small teams on starter, hundreds on enterprise.
fn draw_seats(dice: &mut Dice, rank: i32) -> i32 {
    let (lo, hi) = match rank {
        1 => (5, 25),
        2 => (15, 60),
        3 => (40, 150),
        _ => (120, 500),
    };
    dice.int(lo, hi) as i32
}

/// Bigger and longer deals get bigger discounts (0–30 %).
fn draw_discount(dice: &mut Dice, rank: i32, contract_type: ContractType) -> u8 {
    let base = dice.int(0, 2) as u8 + (rank >= 3) as u8;
    base + (contract_type == ContractType::MultiYear) as u8 * 2
}

/// Payment trouble is rarer at good clients.
pub(super) fn draw_payment(dice: &mut Dice, quality: f64) -> PaymentStatus {
    if !dice.chance(sigmoid(-2.2 - 0.9 * quality)) {
        return PaymentStatus::Current;
    }
    dice.weighted(&[
        (PaymentStatus::Overdue, 0.55),
        (PaymentStatus::AtRisk, 0.25),
        (PaymentStatus::PaymentPlan, 0.2),
    ])
}

/// An add-on the contract lacks, weighted by its take rate at this tier and by affinity with
/// what is already owned; `None` when everything is owned.
pub(super) fn pick_addon(dice: &mut Dice, terms: &Terms) -> Option<&'static str> {
    let candidates: Vec<(&'static str, f64)> = ADDONS
        .iter()
        .filter(|(id, _, _)| !terms.owns(id))
        .map(|&(id, from_rank, base)| {
            let tier_fit = if terms.tier_rank >= from_rank { 1.0 } else { 0.25 };
            let paired = AFFINITY
                .iter()
                .any(|&(a, b)| (b == id && terms.owns(a)) || (a == id && terms.owns(b)));
            (id, base * tier_fit * if paired { 2.5 } else { 1.0 })
        })
        .collect();
    (!candidates.is_empty()).then(|| dice.weighted(&candidates))
}
