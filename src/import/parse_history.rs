//! Rows of the book's history → domain records: usage and health snapshots, renewals (closed ones
//! with their outcomes) and their reminders, opportunities and ledger events; checked as `parse` checks the rest.
use super::fields::{self, Reader};
use super::parse::Context;
use crate::domain::health::HealthComponents;
use crate::domain::inputs::*;
use crate::domain::pipeline::OpportunityForCreate;
use crate::domain::reminder::RenewalReminder;
use crate::domain::validate::{float_range, int_range, optional_text, Checks};
use crate::domain::*;
use crate::error::Error;

pub(super) fn usage(r: &mut Reader) -> Option<UsageSnapshot> {
    let client_id = r.req("client_id", fields::text);
    let period_start = r.req("period_start", fields::date);
    let seats_licensed = r.req("seats_licensed", fields::int);
    let active_users = r.req("active_users", fields::int);
    let usage_rate = r.req("usage_rate", fields::float);
    let feature_adoption = r.req("feature_adoption", fields::float);
    let api_calls = r.or("api_calls", 0, fields::long);
    let logins = r.or("logins", 0, fields::long);
    let reports_exported = r.or("reports_exported", 0, fields::long);
    let input = UsageForCreate {
        client_id: client_id?,
        period_start: period_start?,
        seats_licensed: seats_licensed?,
        active_users: active_users?,
        usage_rate: usage_rate?,
        feature_adoption: feature_adoption?,
        api_calls: api_calls?,
        logins: logins?,
        reports_exported: reports_exported?,
    };
    let u = r.validated(input.validate())?;
    Some(UsageSnapshot {
        id: 0,
        client_id: u.client_id,
        period_start: u.period_start,
        seats_licensed: u.seats_licensed,
        active_users: u.active_users,
        usage_rate: u.usage_rate,
        feature_adoption: u.feature_adoption,
        api_calls: u.api_calls,
        logins: u.logins,
        reports_exported: u.reports_exported,
    })
}

const COMPONENTS: [&str; 5] = [
    "usage_score",
    "engagement_score",
    "support_score",
    "satisfaction_score",
    "payment_score",
];

/// A health snapshot from its five components (overall computed with the configured weights; a
/// given `overall_score` must agree) or from `overall_score` alone (each component set to it).
/// The trend is computed later, against the client's previous snapshot.
pub(super) fn health(r: &mut Reader, ctx: &Context) -> Option<HealthSnapshot> {
    let client_id = r.req("client_id", fields::text);
    let as_of = r.req("as_of", fields::date);
    let parts = COMPONENTS.map(|column| r.opt(column, fields::int));
    let overall = r.opt("overall_score", fields::float)?;
    let given: Vec<i32> = parts.iter().filter_map(|p| p.flatten()).collect();
    if parts.iter().any(Option::is_none) {
        return None;
    }
    let (components, overall_score) = match (given.len(), overall) {
        (5, overall) => {
            let components = HealthComponents {
                usage: given[0],
                engagement: given[1],
                support: given[2],
                satisfaction: given[3],
                payment: given[4],
            };
            r.validated(components.validate())?;
            let computed = components.overall(&ctx.weights);
            if let Some(overall) = overall.filter(|o| (o - computed).abs() > 0.005) {
                r.domain(Error::bad_input(
                    "overallScore",
                    format!("{overall} is not the weighted sum of the components ({computed})"),
                    "empty, or the weighted sum of the five components",
                ));
                return None;
            }
            (components, computed)
        }
        (0, Some(overall)) => {
            let overall = r.validated(float_range("overallScore", overall, 0.0, 100.0))?;
            let each = overall.round() as i32;
            let components = HealthComponents {
                usage: each,
                engagement: each,
                support: each,
                satisfaction: each,
                payment: each,
            };
            (components, overall)
        }
        _ => {
            r.domain(Error::bad_input(
                "usageScore",
                "give all five component scores or only overall_score",
                COMPONENTS.join(", ") + ", or overall_score",
            ));
            return None;
        }
    };
    let input = HealthForCreate {
        client_id: client_id?,
        as_of: as_of?,
        components,
    };
    let h = r.validated(input.validate())?;
    Some(HealthSnapshot {
        id: 0,
        client_id: h.client_id,
        as_of: h.as_of,
        components: h.components,
        overall_score,
        trend: HealthTrend::Stable,
    })
}

pub(super) fn renewal(r: &mut Reader) -> Option<Renewal> {
    let id = r.req("id", fields::text);
    let contract_id = r.req("contract_id", fields::text);
    let client_id = r.req("client_id", fields::text);
    let renewal_date = r.req("renewal_date", fields::date);
    let target_arr = r.req("target_arr", fields::money);
    let status = r.req("status", RenewalStatus::parse);
    let outcome_arr = r.opt("outcome_arr", fields::money);
    let closed_at = r.opt("closed_at", fields::timestamp);
    let mut c = Checks::default();
    let (id, client_id) = (id?, client_id?);
    c.check(crate::domain::ids::validate_client_id("id", &id));
    c.check(crate::domain::ids::validate_client_id("clientId", &client_id));
    let target_arr = target_arr?;
    c.check(target_arr.non_negative("targetArr"));
    let (status, outcome_arr, closed_at, renewal_date) = (status?, outcome_arr?, closed_at?, renewal_date?);
    if let Some(outcome) = outcome_arr {
        c.check(outcome.non_negative("outcomeArr"));
    }
    match (status, outcome_arr) {
        (RenewalStatus::Open, Some(_)) => c.fail(Error::bad_input(
            "outcomeArr",
            "an open renewal has no outcome",
            "empty while status is open",
        )),
        (RenewalStatus::Open, None) => {}
        (_, None) => c.fail(Error::bad_input(
            "outcomeArr",
            "a closed renewal needs its outcome",
            "the ARR it closed at",
        )),
        _ => {}
    }
    if status == RenewalStatus::Open && closed_at.is_some() {
        c.fail(Error::bad_input(
            "closedAt",
            "an open renewal is not closed",
            "empty while status is open",
        ));
    }
    r.validated(c.finish(()))?;
    let closed_at = match status {
        RenewalStatus::Open => None,
        _ => Some(closed_at.unwrap_or_else(|| renewal_date.and_time(chrono::NaiveTime::MIN).and_utc())),
    };
    Some(Renewal {
        id,
        contract_id: contract_id?,
        client_id,
        renewal_date,
        target_arr,
        status,
        outcome_arr,
        closed_at,
    })
}

pub(super) fn opportunity(r: &mut Reader, ctx: &Context) -> Option<Opportunity> {
    let id = r.req("id", fields::text);
    let client_id = r.req("client_id", fields::text);
    let opportunity_type = r.req("opportunity_type", OpportunityType::parse);
    let product_id = r.opt("product_id", fields::text);
    let name = r.req("name", fields::text);
    let value = r.req("value", fields::money);
    let probability = r.req("probability", fields::float);
    let stage = r.req("stage", OpportunityStage::parse);
    let source = r.or("source", OpportunitySource::Manual, OpportunitySource::parse);
    let detection_key = r.opt("detection_key", fields::text);
    let reasons = r.list("reasons");
    let expected_close_date = r.opt("expected_close_date", fields::date);
    let closed_on = r.opt("closed_on", fields::date);
    let owner = r.opt("owner", fields::text);
    let created_at = r.or("created_at", ctx.now, fields::timestamp);
    let (id, stage, closed_on) = (id?, stage?, closed_on?);
    r.validated(crate::domain::ids::validate_client_id("id", &id))?;
    // History may hold won and lost opportunities; the rest is the mutation's rule.
    let input = OpportunityForCreate {
        client_id: client_id?,
        opportunity_type: opportunity_type?,
        product_id: product_id?,
        name: name?,
        value: value?,
        probability: probability?,
        stage: OpportunityStage::Identified,
        expected_close_date: expected_close_date?,
        owner: owner?,
        reasons: reasons?,
    };
    let o = r.validated(input.validate())?;
    if closed_on.is_some() && !stage.is_closed() {
        r.domain(Error::bad_input(
            "closedOn",
            "an open opportunity has not closed",
            "empty unless stage is won or lost",
        ));
        return None;
    }
    Some(Opportunity {
        id,
        client_id: o.client_id,
        opportunity_type: o.opportunity_type,
        product_id: o.product_id,
        name: o.name,
        value: o.value,
        probability: o.probability,
        stage,
        source: source?,
        detection_key: detection_key?,
        reasons: o.reasons,
        expected_close_date: o.expected_close_date,
        closed_on,
        owner: o.owner,
        version: 1,
        created_at: created_at?,
    })
}

pub(super) fn revenue_event(r: &mut Reader) -> Option<RevenueEvent> {
    let client_id = r.req("client_id", fields::text);
    let occurred_on = r.req("occurred_on", fields::date);
    let kind = r.req("kind", RevenueKind::parse);
    let category = r.req("category", RevenueCategory::parse);
    let arr_delta = r.req("arr_delta", fields::money);
    let contract_id = r.opt("contract_id", fields::text);
    let opportunity_id = r.opt("opportunity_id", fields::text);
    let renewal_id = r.opt("renewal_id", fields::text);
    let input = RevenueEventForCreate {
        client_id: client_id?,
        occurred_on: occurred_on?,
        kind: kind?,
        category: category?,
        arr_delta: arr_delta?,
        contract_id: contract_id?,
    };
    let e = r.validated(input.validate())?;
    Some(RevenueEvent {
        id: 0,
        client_id: e.client_id,
        occurred_on: e.occurred_on,
        kind: e.kind,
        category: e.category,
        arr_delta: e.arr_delta,
        contract_id: e.contract_id,
        opportunity_id: opportunity_id?,
        renewal_id: renewal_id?,
    })
}

/// A reminder with its worked status: a finished one (completed or skipped) says when, an
/// unfinished one (scheduled or due) does not, as `completeReminder` / `skipReminder` keep them.
pub(super) fn reminder(r: &mut Reader) -> Option<RenewalReminder> {
    let renewal_id = r.req("renewal_id", fields::text);
    let offset_days = r.req("offset_days", fields::int);
    let due_date = r.req("due_date", fields::date);
    let status = r.req("status", ReminderStatus::parse);
    let completed_at = r.opt("completed_at", fields::timestamp);
    let note = r.opt("note", fields::text);
    let (renewal_id, status, completed_at, note) = (renewal_id?, status?, completed_at?, note?);
    let mut c = Checks::default();
    c.check(crate::domain::ids::validate_client_id("renewalId", &renewal_id));
    let offset_days = c.check(int_range("offsetDays", i64::from(offset_days?), 1, 730));
    let note = c.check(optional_text("note", note.as_deref(), 2000)).flatten();
    let finished = matches!(status, ReminderStatus::Completed | ReminderStatus::Skipped);
    match (finished, completed_at) {
        (true, None) => c.fail(Error::bad_input(
            "completedAt",
            format!("a {status} reminder needs the time it was {status}"),
            "an RFC 3339 timestamp",
        )),
        (false, Some(_)) => c.fail(Error::bad_input(
            "completedAt",
            format!("a {status} reminder is not finished"),
            "empty while status is scheduled or due",
        )),
        _ => {}
    }
    r.validated(c.finish(()))?;
    Some(RenewalReminder {
        id: 0,
        renewal_id,
        offset_days: offset_days? as i32,
        due_date: due_date?,
        status,
        completed_at,
        note,
    })
}
