//! Creating and changing clients and their contacts.
use super::RequestContext;
use crate::db::{self, Db};
use crate::domain::ids::{generate_client_id, with_suffix};
use crate::domain::inputs::{ClientForCreate, ClientForUpdate, ContactForCreate};
use crate::domain::{Client, Contact};
use crate::error::{Error, Result};
use crate::services::retry;

/// How many numbered suffixes to try when generated ids collide.
const MAX_ID_ATTEMPTS: u32 = 50;

/// Creates a client. A given id that exists is a `CONFLICT`; a generated one is made unique.
pub async fn create(db: &Db, rc: &RequestContext, input: ClientForCreate) -> Result<Client> {
    retry::transient(|| create_once(db, rc, input.clone())).await
}

async fn create_once(db: &Db, rc: &RequestContext, input: ClientForCreate) -> Result<Client> {
    let input = input.validate()?;
    let txn = db::write::begin(db).await?;
    let id = match &input.id {
        Some(id) => {
            if db::clients::get(&txn, id).await?.is_some() {
                return Err(Error::Conflict(format!("client {id} already exists")));
            }
            id.clone()
        }
        None => {
            let base = generate_client_id(&input.name, rc.now.timestamp());
            let mut chosen = None;
            for attempt in 1..=MAX_ID_ATTEMPTS {
                let candidate = with_suffix(&base, attempt);
                if db::clients::get(&txn, &candidate).await?.is_none() {
                    chosen = Some(candidate);
                    break;
                }
            }
            chosen.ok_or_else(|| Error::Conflict(format!("no free id near {base}")))?
        }
    };
    let client = Client {
        id,
        name: input.name,
        company_name: input.company_name.unwrap_or_default(),
        industry: input.industry,
        tier: input.tier,
        lifecycle_stage: input.lifecycle_stage,
        status: input.status,
        csm_owner: input.csm_owner,
        customer_since: input.customer_since,
        acquisition_cost: input.acquisition_cost,
        created_at: rc.now,
        updated_at: rc.now,
        version: 1,
    };
    db::clients::insert(&txn, &client).await?;
    db::audit::record(&txn, &rc.actor, "createClient", &[&client.id], &rc.request_id, rc.now).await?;
    txn.commit().await?;
    Ok(client)
}

/// Applies the present fields if `expected_version` is current; else `CONFLICT`.
pub async fn update(db: &Db, rc: &RequestContext, id: &str, input: ClientForUpdate) -> Result<Client> {
    retry::transient(|| update_once(db, rc, id, input.clone())).await
}

async fn update_once(db: &Db, rc: &RequestContext, id: &str, input: ClientForUpdate) -> Result<Client> {
    let input = input.validate()?;
    let txn = db::write::begin(db).await?;
    let current = db::clients::get(&txn, id)
        .await?
        .ok_or_else(|| Error::not_found("client", id))?;
    if current.version != input.expected_version {
        return Err(Error::Conflict(format!(
            "client {id} is at version {}, not {}: reload and retry",
            current.version, input.expected_version
        )));
    }
    let updated = Client {
        name: input.name.unwrap_or(current.name.clone()),
        company_name: input.company_name.unwrap_or(current.company_name.clone()),
        industry: input.industry.unwrap_or(current.industry.clone()),
        tier: input.tier.unwrap_or(current.tier),
        lifecycle_stage: input.lifecycle_stage.unwrap_or(current.lifecycle_stage),
        status: input.status.unwrap_or(current.status),
        csm_owner: input.csm_owner.or(current.csm_owner.clone()),
        acquisition_cost: input.acquisition_cost.or(current.acquisition_cost),
        updated_at: rc.now,
        version: current.version + 1,
        ..current
    };
    // The version check is repeated in the UPDATE itself, so a writer between our read and write
    // (another replica) is caught too.
    if !db::clients::update_if_version(&txn, &updated, input.expected_version, rc.now).await? {
        return Err(Error::Conflict(format!(
            "client {id} changed meanwhile: reload and retry"
        )));
    }
    db::audit::record(&txn, &rc.actor, "updateClient", &[id], &rc.request_id, rc.now).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Adds a contact to an existing client.
pub async fn add_contact(db: &Db, rc: &RequestContext, input: ContactForCreate) -> Result<Contact> {
    retry::transient(|| add_contact_once(db, rc, input.clone())).await
}

async fn add_contact_once(db: &Db, rc: &RequestContext, input: ContactForCreate) -> Result<Contact> {
    let input = input.validate()?;
    let txn = db::write::begin(db).await?;
    if db::clients::get(&txn, &input.client_id).await?.is_none() {
        return Err(Error::not_found("client", &input.client_id));
    }
    let contact = db::contacts::insert(&txn, &input, rc.now).await?;
    db::audit::record(
        &txn,
        &rc.actor,
        "addContact",
        &[&input.client_id],
        &rc.request_id,
        rc.now,
    )
    .await?;
    txn.commit().await?;
    Ok(contact)
}
