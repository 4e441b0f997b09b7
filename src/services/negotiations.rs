//! 119: the negotiation package, built from the book and the 118 model and stored with its
//! guardrails; offers checked against them (the one rule lives in `check_offer`).
use super::forecast::scored_book;
use super::RequestContext;
use crate::db::{self, Db};
use crate::domain::ids::sequential;
use crate::domain::negotiation::{NegotiationOffer, StoredNegotiation};
use crate::domain::OpportunitySource;
use crate::domain::{Money, NegotiationStatus};
use crate::error::{Error, Result};
use crate::processes::forecast::model::history_of;
use crate::processes::forecast::predict;
use crate::processes::negotiation::{
    check_offer, negotiation_package, offer_discount, validate_term_months, ExpansionOption, NegotiationConfig,
    NegotiationInput, NegotiationPackage, NegotiationStrategy,
};
use crate::services::expansion::ExpansionSettings;
use crate::services::retry;
use chrono::{DateTime, NaiveDate, Utc};

/// A stored negotiation with its package read back.
#[derive(Clone, Debug, PartialEq)]
pub struct Negotiation {
    pub id: String,
    pub client_id: String,
    pub renewal_id: String,
    pub strategy: NegotiationStrategy,
    pub package: NegotiationPackage,
    pub status: NegotiationStatus,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// The negotiation that replaced this one.
    pub superseded_by: Option<String>,
}

/// Reads the stored JSON back; a document that no longer parses is a data bug.
fn typed(stored: StoredNegotiation) -> Result<Negotiation> {
    let strategy = NegotiationStrategy::parse("negotiation.strategy", &stored.strategy)
        .map_err(|e| Error::internal(anyhow::anyhow!("stored strategy: {}", e.message())))?;
    let package: NegotiationPackage = serde_json::from_value(stored.package)
        .map_err(|e| Error::internal(anyhow::anyhow!("stored package of {}: {e}", stored.id)))?;
    Ok(Negotiation {
        id: stored.id,
        client_id: stored.client_id,
        renewal_id: stored.renewal_id,
        strategy,
        package,
        status: stored.status,
        created_at: stored.created_at,
        closed_at: stored.closed_at,
        superseded_by: stored.superseded_by,
    })
}

/// `negotiateRenewal`: builds the package for the client's open renewal (`NOT_FOUND` without one)
/// and stores it as an open negotiation `NEG-n`, superseding the renewal's open one. Expansion options are the client's 116 pipeline
/// on `as_of`: its open stored opportunities merged with what is detected now (one per detection key).
#[allow(clippy::too_many_arguments)]
pub async fn negotiate(
    db: &Db,
    rc: &RequestContext,
    config: &NegotiationConfig,
    expansion: &ExpansionSettings,
    client_id: &str,
    strategy: NegotiationStrategy,
    as_of: NaiveDate,
) -> Result<Negotiation> {
    retry::transient(|| negotiate_once(db, rc, config, expansion, client_id, strategy, as_of)).await
}

#[allow(clippy::too_many_arguments)]
async fn negotiate_once(
    db: &Db,
    rc: &RequestContext,
    config: &NegotiationConfig,
    expansion: &ExpansionSettings,
    client_id: &str,
    strategy: NegotiationStrategy,
    as_of: NaiveDate,
) -> Result<Negotiation> {
    let client = super::queries::client(db, client_id).await?;
    let renewal = db::renewals::open_for_client(db, client_id)
        .await?
        .ok_or_else(|| Error::not_found("open renewal of client", client_id))?;
    let book = scored_book(db, as_of).await?;
    let case = book
        .data
        .cases
        .iter()
        .find(|c| c.renewal.id == renewal.id)
        .ok_or_else(|| Error::internal(anyhow::anyhow!("renewal {} not in the book", renewal.id)))?;
    let history = history_of(&book.data.clients, case)?;
    let prediction = predict(&book.model, case, history, as_of);
    // The value proposition reads the client's whole history, not only the forecast's rows.
    let ids = [client_id.to_owned()];
    let (usage, health, revenue_events) = tokio::try_join!(
        db::snapshots::usage_by_client_ids(db, &ids),
        db::snapshots::health_by_client_ids(db, &ids),
        db::revenue::by_client_ids(db, &ids),
    )?;
    let params = super::expansion::expansion_params(None, expansion)?;
    let pipeline = super::expansion::expansion(db, Some(client_id), &params, as_of).await?;
    let opportunities: Vec<ExpansionOption> = pipeline
        .clients
        .iter()
        .filter(|c| c.client_id == client_id)
        .flat_map(|c| c.opportunities.iter())
        .map(|item| ExpansionOption {
            key: item
                .opportunity_id
                .clone()
                .or_else(|| item.detection_key.clone())
                .unwrap_or_else(|| item.name.clone()),
            opportunity_type: item.opportunity_type,
            name: item.name.clone(),
            value: item.value,
            probability: item.probability,
            source: if item.opportunity_id.is_some() && item.detection_key.is_none() {
                OpportunitySource::Manual
            } else {
                OpportunitySource::Detected
            },
        })
        .collect();
    let input = NegotiationInput {
        client,
        renewal: case.renewal.clone(),
        contract: case.contract.clone(),
        usage,
        health,
        revenue_events,
        opportunities,
        prediction,
    };
    let package = negotiation_package(&input, strategy, config, as_of)?;
    let json = |value: serde_json::Result<serde_json::Value>| value.map_err(Error::internal);

    let txn = db::write::begin(db).await?;
    let id = sequential("NEG", db::sequences::next(&txn, "negotiation").await?);
    let stored = StoredNegotiation {
        id: id.clone(),
        client_id: client_id.to_owned(),
        renewal_id: renewal.id.clone(),
        strategy: strategy.as_str().to_owned(),
        package: json(serde_json::to_value(&package))?,
        guardrails: json(serde_json::to_value(&package.guardrails))?,
        status: NegotiationStatus::Open,
        created_at: rc.now,
        closed_at: None,
        superseded_by: None,
    };
    // One open negotiation per renewal: the one running is kept, with its offers, as superseded.
    db::negotiations::supersede_for_renewal(&txn, &renewal.id, &id, rc.now).await?;
    db::negotiations::insert(&txn, &stored).await?;
    let targets = [client_id, renewal.id.as_str(), id.as_str()];
    db::audit::record(&txn, &rc.actor, "negotiateRenewal", &targets, &rc.request_id, rc.now).await?;
    txn.commit().await?;
    typed(stored)
}

/// One negotiation, or `NOT_FOUND`.
pub async fn get(db: &Db, id: &str) -> Result<Negotiation> {
    let stored = db::negotiations::get(db, id)
        .await?
        .ok_or_else(|| Error::not_found("negotiation", id))?;
    typed(stored)
}

/// Negotiations of these clients, newest first (for the loader).
pub async fn by_client_ids(db: &Db, client_ids: &[String]) -> Result<Vec<Negotiation>> {
    db::negotiations::by_client_ids(db, client_ids)
        .await?
        .into_iter()
        .map(typed)
        .collect()
}

/// An offer to record. Who approves it is not part of it: that is the caller (`rc.actor`).
#[derive(Clone, Debug, PartialEq)]
pub struct OfferForCreate {
    pub arr: Money,
    pub term_months: i64,
}

/// `recordNegotiationOffer`: below the negotiation's minimum acceptable ARR only a caller whose
/// ADMIN token approves guardrails lets it through (`GUARDRAIL_VIOLATION` otherwise); a refused
/// offer stores nothing. An ADMIN's offers are stored as approved by that token's name.
pub async fn record_offer(
    db: &Db,
    rc: &RequestContext,
    negotiation_id: &str,
    offer: OfferForCreate,
) -> Result<NegotiationOffer> {
    retry::transient(|| record_offer_once(db, rc, negotiation_id, offer.clone())).await
}

async fn record_offer_once(
    db: &Db,
    rc: &RequestContext,
    negotiation_id: &str,
    offer: OfferForCreate,
) -> Result<NegotiationOffer> {
    let arr = offer.arr.non_negative("arr")?;
    let months = validate_term_months("termMonths", offer.term_months)?;
    let approves = rc.actor.approves_guardrails();
    let approved_by = approves.then(|| rc.actor.name.clone());
    let txn = db::write::begin(db).await?;
    let negotiation = db::negotiations::get(&txn, negotiation_id)
        .await?
        .ok_or_else(|| Error::not_found("negotiation", negotiation_id))
        .and_then(typed)?;
    match negotiation.status {
        NegotiationStatus::Open => {}
        NegotiationStatus::Closed => {
            return Err(Error::Conflict(format!("negotiation {negotiation_id} is closed")));
        }
        NegotiationStatus::Superseded => {
            return Err(Error::Conflict(format!(
                "negotiation {negotiation_id} was superseded by {}",
                negotiation.superseded_by.as_deref().unwrap_or("a newer one")
            )));
        }
    }
    let guardrails = &negotiation.package.guardrails;
    check_offer(guardrails, arr, approves)?;
    // An offer above the proposal is no discount (the column holds 0–1).
    let discount = offer_discount(guardrails, arr).clamp(0.0, 1.0);
    let saved = db::negotiations::insert_offer(
        &txn,
        negotiation_id,
        arr,
        months as i32,
        discount,
        approved_by.as_deref(),
        rc.now,
    )
    .await?;
    db::outbox::append(
        &txn,
        crate::events::payloads::offer_recorded(negotiation.event_ref(), &saved, rc.now),
    )
    .await?;
    let offer_id = saved.id.to_string();
    let targets = [negotiation.client_id.as_str(), negotiation_id, offer_id.as_str()];
    db::audit::record(
        &txn,
        &rc.actor,
        "recordNegotiationOffer",
        &targets,
        &rc.request_id,
        rc.now,
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Offers of these negotiations, oldest first (for the loader).
pub async fn offers_by_negotiation_ids(db: &Db, ids: &[String]) -> Result<Vec<NegotiationOffer>> {
    db::negotiations::offers_by_negotiation_ids(db, ids).await
}
