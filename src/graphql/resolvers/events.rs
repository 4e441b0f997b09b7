//! `events` (what happened, for catching up) and the `events` subscription (as it happens).
use crate::db::outbox::EventFilter;
use crate::events as ev;
use crate::graphql::connection::{connection, page_request, Paged};
use crate::graphql::context::ContextExt;
use crate::graphql::enums::EventType;
use crate::graphql::types::event::Event;
use crate::scheduler::feed::EventFeed;
use crate::services::events;
use async_graphql::{Context, Object, Result, Subscription, ID};
use chrono::{DateTime, Utc};
use futures_util::stream::{self, Stream};
use tokio::sync::broadcast::error::RecvError;

#[derive(Default)]
pub struct EventQueries;

#[Object]
impl EventQueries {
    /// Events in commit order (oldest first), filtered by time, type and client: what an agent or
    /// a receiver that was offline reads to catch up.
    #[graphql(complexity = "first.unwrap_or(20).max(1) as usize * child_complexity")]
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only events that occurred at or after this time (ISO 8601).")] since: Option<DateTime<Utc>>,
        #[graphql(desc = "Only these types; absent or empty = all.")] types: Option<Vec<EventType>>,
        #[graphql(desc = "Only this client's events.")] client_id: Option<ID>,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "endCursor of the previous page.")] after: Option<String>,
    ) -> Result<Paged<Event>> {
        let page = page_request(ctx, first, after)?;
        let filter = EventFilter {
            since,
            types: types.unwrap_or_default().into_iter().map(Into::into).collect(),
            client_id: client_id.map(|id| id.0),
        };
        let rows = events::list(ctx.db(), &filter, page).await?;
        Ok(connection(page, rows, Event))
    }
}

/// Live streams over WebSocket.
#[derive(Default)]
pub struct SubscriptionRoot;

/// Live streams over WebSocket at `/graphql` (`graphql-transport-ws`).
#[Subscription]
impl SubscriptionRoot {
    /// Events as they commit, on any replica (fed from the outbox): the same events webhooks
    /// receive. Over WebSocket at `/graphql` (`graphql-transport-ws`).
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only these types; absent or empty = all.")] types: Option<Vec<EventType>>,
        #[graphql(desc = "Only this client's events.")] client_id: Option<ID>,
    ) -> impl Stream<Item = Event> {
        let types: Vec<ev::EventType> = types.unwrap_or_default().into_iter().map(Into::into).collect();
        let client_id = client_id.map(|id| id.0);
        let receiver = ctx.data_unchecked::<EventFeed>().subscribe().await;
        stream::unfold(receiver, move |mut receiver| {
            let (types, client_id) = (types.clone(), client_id.clone());
            async move {
                loop {
                    match receiver.recv().await {
                        Ok(event) => {
                            let wanted = (types.is_empty() || types.contains(&event.event_type))
                                && client_id.as_ref().is_none_or(|c| event.client_id.as_ref() == Some(c));
                            if wanted {
                                return Some((Event(event.as_ref().clone()), receiver));
                            }
                        }
                        Err(RecvError::Lagged(skipped)) => {
                            tracing::warn!(skipped, "a slow subscriber skipped events");
                        }
                        Err(RecvError::Closed) => return None,
                    }
                }
            }
        })
    }
}
