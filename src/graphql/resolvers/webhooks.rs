//! Webhook endpoints (ADMIN only, reading included: URLs and delivery logs describe where the
//! book's events go): registering, changing and deleting them, the delivery log and redelivery.
use crate::config::WebhookSettings;
use crate::graphql::connection::{connection, page_request, Paged};
use crate::graphql::context::ContextExt;
use crate::graphql::enums::{DeliveryStatus, EventType};
use crate::graphql::guards::{Role, RoleGuard};
use crate::graphql::types::webhook::{CreatedWebhookEndpoint, WebhookDelivery, WebhookEndpoint};
use crate::services::webhooks::{self, EndpointForCreate, EndpointForUpdate};
use async_graphql::{Context, Object, Result, ID};

#[derive(Default)]
pub struct WebhookQueries;

#[Object]
impl WebhookQueries {
    /// Every registered webhook endpoint, oldest first (secrets are never shown again).
    #[graphql(guard = "RoleGuard::new(Role::Admin)")]
    async fn webhook_endpoints(&self, ctx: &Context<'_>) -> Result<Vec<WebhookEndpoint>> {
        let endpoints = webhooks::endpoints(ctx.db()).await?;
        Ok(endpoints.into_iter().map(WebhookEndpoint).collect())
    }

    /// The delivery log of one endpoint, newest first.
    #[graphql(
        guard = "RoleGuard::new(Role::Admin)",
        complexity = "first.unwrap_or(20).max(1) as usize * child_complexity"
    )]
    async fn webhook_deliveries(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Endpoint id.")] endpoint_id: ID,
        #[graphql(desc = "Only deliveries in this status.")] status: Option<DeliveryStatus>,
        #[graphql(desc = "Page size, 1–100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "endCursor of the previous page.")] after: Option<String>,
    ) -> Result<Paged<WebhookDelivery>> {
        let page = page_request(ctx, first, after)?;
        let rows = webhooks::deliveries(ctx.db(), &endpoint_id, status.map(Into::into), page).await?;
        Ok(connection(page, rows, WebhookDelivery))
    }
}

#[derive(Default)]
pub struct WebhookMutations;

#[Object]
impl WebhookMutations {
    /// Registers an endpoint for the given event types and returns its signing secret — the only
    /// time it is shown. Each delivery is a POST of the event's JSON with `X-Expansion-Event`,
    /// `X-Expansion-Delivery` (idempotency key), `X-Expansion-Timestamp` and
    /// `X-Expansion-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`.
    #[graphql(guard = "RoleGuard::new(Role::Admin)")]
    async fn create_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "http(s) URL; link-local and metadata addresses are refused.")] url: String,
        #[graphql(desc = "The event types it receives (at least one).")] events: Vec<EventType>,
        #[graphql(desc = "What it is for (at most 2000 characters).")] description: Option<String>,
    ) -> Result<CreatedWebhookEndpoint> {
        let input = EndpointForCreate {
            url,
            event_types: events.into_iter().map(Into::into).collect(),
            description,
        };
        let settings = ctx.data_unchecked::<WebhookSettings>();
        let created = webhooks::create(ctx.db(), ctx.request(), settings, input).await?;
        Ok(CreatedWebhookEndpoint {
            endpoint: WebhookEndpoint(created.endpoint),
            secret: created.secret,
        })
    }

    /// Changes an endpoint; absent arguments stay as they are. `enabled: true` turns a disabled
    /// endpoint back on (its failure streak cleared, its pending deliveries resumed).
    #[graphql(guard = "RoleGuard::new(Role::Admin)")]
    async fn update_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Endpoint id.")] id: ID,
        #[graphql(desc = "New URL.")] url: Option<String>,
        #[graphql(desc = "New event types (at least one).")] events: Option<Vec<EventType>>,
        #[graphql(desc = "New description.")] description: Option<String>,
        #[graphql(desc = "Turn it on or off.")] enabled: Option<bool>,
    ) -> Result<WebhookEndpoint> {
        let input = EndpointForUpdate {
            url,
            event_types: events.map(|e| e.into_iter().map(Into::into).collect()),
            description,
            enabled,
        };
        let settings = ctx.data_unchecked::<WebhookSettings>();
        let endpoint = webhooks::update(ctx.db(), ctx.request(), settings, &id, input).await?;
        Ok(WebhookEndpoint(endpoint))
    }

    /// Deletes an endpoint and its delivery log; true when done.
    #[graphql(guard = "RoleGuard::new(Role::Admin)")]
    async fn delete_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Endpoint id.")] id: ID,
    ) -> Result<bool> {
        webhooks::delete(ctx.db(), ctx.request(), &id).await?;
        Ok(true)
    }

    /// Sends a delivery again (typically a failed one), with the same `X-Expansion-Delivery` id
    /// and a fresh count of attempts.
    #[graphql(guard = "RoleGuard::new(Role::Admin)")]
    async fn redeliver_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Delivery id (`WebhookDelivery.id`).")] delivery_id: ID,
    ) -> Result<WebhookDelivery> {
        let delivery = webhooks::redeliver(ctx.db(), ctx.request(), &delivery_id).await?;
        Ok(WebhookDelivery(delivery))
    }
}
