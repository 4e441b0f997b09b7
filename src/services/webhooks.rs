//! Webhook endpoints (ADMIN): register with the signing secret shown once, change, delete, read the
//! delivery log, send a delivery again. Each write is one transaction with its audit row.
use super::RequestContext;
use crate::config::WebhookSettings;
use crate::db::{self, Db};
use crate::domain::queries::{Page, PageRequest};
use crate::domain::validate::optional_text;
use crate::error::{Error, Result};
use crate::events::address::{refused_host, refused_ip};
use crate::events::webhook::{Delivery, DeliveryStatus, Endpoint};
use crate::events::EventType;
use crate::services::retry;

/// What `createWebhookEndpoint` asks for.
#[derive(Clone, Debug)]
pub struct EndpointForCreate {
    pub url: String,
    pub event_types: Vec<EventType>,
    pub description: Option<String>,
}

/// What `updateWebhookEndpoint` changes (absent = unchanged).
#[derive(Clone, Debug, Default)]
pub struct EndpointForUpdate {
    pub url: Option<String>,
    pub event_types: Option<Vec<EventType>>,
    pub description: Option<String>,
    /// Turning an endpoint back on clears its failure streak and disabled reason.
    pub enabled: Option<bool>,
}

/// The one moment the secret is shown.
#[derive(Clone, Debug)]
pub struct CreatedEndpoint {
    pub endpoint: Endpoint,
    pub secret: String,
}

/// An http(s) URL with a host that is not a link-local or metadata address (unless allowed).
/// Host names are checked again on every delivery, against every address they resolve to.
pub fn check_url(url: &str, settings: &WebhookSettings) -> Result<String> {
    let allowed = "an http:// or https:// URL of at most 2000 characters, not a link-local or metadata address";
    let bad = |message: String| Error::bad_input("url", message, allowed);
    if url.len() > 2000 {
        return Err(bad("the URL is too long".into()));
    }
    let parsed = reqwest::Url::parse(url).map_err(|e| bad(format!("`{url}` is not a URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(bad(format!("scheme `{}` is not http or https", parsed.scheme())));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(bad(
            "credentials in the URL are not allowed; the signature authenticates".into(),
        ));
    }
    let refused = match parsed.host() {
        None => Some("no host"),
        Some(url::Host::Ipv4(ip)) => refused_ip(ip.into(), settings.allow_link_local),
        Some(url::Host::Ipv6(ip)) => refused_ip(ip.into(), settings.allow_link_local),
        Some(url::Host::Domain(name)) => refused_host(name, settings.allow_link_local),
    };
    match refused {
        Some(why) => Err(bad(format!("`{url}` points to {why}"))),
        None => Ok(parsed.to_string()),
    }
}

fn check_types(types: &[EventType]) -> Result<Vec<EventType>> {
    let mut unique: Vec<EventType> = Vec::new();
    for t in types {
        if !unique.contains(t) {
            unique.push(*t);
        }
    }
    if unique.is_empty() {
        return Err(Error::bad_input(
            "events",
            "an endpoint must receive at least one event type",
            "1–6 event types",
        ));
    }
    Ok(unique)
}

/// `createWebhookEndpoint`.
pub async fn create(
    db: &Db,
    rc: &RequestContext,
    settings: &WebhookSettings,
    input: EndpointForCreate,
) -> Result<CreatedEndpoint> {
    let url = check_url(&input.url, settings)?;
    let event_types = check_types(&input.event_types)?;
    let description = optional_text("description", input.description.as_deref(), 2000)?;
    let endpoint = Endpoint {
        id: format!("whk_{}", &uuid::Uuid::new_v4().simple().to_string()[..16]),
        url,
        event_types,
        description,
        enabled: true,
        disabled_reason: None,
        consecutive_failures: 0,
        created_at: rc.now,
        updated_at: rc.now,
    };
    let secret = format!(
        "whsec_{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    retry::transient(|| async {
        let txn = db::write::begin(db).await?;
        db::webhooks::insert_endpoint(&txn, &endpoint, &secret).await?;
        audit(&txn, rc, "createWebhookEndpoint", &endpoint.id).await?;
        txn.commit().await?;
        Ok(())
    })
    .await?;
    Ok(CreatedEndpoint { endpoint, secret })
}

async fn audit(txn: &db::write::WriteTxn, rc: &RequestContext, operation: &str, id: &str) -> Result<()> {
    db::audit::record(txn, &rc.actor, operation, &[id], &rc.request_id, rc.now).await
}

/// `updateWebhookEndpoint`.
pub async fn update(
    db: &Db,
    rc: &RequestContext,
    settings: &WebhookSettings,
    id: &str,
    input: EndpointForUpdate,
) -> Result<Endpoint> {
    let url = input.url.as_deref().map(|u| check_url(u, settings)).transpose()?;
    let types = input.event_types.as_deref().map(check_types).transpose()?;
    let description = optional_text("description", input.description.as_deref(), 2000)?;
    retry::transient(|| async {
        let txn = db::write::begin(db).await?;
        let current = db::webhooks::get_endpoint(&txn, id)
            .await?
            .ok_or_else(|| Error::not_found("webhook endpoint", id))?;
        let mut updated = Endpoint {
            url: url.clone().unwrap_or_else(|| current.url.clone()),
            event_types: types.clone().unwrap_or_else(|| current.event_types.clone()),
            description: description.clone().or_else(|| current.description.clone()),
            updated_at: rc.now,
            ..current.clone()
        };
        match input.enabled {
            Some(true) if !current.enabled => {
                updated.enabled = true;
                updated.disabled_reason = None;
                updated.consecutive_failures = 0;
            }
            Some(false) if current.enabled => {
                updated.enabled = false;
                updated.disabled_reason = Some(format!("disabled by {}", rc.actor.name));
            }
            _ => {}
        }
        db::webhooks::update_endpoint(&txn, &updated).await?;
        audit(&txn, rc, "updateWebhookEndpoint", id).await?;
        txn.commit().await?;
        Ok(updated)
    })
    .await
}

/// `deleteWebhookEndpoint`: the endpoint and its delivery log; `NOT_FOUND` when it does not exist.
pub async fn delete(db: &Db, rc: &RequestContext, id: &str) -> Result<()> {
    retry::transient(|| async {
        let txn = db::write::begin(db).await?;
        if !db::webhooks::delete_endpoint(&txn, id).await? {
            return Err(Error::not_found("webhook endpoint", id));
        }
        audit(&txn, rc, "deleteWebhookEndpoint", id).await?;
        txn.commit().await?;
        Ok(())
    })
    .await
}

/// `redeliverWebhook`: the delivery goes back in the queue now, with a fresh count of attempts
/// and the same idempotency key. A disabled endpoint receives it once it is enabled again.
pub async fn redeliver(db: &Db, rc: &RequestContext, delivery_id: &str) -> Result<Delivery> {
    retry::transient(|| async {
        let txn = db::write::begin(db).await?;
        if !db::webhooks::requeue(&txn, delivery_id, rc.now).await? {
            return Err(Error::not_found("webhook delivery", delivery_id));
        }
        audit(&txn, rc, "redeliverWebhook", delivery_id).await?;
        let delivery = db::webhooks::get_delivery(&txn, delivery_id)
            .await?
            .ok_or_else(|| Error::not_found("webhook delivery", delivery_id))?;
        txn.commit().await?;
        Ok(delivery)
    })
    .await
}

/// `webhookEndpoints`.
pub async fn endpoints(db: &Db) -> Result<Vec<Endpoint>> {
    db::webhooks::endpoints(db).await
}

/// `webhookDeliveries(endpointId)`: newest first; `NOT_FOUND` for an unknown endpoint.
pub async fn deliveries(
    db: &Db,
    endpoint_id: &str,
    status: Option<DeliveryStatus>,
    page: PageRequest,
) -> Result<Page<Delivery>> {
    if db::webhooks::get_endpoint(db, endpoint_id).await?.is_none() {
        return Err(Error::not_found("webhook endpoint", endpoint_id));
    }
    db::webhooks::deliveries(db, endpoint_id, status, page).await
}
