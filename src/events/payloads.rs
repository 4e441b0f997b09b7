//! The event of each cause, built from the records the service just wrote. Amounts are exact
//! decimal strings (`"72000.00"`); `reason` says what happened in words. `db::outbox::append` adds
//! the client's name to `data.client` and in front of the reason.
use super::{EventType, NewEvent};
use crate::domain::negotiation::NegotiationOffer;
use crate::domain::reminder::RenewalReminder;
use crate::domain::{Money, Opportunity, OpportunityStage, Renewal};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

fn event(event_type: EventType, now: DateTime<Utc>, client_id: &str, subject_id: &str) -> NewEvent {
    NewEvent {
        event_type,
        occurred_at: now,
        client_id: Some(client_id.to_owned()),
        subject_id: Some(subject_id.to_owned()),
        dedupe_key: None,
        data: json!({}),
    }
}

/// `reminder.due`: once per reminder (the dedupe key is the reminder's id).
pub fn reminder_due(reminder: &RenewalReminder, renewal: &Renewal, today: NaiveDate, now: DateTime<Utc>) -> NewEvent {
    let days_left = (renewal.renewal_date - today).num_days();
    let when = match days_left {
        d if d > 1 => format!("in {d} days"),
        1 => "tomorrow".to_owned(),
        0 => "today".to_owned(),
        d => format!("{} days ago", -d),
    };
    NewEvent {
        dedupe_key: Some(format!("reminder.due:{}", reminder.id)),
        data: json!({
            "reminderId": reminder.id.to_string(),
            "renewalId": renewal.id,
            "contractId": renewal.contract_id,
            "offsetDays": reminder.offset_days,
            "dueDate": reminder.due_date,
            "renewalDate": renewal.renewal_date,
            "daysUntilRenewal": days_left,
            "targetArr": renewal.target_arr.to_string(),
            "reason": format!(
                "the {}-day reminder for renewal {} is due: {} of ARR renews {when} ({})",
                reminder.offset_days, renewal.id, renewal.target_arr.text(), renewal.renewal_date
            ),
        }),
        ..event(
            EventType::ReminderDue,
            now,
            &renewal.client_id,
            &reminder.id.to_string(),
        )
    }
}

/// `renewal.at_risk` because the renewal date passed with the renewal still open (once per renewal).
pub fn renewal_overdue(renewal: &Renewal, today: NaiveDate, now: DateTime<Utc>) -> NewEvent {
    let days = (today - renewal.renewal_date).num_days();
    NewEvent {
        dedupe_key: Some(format!("renewal.at_risk:overdue:{}", renewal.id)),
        data: json!({
            "renewalId": renewal.id,
            "contractId": renewal.contract_id,
            "renewalDate": renewal.renewal_date,
            "targetArr": renewal.target_arr.to_string(),
            "cause": "overdue",
            "daysOverdue": days,
            "reason": format!(
                "renewal {} is overdue by {days} days with {} of ARR still open",
                renewal.id, renewal.target_arr.text()
            ),
        }),
        ..event(EventType::RenewalAtRisk, now, &renewal.client_id, &renewal.id)
    }
}

/// The dedupe key of [`renewal_unlikely`]'s `crossing`-th alert (the first keeps the key of the
/// versions that announced a renewal once).
pub fn unlikely_key(renewal_id: &str, crossing: u32) -> String {
    match crossing {
        0 | 1 => format!("renewal.at_risk:probability:{renewal_id}"),
        n => format!("renewal.at_risk:probability:{renewal_id}:{n}"),
    }
}

/// `renewal.at_risk` because its forecast probability fell below 0.60 (`crossing` counts the
/// falls: a renewal that recovered and fell again is announced again).
pub fn renewal_unlikely(renewal: &Renewal, probability: f64, crossing: u32, now: DateTime<Utc>) -> NewEvent {
    let again = if crossing > 1 { " again" } else { "" };
    NewEvent {
        dedupe_key: Some(unlikely_key(&renewal.id, crossing)),
        data: json!({
            "renewalId": renewal.id,
            "contractId": renewal.contract_id,
            "renewalDate": renewal.renewal_date,
            "targetArr": renewal.target_arr.to_string(),
            "cause": "probability",
            "probability": (probability * 10_000.0).round() / 10_000.0,
            "crossing": crossing,
            "reason": format!(
                "renewal {} ({} of ARR on {}) has a renewal probability of {:.0} %, below 60 %{again}",
                renewal.id, renewal.target_arr.text(), renewal.renewal_date, probability * 100.0
            ),
        }),
        ..event(EventType::RenewalAtRisk, now, &renewal.client_id, &renewal.id)
    }
}

/// `renewal.closed`: the outcome against the target, and the contract that follows.
pub fn renewal_closed(
    closed: &Renewal,
    final_arr: Money,
    term_months: i64,
    next_contract_id: Option<&str>,
    now: DateTime<Utc>,
) -> NewEvent {
    let delta = Money::from_cents(final_arr.cents() - closed.target_arr.cents());
    let outcome = closed.status.as_str();
    let change = match delta.cents() {
        0 => "flat".to_owned(),
        c if c > 0 => format!("+{}", delta.text()),
        _ => delta.text().to_string(),
    };
    NewEvent {
        data: json!({
            "renewalId": closed.id,
            "contractId": closed.contract_id,
            "outcome": outcome,
            "targetArr": closed.target_arr.to_string(),
            "finalArr": final_arr.to_string(),
            "arrDelta": delta.to_string(),
            "termMonths": term_months,
            "nextContractId": next_contract_id,
            "reason": format!(
                "renewal {} closed as {outcome} at {} against a target of {} ({change})",
                closed.id, final_arr.text(), closed.target_arr.text()
            ),
        }),
        ..event(EventType::RenewalClosed, now, &closed.client_id, &closed.id)
    }
}

/// `opportunity.won`: the value booked.
pub fn opportunity_won(won: &Opportunity, now: DateTime<Utc>) -> NewEvent {
    NewEvent {
        data: json!({
            "opportunityId": won.id,
            "name": won.name,
            "opportunityType": won.opportunity_type.as_str(),
            "productId": won.product_id,
            "value": won.value.to_string(),
            "closedOn": won.closed_on,
            "owner": won.owner,
            "reason": format!(
                "opportunity {} \"{}\" was won: {} of ARR booked as {}",
                won.id, won.name, won.value.text(), won.opportunity_type.as_str()
            ),
        }),
        ..event(EventType::OpportunityWon, now, &won.client_id, &won.id)
    }
}

/// `opportunity.stage_changed`: from one stage to another.
pub fn stage_changed(updated: &Opportunity, from: OpportunityStage, now: DateTime<Utc>) -> NewEvent {
    NewEvent {
        data: json!({
            "opportunityId": updated.id,
            "name": updated.name,
            "opportunityType": updated.opportunity_type.as_str(),
            "from": from.as_str(),
            "to": updated.stage.as_str(),
            "value": updated.value.to_string(),
            "probability": updated.probability,
            "reason": format!(
                "opportunity {} \"{}\" ({}) moved from {} to {}",
                updated.id, updated.name, updated.value.text(), from.as_str(), updated.stage.as_str()
            ),
        }),
        ..event(EventType::OpportunityStageChanged, now, &updated.client_id, &updated.id)
    }
}

/// What `negotiation.offer_recorded` says about the negotiation the offer belongs to.
#[derive(Clone, Copy, Debug)]
pub struct NegotiationRef<'a> {
    pub id: &'a str,
    pub client_id: &'a str,
    pub renewal_id: &'a str,
    pub minimum_acceptable_arr: Money,
}

/// `negotiation.offer_recorded`: the offer and where it stands against the guardrail.
pub fn offer_recorded(negotiation: NegotiationRef<'_>, offer: &NegotiationOffer, now: DateTime<Utc>) -> NewEvent {
    let below = offer.arr < negotiation.minimum_acceptable_arr;
    let approval = match (&offer.approved_by, below) {
        (Some(by), true) => format!(
            ", below the minimum of {} (approved by {by})",
            negotiation.minimum_acceptable_arr.text()
        ),
        (_, true) => format!(", below the minimum of {}", negotiation.minimum_acceptable_arr.text()),
        _ => String::new(),
    };
    NewEvent {
        data: json!({
            "negotiationId": negotiation.id,
            "renewalId": negotiation.renewal_id,
            "offerId": offer.id.to_string(),
            "arr": offer.arr.to_string(),
            "termMonths": offer.term_months,
            "discount": offer.discount,
            "approvedBy": offer.approved_by,
            "minimumAcceptableArr": negotiation.minimum_acceptable_arr.to_string(),
            "belowMinimum": below,
            "reason": format!(
                "an offer of {} a year for {} months was recorded on negotiation {} for renewal {}{approval}",
                offer.arr.text(), offer.term_months, negotiation.id, negotiation.renewal_id
            ),
        }),
        ..event(
            EventType::NegotiationOfferRecorded,
            now,
            negotiation.client_id,
            negotiation.id,
        )
    }
}
