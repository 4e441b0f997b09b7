//! Root fields, split by area and merged.
mod catalog;
mod client_mutations;
mod clients;
mod events;
mod expansion;
mod import_mutations;
mod ledger;
mod opportunity_mutations;
mod record_mutations;
mod renewal_mutations;
mod renewals;
mod revenue;
mod webhooks;

use async_graphql::MergedObject;
pub use events::SubscriptionRoot;

/// Every query root field.
#[derive(MergedObject, Default)]
pub struct QueryRoot(
    clients::ClientQueries,
    catalog::CatalogQueries,
    ledger::LedgerQueries,
    revenue::RevenueQueries,
    expansion::ExpansionQueries,
    renewals::RenewalQueries,
    events::EventQueries,
    webhooks::WebhookQueries,
);

/// Every mutation root field.
#[derive(MergedObject, Default)]
pub struct MutationRoot(
    client_mutations::ClientMutations,
    record_mutations::RecordMutations,
    opportunity_mutations::OpportunityMutations,
    renewal_mutations::RenewalMutations,
    import_mutations::ImportMutations,
    webhooks::WebhookMutations,
);
