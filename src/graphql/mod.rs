//! The GraphQL schema: types wrap domain records, resolvers call services, relations load through
//! per-request DataLoaders.
pub mod batching;
pub mod connection;
pub mod context;
pub mod cost;
pub mod enums;
pub mod errors;
pub mod guards;
pub mod input_check;
pub mod item_page;
pub mod loaders;
pub mod resolvers;
pub mod scalars;
pub mod types;

use crate::config::Settings;
use crate::db::Db;
use crate::scheduler::feed::EventFeed;
use crate::services::reminders::ReminderOffsets;
use async_graphql::Schema;
use resolvers::{MutationRoot, QueryRoot, SubscriptionRoot};

/// The schema type.
pub type AppSchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

/// Builds the schema (introspection off when configured; the other limits are `cost`'s); the pool, health weights,
/// process settings and the event feed of subscriptions are schema-wide data (`reminder_offsets` checked by the
/// caller), loaders are added per request.
pub fn build_schema(db: Db, settings: &Settings, reminder_offsets: Vec<u32>, feed: EventFeed) -> AppSchema {
    let limits = &settings.limits;
    let mut builder = Schema::build(QueryRoot::default(), MutationRoot::default(), SubscriptionRoot)
        .data(db)
        .data(feed)
        .data(settings.webhooks.clone())
        .data(settings.health_weights)
        .data(settings.clv)
        .data(settings.expansion_settings())
        .data(ReminderOffsets(reminder_offsets))
        .data(settings.negotiation.clone());
    // Depth, aliases and cost are measured before execution (`cost`), where introspection
    // fields can be left out of the depth; async-graphql's own limits cannot do that.
    if !limits.introspection {
        builder = builder.disable_introspection();
    }
    builder.finish()
}

/// The SDL of the schema, as committed in `schema.graphql`.
pub fn sdl() -> String {
    Schema::build(QueryRoot::default(), MutationRoot::default(), SubscriptionRoot)
        .finish()
        .sdl()
}
