//! A client's month-by-month state: a persistent latent quality, an autocorrelated engagement,
//! and the demand for seats. Usage and health snapshots are readings of this state, so they are
//! autocorrelated and they carry the signal that drives renewals and expansion.
use super::random::{round_to, score, sigmoid, Dice};
use crate::domain::health::{HealthComponents, HealthWeights};
use crate::domain::PaymentStatus;
use chrono::NaiveDate;

/// The hidden drivers of one client.
#[derive(Clone, Debug)]
pub(super) struct Latent {
    /// Persistent fit with the product, about N(0, 1): good clients stay good.
    pub quality: f64,
    /// How hard the client pushes its plan limits, relative to seat use.
    intensity: f64,
    /// How readily the client takes up features.
    adoption_base: f64,
    /// Monthly growth of the people who want a seat.
    growth: f64,
    /// This month's engagement, mean-reverting to `quality`.
    engagement: f64,
    /// A passing setback (a champion leaves, an outage) that fades over a few months.
    shock: f64,
    /// People who would use the product if they had a seat.
    pub demand: f64,
}

/// What the month's reading depends on besides the latent state.
pub(super) struct MonthInputs {
    pub seats: i32,
    pub payment: PaymentStatus,
    pub usage_pack: bool,
    pub api_suite: bool,
    pub months_in: i64,
}

/// One month of a client: the source of its usage and health snapshots.
#[derive(Clone, Debug)]
pub(super) struct MonthState {
    /// First day of the month.
    pub date: NaiveDate,
    pub seats: i32,
    pub active_users: i32,
    pub usage_rate: f64,
    pub adoption: f64,
    pub api_calls: i64,
    pub logins: i64,
    pub reports: i64,
    pub components: HealthComponents,
    pub overall: f64,
}

impl MonthState {
    /// Active users ÷ licensed seats.
    pub(super) fn utilization(&self) -> f64 {
        if self.seats == 0 {
            0.0
        } else {
            self.active_users as f64 / self.seats as f64
        }
    }
}

impl Latent {
    /// A new client with `quality`, starting with `seats` seats of which about two thirds are wanted.
    pub(super) fn new(dice: &mut Dice, quality: f64, seats: i32) -> Latent {
        Latent {
            quality,
            intensity: dice.uniform(0.7, 1.4),
            adoption_base: dice.normal(-1.0, 0.9),
            growth: dice.normal(0.006, 0.01),
            engagement: quality + dice.normal(0.0, 0.3),
            shock: 0.0,
            demand: seats as f64 * dice.uniform(0.5, 0.9),
        }
    }

    /// Advances one month and reads the state on `date`.
    pub(super) fn step(&mut self, dice: &mut Dice, date: NaiveDate, input: &MonthInputs) -> MonthState {
        if dice.chance(0.015) {
            self.shock -= 1.3;
        }
        self.shock *= 0.7;
        self.engagement = 0.75 * self.engagement + 0.25 * self.quality + dice.normal(0.0, 0.28);
        let e = self.engagement + self.shock;

        let seats = input.seats.max(1) as f64;
        let monthly = self.growth + 0.01 * e + dice.normal(0.0, 0.02);
        self.demand = (self.demand * (1.0 + monthly)).clamp(1.0, 1.5 * seats);
        // New customers ramp up over their first quarter.
        let ramp = (0.55 + 0.15 * input.months_in as f64).min(1.0);
        let wanted = (self.demand / seats).min(1.1) * ramp * (1.0 + dice.normal(0.0, 0.03));
        let max_users = (1.1 * seats).floor() as i32;
        let active_users = ((wanted * seats).round() as i32).clamp(0, max_users);
        let utilization = active_users as f64 / seats;

        let tenure_boost = 0.1 * input.months_in.min(12) as f64;
        let adoption = round_to(
            sigmoid(self.adoption_base + 0.5 * e + tenure_boost).clamp(0.01, 0.99),
            4,
        );
        let pack = if input.usage_pack { 0.2 } else { 0.0 };
        let usage_rate = self.intensity * (0.2 + 0.8 * utilization) + 0.08 * e + dice.normal(0.0, 0.05) - pack;
        let usage_rate = round_to(usage_rate.clamp(0.05, 1.8), 4);

        let logins = active_users as f64 * (6.0 + 3.0 * e).max(1.0) * dice.uniform(0.9, 1.1);
        let per_seat_calls = if input.api_suite { 900.0 } else { 120.0 };
        let api_calls = seats * usage_rate * per_seat_calls * dice.uniform(0.85, 1.15);
        let reports = active_users as f64 * adoption * 3.0 * dice.uniform(0.8, 1.2);

        let components = self.components(dice, e, utilization, usage_rate, adoption, input.payment);
        MonthState {
            date,
            seats: input.seats,
            active_users,
            usage_rate,
            adoption,
            api_calls: api_calls.round() as i64,
            logins: logins.round() as i64,
            reports: reports.round() as i64,
            overall: components.overall(&HealthWeights::default()),
            components,
        }
    }

    /// The five health components, each a noisy reading of the state.
    fn components(
        &self,
        dice: &mut Dice,
        e: f64,
        utilization: f64,
        usage_rate: f64,
        adoption: f64,
        payment: PaymentStatus,
    ) -> HealthComponents {
        let usage = 100.0 * (0.45 * utilization.min(1.0) + 0.30 * usage_rate.min(1.2) / 1.2 + 0.25 * adoption);
        let paid = match payment {
            PaymentStatus::Current => 94.0,
            PaymentStatus::PaymentPlan => 68.0,
            PaymentStatus::Overdue => 38.0,
            PaymentStatus::AtRisk => 18.0,
        };
        HealthComponents {
            usage: score(usage + dice.normal(0.0, 4.0)),
            engagement: score(58.0 + 20.0 * e + dice.normal(0.0, 6.0)),
            support: score(74.0 + 9.0 * self.quality + dice.normal(0.0, 7.0)),
            satisfaction: score(62.0 + 13.0 * e + 6.0 * self.quality + dice.normal(0.0, 6.0)),
            payment: score(paid + dice.normal(0.0, 4.0)),
        }
    }
}
