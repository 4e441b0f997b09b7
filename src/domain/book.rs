//! The book of business as plain records, table by table.
use super::records::*;
use super::reminder::RenewalReminder;

/// A whole book of business as plain records: what the demo generator makes, an import reads and
/// an export writes, in the order rows may be inserted within each table.
/// Autoincrement ids (contacts, items, snapshots, reminders, events) are 0: the database assigns them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Book {
    pub products: Vec<Product>,
    pub clients: Vec<Client>,
    pub contacts: Vec<Contact>,
    pub contracts: Vec<Contract>,
    pub contract_items: Vec<ContractItem>,
    pub usage: Vec<UsageSnapshot>,
    pub health: Vec<HealthSnapshot>,
    pub renewals: Vec<Renewal>,
    /// The 90/60/30-day reminders of renewals with their worked status (completed, skipped, …).
    pub reminders: Vec<RenewalReminder>,
    pub opportunities: Vec<Opportunity>,
    pub revenue_events: Vec<RevenueEvent>,
}

impl Book {
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
            + self.reminders.len()
            + self.opportunities.len()
            + self.revenue_events.len()
    }
}
