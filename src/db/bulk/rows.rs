//! Demo records → entity rows. Autoincrement ids stay `NotSet` so the database numbers them
//! (PostgreSQL sequences stay in step); timestamps the records lack derive from their dates.
use crate::domain::reminder::RenewalReminder;
use crate::domain::{
    Client, Contact, Contract, ContractItem, ContractStatus, HealthSnapshot, Opportunity, Product, Renewal,
    RevenueEvent, UsageSnapshot,
};
use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    client, contact, contract, contract_item, health_snapshot, opportunity, product, renewal, renewal_reminder,
    revenue_event, usage_snapshot,
};
use sea_orm::ActiveValue::{NotSet, Set};

/// `date` at `hour`:00 UTC.
pub(super) fn at(date: NaiveDate, hour: u32) -> DateTime<Utc> {
    date.and_hms_opt(hour, 0, 0).expect("hour is below 24").and_utc()
}

pub(super) fn product(p: &Product, created_at: DateTime<Utc>) -> product::ActiveModel {
    product::ActiveModel {
        id: Set(p.id.clone()),
        name: Set(p.name.clone()),
        family: Set(p.family.clone()),
        kind: Set(p.kind.as_str().to_owned()),
        tier_rank: Set(p.tier_rank),
        pricing: Set(p.pricing.as_str().to_owned()),
        annual_price_cents: Set(p.annual_price.cents()),
        created_at: Set(created_at),
    }
}

/// A client: the same columns as any inserted client.
pub(super) fn client(c: &Client) -> client::ActiveModel {
    crate::db::clients::active(c)
}

/// A contact, created with its client.
pub(super) fn contact(c: &Contact, created_at: DateTime<Utc>) -> contact::ActiveModel {
    contact::ActiveModel {
        id: NotSet,
        client_id: Set(c.client_id.clone()),
        name: Set(c.name.clone()),
        email: Set(c.email.clone()),
        role: Set(c.role.as_str().to_owned()),
        is_primary: Set(c.is_primary),
        created_at: Set(created_at),
    }
}

/// A contract, written when it started and last touched when it ended (if it has).
pub(super) fn contract(c: &Contract) -> contract::ActiveModel {
    let created_at = at(c.start_date, 9);
    let updated_at = if c.status == ContractStatus::Active {
        created_at
    } else {
        at(c.end_date, 17)
    };
    contract::ActiveModel {
        id: Set(c.id.clone()),
        client_id: Set(c.client_id.clone()),
        contract_type: Set(c.contract_type.as_str().to_owned()),
        start_date: Set(c.start_date),
        end_date: Set(c.end_date),
        renewal_date: Set(c.renewal_date),
        auto_renew: Set(c.auto_renew),
        notice_period_days: Set(c.notice_period_days),
        payment_status: Set(c.payment_status.as_str().to_owned()),
        seats: Set(c.seats),
        discount: Set(c.discount),
        status: Set(c.status.as_str().to_owned()),
        created_at: Set(created_at),
        updated_at: Set(updated_at),
    }
}

pub(super) fn contract_item(i: &ContractItem) -> contract_item::ActiveModel {
    contract_item::ActiveModel {
        id: NotSet,
        contract_id: Set(i.contract_id.clone()),
        product_id: Set(i.product_id.clone()),
        quantity: Set(i.quantity),
        arr_cents: Set(i.arr.cents()),
    }
}

pub(super) fn usage(u: &UsageSnapshot) -> usage_snapshot::ActiveModel {
    usage_snapshot::ActiveModel {
        id: NotSet,
        client_id: Set(u.client_id.clone()),
        period_start: Set(u.period_start),
        seats_licensed: Set(u.seats_licensed),
        active_users: Set(u.active_users),
        usage_rate: Set(u.usage_rate),
        feature_adoption: Set(u.feature_adoption),
        api_calls: Set(u.api_calls),
        logins: Set(u.logins),
        reports_exported: Set(u.reports_exported),
    }
}

pub(super) fn health(h: &HealthSnapshot) -> health_snapshot::ActiveModel {
    health_snapshot::ActiveModel {
        id: NotSet,
        client_id: Set(h.client_id.clone()),
        as_of: Set(h.as_of),
        usage_score: Set(h.components.usage),
        engagement_score: Set(h.components.engagement),
        support_score: Set(h.components.support),
        satisfaction_score: Set(h.components.satisfaction),
        payment_score: Set(h.components.payment),
        overall_score: Set(h.overall_score),
        trend: Set(h.trend.as_str().to_owned()),
    }
}

/// A renewal, created with its contract.
pub(super) fn renewal(r: &Renewal, contract_start: NaiveDate) -> renewal::ActiveModel {
    renewal::ActiveModel {
        id: Set(r.id.clone()),
        contract_id: Set(r.contract_id.clone()),
        client_id: Set(r.client_id.clone()),
        renewal_date: Set(r.renewal_date),
        target_arr_cents: Set(r.target_arr.cents()),
        status: Set(r.status.as_str().to_owned()),
        outcome_arr_cents: Set(r.outcome_arr.map(|m| m.cents())),
        closed_at: Set(r.closed_at),
        created_at: Set(at(contract_start, 9)),
    }
}

/// A reminder, created on its due date at the latest (the scheduler creates them ahead of time)
/// and never after it was finished.
pub(super) fn reminder(r: &RenewalReminder) -> renewal_reminder::ActiveModel {
    let created_at = r
        .completed_at
        .map_or(at(r.due_date, 6), |done| done.min(at(r.due_date, 6)));
    renewal_reminder::ActiveModel {
        id: NotSet,
        renewal_id: Set(r.renewal_id.clone()),
        offset_days: Set(r.offset_days),
        due_date: Set(r.due_date),
        status: Set(r.status.as_str().to_owned()),
        completed_at: Set(r.completed_at),
        note: Set(r.note.clone()),
        created_at: Set(created_at),
    }
}

/// An opportunity, last updated when it closed (or when it was created, if open).
pub(super) fn opportunity(o: &Opportunity) -> opportunity::ActiveModel {
    opportunity::ActiveModel {
        id: Set(o.id.clone()),
        client_id: Set(o.client_id.clone()),
        opportunity_type: Set(o.opportunity_type.as_str().to_owned()),
        product_id: Set(o.product_id.clone()),
        name: Set(o.name.clone()),
        value_cents: Set(o.value.cents()),
        probability: Set(o.probability),
        stage: Set(o.stage.as_str().to_owned()),
        source: Set(o.source.as_str().to_owned()),
        detection_key: Set(o.detection_key.clone()),
        reasons: Set(serde_json::Value::from(o.reasons.clone())),
        expected_close_date: Set(o.expected_close_date),
        closed_on: Set(o.closed_on),
        owner: Set(o.owner.clone()),
        version: Set(o.version),
        created_at: Set(o.created_at),
        updated_at: Set(o.closed_on.map_or(o.created_at, |d| at(d, 10).max(o.created_at))),
    }
}

/// A ledger entry, written the day it happened.
pub(super) fn revenue_event(e: &RevenueEvent) -> revenue_event::ActiveModel {
    revenue_event::ActiveModel {
        id: NotSet,
        client_id: Set(e.client_id.clone()),
        occurred_on: Set(e.occurred_on),
        kind: Set(e.kind.as_str().to_owned()),
        category: Set(e.category.as_str().to_owned()),
        arr_delta_cents: Set(e.arr_delta.cents()),
        contract_id: Set(e.contract_id.clone()),
        opportunity_id: Set(e.opportunity_id.clone()),
        renewal_id: Set(e.renewal_id.clone()),
        created_at: Set(at(e.occurred_on, 10)),
    }
}
