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
use crate::domain::{
    Client, Contact, Contract, ContractItem, HealthSnapshot, Opportunity, Product, Renewal, RevenueEvent, UsageSnapshot,
};
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

/// A generated book of business, in the order rows may be inserted within each table.
/// Autoincrement ids (contacts, items, snapshots, events) are 0: the database assigns them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DemoBook {
    pub products: Vec<Product>,
    pub clients: Vec<Client>,
    pub contacts: Vec<Contact>,
    pub contracts: Vec<Contract>,
    pub contract_items: Vec<ContractItem>,
    pub usage: Vec<UsageSnapshot>,
    pub health: Vec<HealthSnapshot>,
    pub renewals: Vec<Renewal>,
    pub opportunities: Vec<Opportunity>,
    pub revenue_events: Vec<RevenueEvent>,
}

impl DemoBook {
    /// Rows across all tables.
    pub fn total_rows(&self) -> usize {
        self.products.len()
            + self.clients.len()
            + self.contacts.len()
            + self.contracts.len()
            + self.contract_items.len()
            + self.usage.len()
            + self.health.len()
            + self.renewals.len()
            + self.opportunities.len()
            + self.revenue_events.len()
    }
}

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
    book
}

#[cfg(test)]
mod tests;
