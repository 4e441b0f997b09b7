//! Deterministic demo data: a whole book of business — catalog, clients, contacts, contracts with
//! their renewal history, monthly usage and health, opportunities and the ARR ledger — generated
//! from `(clients, seed, as_of)` alone.
//!
//! Pure: no database, no runtime, no clock. Every date derives from `as_of`, every draw from
//! `seed` through ChaCha8, so the same parameters give the same book on every machine.
//!
//! The book is internally consistent (see the tests): each client's ledger sums to the ARR of its
//! active contract, every active contract has exactly one open renewal, and renewal outcomes
//! follow the client's health, usage, seat utilization, payment status and auto-renew flag, so
//! the forecast has something to learn.
use chrono::NaiveDate;

mod calendar;
mod catalog;
mod clients;
mod contacts;
mod contracts;
mod history;
mod midterm;
mod names;
mod opportunities;
mod outcome;
mod pipeline;
mod random;
mod reminders;
mod renewals;
mod snapshots;
mod state;

pub use snapshots::SNAPSHOT_MONTHS;

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoParams {
    /// Number of clients, churned ones included.
    pub clients: usize,
    /// Seed of the random streams.
    pub seed: u64,
    /// The day the book is seen from: nothing happens after it except open renewal dates and
    /// expected close dates.
    pub as_of: NaiveDate,
}

/// A generated book of business: the plain records of every table, in insertion order.
pub use crate::domain::Book as DemoBook;

/// Generates the book for `params`; the same parameters always give the same book.
pub fn generate(params: &DemoParams) -> DemoBook {
    let mut dice = random::Dice::new(params.seed);
    let identities = clients::identities(&mut dice, params);
    let mut book = DemoBook {
        products: catalog::products(),
        ..DemoBook::default()
    };
    let mut sequences = history::Sequences::default();
    for who in &identities {
        history::simulate(who, params.as_of, &mut sequences, &mut book);
    }
    let offsets = crate::processes::renewals::DEFAULT_REMINDER_OFFSETS;
    book.reminders = reminders::worked_reminders(&book, params.as_of, params.seed, &offsets);
    book
}

#[cfg(test)]
mod tests;
