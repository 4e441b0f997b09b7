//! Booking a won opportunity, inside the caller's transaction: a line on the client's active
//! contract, an `expansion` ledger event of the opportunity's category for its value, and the open
//! renewal's target raised by the same amount — so ledger ARR stays equal to the active contract's
//! ARR (the sum of its items). A won user expansion also adds its seats to the contract; a won
//! upsell also moves the client to the new tier.
use super::RequestContext;
use crate::db;
use crate::domain::inputs::RevenueEventForCreate;
use crate::domain::{
    Contract, ContractItem, Opportunity, OpportunityType, Pricing, ProductKind, RevenueCategory, RevenueKind, Tier,
};
use crate::error::{Error, Result};
use crate::processes::facts::Catalog;
use sea_orm::ConnectionTrait;

/// The line a won opportunity adds to the contract.
#[derive(Clone, Debug, PartialEq)]
pub struct ContractLine {
    pub product_id: String,
    pub quantity: i32,
    /// Seats the contract gains (user expansion only).
    pub added_seats: i32,
    /// The client's new tier (upsell only).
    pub new_tier: Option<Tier>,
}

/// Books `won` (already stored as won, with `closed_on` set).
pub async fn book(txn: &impl ConnectionTrait, rc: &RequestContext, won: &Opportunity) -> Result<()> {
    if won.value.cents() <= 0 {
        return Err(Error::bad_input(
            "value",
            format!("opportunity {} has no value to book", won.id),
            "> 0.00 to move to WON",
        ));
    }
    let contract = db::contracts::active_for_client(txn, &won.client_id)
        .await?
        .ok_or_else(|| {
            Error::Conflict(format!(
                "client {} has no active contract to add opportunity {} to",
                won.client_id, won.id
            ))
        })?;
    let closed_on = won.closed_on.unwrap_or_else(|| rc.today());
    if closed_on < contract.start_date {
        return Err(Error::bad_input(
            "closedOn",
            format!("{closed_on} is before active contract {} starts", contract.id),
            format!("on or after {}", contract.start_date),
        ));
    }
    let (products, items) = (
        db::products::all(txn).await?,
        db::contracts::items_by_contract_ids(txn, std::slice::from_ref(&contract.id)).await?,
    );
    let line = contract_line(&Catalog::new(products), won, &contract, &items)?;
    db::contracts::add_item(
        txn,
        &contract.id,
        &line.product_id,
        line.quantity,
        won.value,
        line.added_seats,
        rc.now,
    )
    .await?;
    let event = RevenueEventForCreate {
        client_id: won.client_id.clone(),
        occurred_on: closed_on,
        kind: RevenueKind::Expansion,
        category: category(won.opportunity_type),
        arr_delta: won.value,
        contract_id: Some(contract.id.clone()),
    };
    db::revenue::insert(txn, &event, Some(&won.id), None, rc.now).await?;
    db::renewals::raise_open_target(txn, &contract.id, won.value).await?;
    if let Some(tier) = line.new_tier {
        db::clients::set_tier(txn, &won.client_id, tier, rc.now).await?;
    }
    Ok(())
}

/// What a won opportunity adds to `contract`: its product (a usage expansion without one sells the
/// catalog's `usage` product; a user expansion without one adds seats of the contract's tier),
/// for every seat when sold per seat. A user expansion adds value ÷ per-seat price seats (at least
/// one). `CONFLICT` when no product can carry the line.
pub fn contract_line(
    catalog: &Catalog,
    won: &Opportunity,
    contract: &Contract,
    items: &[ContractItem],
) -> Result<ContractLine> {
    let contract_tier = || {
        catalog
            .ladder()
            .into_iter()
            .rfind(|t| items.iter().any(|i| i.product_id == t.id))
    };
    let product = match (&won.product_id, won.opportunity_type) {
        (Some(id), _) => catalog.product(id),
        (None, OpportunityType::UsageExpansion) => catalog.first_in_family("usage"),
        (None, OpportunityType::UserExpansion) => contract_tier(),
        (None, _) => None,
    }
    .ok_or_else(|| {
        Error::Conflict(format!(
            "opportunity {} names no catalog product to add to contract {}",
            won.id, contract.id
        ))
    })?;
    let every_seat = contract.seats.max(0);
    let (quantity, added_seats) = match won.opportunity_type {
        OpportunityType::UserExpansion => {
            let price = product.annual_price.cents();
            let seats = if price > 0 {
                ((won.value.cents() + price / 2) / price).max(1)
            } else {
                1
            };
            let seats = i32::try_from(seats).map_err(Error::internal)?;
            (seats, seats)
        }
        OpportunityType::Upsell => (every_seat, 0),
        _ if product.pricing == Pricing::PerSeat => (every_seat, 0),
        _ => (1, 0),
    };
    let new_tier = match (won.opportunity_type, product.kind) {
        (OpportunityType::Upsell, ProductKind::Tier) => {
            let position = catalog.ladder().iter().position(|t| t.id == product.id);
            position.and_then(|p| Tier::ALL.get(p)).copied()
        }
        _ => None,
    };
    Ok(ContractLine {
        product_id: product.id.clone(),
        quantity,
        added_seats,
        new_tier,
    })
}

/// The ledger category of a won opportunity: the category of the same name.
pub fn category(kind: OpportunityType) -> RevenueCategory {
    match kind {
        OpportunityType::Upsell => RevenueCategory::Upsell,
        OpportunityType::CrossSell => RevenueCategory::CrossSell,
        OpportunityType::UserExpansion => RevenueCategory::UserExpansion,
        OpportunityType::UsageExpansion => RevenueCategory::UsageExpansion,
        OpportunityType::ProfessionalServices => RevenueCategory::ProfessionalServices,
        OpportunityType::Training => RevenueCategory::Training,
    }
}

#[cfg(test)]
mod tests;
