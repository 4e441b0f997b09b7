//! Entity ⇄ domain conversion. A stored enum text that no longer parses is a data bug: it becomes
//! an internal error (logged), never a panic.
use crate::domain::health::HealthComponents;
use crate::domain::*;
use crate::error::{Error, Result};
use entity::*;

/// Parses a stored enum text; a failure is internal, not the caller's fault.
fn stored<T>(parse: fn(&str, &str) -> Result<T>, column: &str, text: &str) -> Result<T> {
    parse(column, text).map_err(|e| Error::internal(anyhow::anyhow!("stored {column}: {}", e.message())))
}

pub fn client(m: client::Model) -> Result<Client> {
    Ok(Client {
        tier: stored(Tier::parse, "client.tier", &m.tier)?,
        lifecycle_stage: stored(LifecycleStage::parse, "client.lifecycle_stage", &m.lifecycle_stage)?,
        status: stored(ClientStatus::parse, "client.status", &m.status)?,
        acquisition_cost: m.acquisition_cost_cents.map(Money::from_cents),
        id: m.id,
        name: m.name,
        company_name: m.company_name,
        industry: m.industry,
        csm_owner: m.csm_owner,
        customer_since: m.customer_since,
        created_at: m.created_at,
        updated_at: m.updated_at,
        version: m.version,
    })
}

pub fn contact(m: contact::Model) -> Result<Contact> {
    Ok(Contact {
        role: stored(ContactRole::parse, "contact.role", &m.role)?,
        id: m.id,
        client_id: m.client_id,
        name: m.name,
        email: m.email,
        is_primary: m.is_primary,
    })
}

pub fn product(m: product::Model) -> Result<Product> {
    Ok(Product {
        kind: stored(ProductKind::parse, "product.kind", &m.kind)?,
        pricing: stored(Pricing::parse, "product.pricing", &m.pricing)?,
        annual_price: Money::from_cents(m.annual_price_cents),
        id: m.id,
        name: m.name,
        family: m.family,
        tier_rank: m.tier_rank,
    })
}

pub fn contract(m: contract::Model) -> Result<Contract> {
    Ok(Contract {
        contract_type: stored(ContractType::parse, "contract.contract_type", &m.contract_type)?,
        payment_status: stored(PaymentStatus::parse, "contract.payment_status", &m.payment_status)?,
        status: stored(ContractStatus::parse, "contract.status", &m.status)?,
        id: m.id,
        client_id: m.client_id,
        start_date: m.start_date,
        end_date: m.end_date,
        renewal_date: m.renewal_date,
        auto_renew: m.auto_renew,
        notice_period_days: m.notice_period_days,
        seats: m.seats,
        discount: m.discount,
    })
}

/// The contract columns [`contract_by_position`] reads, in its order (`alias.` prefixed). Whole-book
/// reads select these instead of `*`: no timestamps the domain does not keep, and each value is
/// read by position, not looked up by name (a name lookup per value was a tenth of a 50k forecast's
/// server CPU).
pub fn contract_columns(alias: &str) -> String {
    const COLUMNS: [&str; 12] = [
        "id",
        "client_id",
        "contract_type",
        "start_date",
        "end_date",
        "renewal_date",
        "auto_renew",
        "notice_period_days",
        "payment_status",
        "seats",
        "discount",
        "status",
    ];
    COLUMNS.map(|c| format!("{alias}.{c}")).join(", ")
}

/// A contract from a row of [`contract_columns`].
pub fn contract_by_position(row: &sea_orm::QueryResult) -> Result<Contract> {
    let text = |i: usize| -> Result<String> { Ok(row.try_get_by_index(i)?) };
    Ok(Contract {
        id: text(0)?,
        client_id: text(1)?,
        contract_type: stored(ContractType::parse, "contract.contract_type", &text(2)?)?,
        start_date: row.try_get_by_index(3)?,
        end_date: row.try_get_by_index(4)?,
        renewal_date: row.try_get_by_index(5)?,
        auto_renew: row.try_get_by_index(6)?,
        notice_period_days: row.try_get_by_index(7)?,
        payment_status: stored(PaymentStatus::parse, "contract.payment_status", &text(8)?)?,
        seats: row.try_get_by_index(9)?,
        discount: row.try_get_by_index(10)?,
        status: stored(ContractStatus::parse, "contract.status", &text(11)?)?,
    })
}

pub fn contract_item(m: contract_item::Model) -> Result<ContractItem> {
    Ok(ContractItem {
        id: m.id,
        contract_id: m.contract_id,
        product_id: m.product_id,
        quantity: m.quantity,
        arr: Money::from_cents(m.arr_cents),
    })
}

pub fn usage(m: usage_snapshot::Model) -> Result<UsageSnapshot> {
    Ok(UsageSnapshot {
        id: m.id,
        client_id: m.client_id,
        period_start: m.period_start,
        seats_licensed: m.seats_licensed,
        active_users: m.active_users,
        usage_rate: m.usage_rate,
        feature_adoption: m.feature_adoption,
        api_calls: m.api_calls,
        logins: m.logins,
        reports_exported: m.reports_exported,
    })
}

pub fn health(m: health_snapshot::Model) -> Result<HealthSnapshot> {
    Ok(HealthSnapshot {
        trend: stored(HealthTrend::parse, "health_snapshot.trend", &m.trend)?,
        components: HealthComponents {
            usage: m.usage_score,
            engagement: m.engagement_score,
            support: m.support_score,
            satisfaction: m.satisfaction_score,
            payment: m.payment_score,
        },
        id: m.id,
        client_id: m.client_id,
        as_of: m.as_of,
        overall_score: m.overall_score,
    })
}

pub fn renewal(m: renewal::Model) -> Result<Renewal> {
    Ok(Renewal {
        status: stored(RenewalStatus::parse, "renewal.status", &m.status)?,
        target_arr: Money::from_cents(m.target_arr_cents),
        outcome_arr: m.outcome_arr_cents.map(Money::from_cents),
        id: m.id,
        contract_id: m.contract_id,
        client_id: m.client_id,
        renewal_date: m.renewal_date,
        closed_at: m.closed_at,
    })
}

pub fn opportunity(m: opportunity::Model) -> Result<Opportunity> {
    let reasons = serde_json::from_value::<Vec<String>>(m.reasons).unwrap_or_default();
    Ok(Opportunity {
        opportunity_type: stored(OpportunityType::parse, "opportunity.type", &m.opportunity_type)?,
        stage: stored(OpportunityStage::parse, "opportunity.stage", &m.stage)?,
        source: stored(OpportunitySource::parse, "opportunity.source", &m.source)?,
        value: Money::from_cents(m.value_cents),
        reasons,
        id: m.id,
        client_id: m.client_id,
        product_id: m.product_id,
        name: m.name,
        probability: m.probability,
        detection_key: m.detection_key,
        expected_close_date: m.expected_close_date,
        closed_on: m.closed_on,
        owner: m.owner,
        version: m.version,
        created_at: m.created_at,
    })
}

pub fn revenue_event(m: revenue_event::Model) -> Result<RevenueEvent> {
    Ok(RevenueEvent {
        kind: stored(RevenueKind::parse, "revenue_event.kind", &m.kind)?,
        category: stored(RevenueCategory::parse, "revenue_event.category", &m.category)?,
        arr_delta: Money::from_cents(m.arr_delta_cents),
        id: m.id,
        client_id: m.client_id,
        occurred_on: m.occurred_on,
        contract_id: m.contract_id,
        opportunity_id: m.opportunity_id,
        renewal_id: m.renewal_id,
    })
}

pub fn reminder(m: renewal_reminder::Model) -> Result<crate::domain::reminder::RenewalReminder> {
    Ok(crate::domain::reminder::RenewalReminder {
        status: stored(ReminderStatus::parse, "renewal_reminder.status", &m.status)?,
        id: m.id,
        renewal_id: m.renewal_id,
        offset_days: m.offset_days,
        due_date: m.due_date,
        completed_at: m.completed_at,
        note: m.note,
    })
}

pub fn negotiation(m: entity::negotiation::Model) -> Result<crate::domain::negotiation::StoredNegotiation> {
    Ok(crate::domain::negotiation::StoredNegotiation {
        // The table keeps a superseded negotiation `closed` (see the migration adding superseded_by).
        status: match m.superseded_by {
            Some(_) => NegotiationStatus::Superseded,
            None => stored(NegotiationStatus::parse, "negotiation.status", &m.status)?,
        },
        superseded_by: m.superseded_by,
        id: m.id,
        client_id: m.client_id,
        renewal_id: m.renewal_id,
        strategy: m.strategy,
        package: m.package,
        guardrails: m.guardrails,
        created_at: m.created_at,
        closed_at: m.closed_at,
    })
}

pub fn negotiation_offer(m: negotiation_offer::Model) -> Result<crate::domain::negotiation::NegotiationOffer> {
    Ok(crate::domain::negotiation::NegotiationOffer {
        arr: Money::from_cents(m.arr_cents),
        id: m.id,
        negotiation_id: m.negotiation_id,
        term_months: m.term_months,
        discount: m.discount,
        approved_by: m.approved_by,
        created_at: m.created_at,
    })
}

/// Converts every model, stopping at the first bad row.
pub fn all<M, T>(models: Vec<M>, one: fn(M) -> Result<T>) -> Result<Vec<T>> {
    models.into_iter().map(one).collect()
}
