//! 117 — renewal tracking (DESIGN §5): open renewals in a window with exact day counts, overdue
//! ones, their reminders, stakeholders, open opportunities, and a summary whose timeframe buckets
//! partition the window.
//!
//! Pure: the service loads [`TrackingInput`] (with each renewal's probability from 118) and passes
//! `as_of`.
pub mod reminders;

pub use reminders::{
    check_transition, due_date, missing_reminders, reminder_status, reminder_views, validate_offsets, NewReminder,
    ReminderView, DEFAULT_REMINDER_OFFSETS,
};

use crate::domain::reminder::RenewalReminder;
use crate::domain::validate::int_range;
use crate::domain::{
    serde_text, Contact, ContactRole, Contract, ContractType, Money, Opportunity, Renewal, RenewalStatus,
};
use crate::error::Result;
use crate::processes::common::percent;
use crate::processes::forecast::{round4, ForecastCategory, RenewalCase, RenewalPrediction};
use chrono::{Days, Months, NaiveDate};
use serde::Serialize;
use std::collections::HashMap;

/// Refuses a window outside 1–730 days.
pub fn validate_window_days(days: i64) -> Result<i64> {
    int_range("daysUntilRenewal", days, 1, 730)
}

/// One open renewal with what 117 shows about it.
#[derive(Clone, Debug, PartialEq)]
pub struct RenewalFacts {
    pub renewal: Renewal,
    pub contract: Contract,
    /// Overall score of the client's latest health snapshot on or before as_of.
    pub health_score: Option<f64>,
    /// The 118 model's probability that the renewal is kept.
    pub probability: f64,
}

impl RenewalFacts {
    /// The facts of a renewal scored by 118: its health and probability come from the prediction.
    pub fn from_prediction(case: RenewalCase, prediction: &RenewalPrediction) -> RenewalFacts {
        RenewalFacts {
            renewal: case.renewal,
            contract: case.contract,
            health_score: prediction.features.health_score,
            probability: prediction.probability,
        }
    }
}

/// What `renewals` reads, as the service loads it (already narrowed to one client when asked).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrackingInput {
    /// Open renewals; those in the window become items, those dated before as_of are overdue.
    pub renewals: Vec<RenewalFacts>,
    /// Stored reminder rows of those renewals.
    pub reminders: Vec<RenewalReminder>,
    /// Contacts of their clients.
    pub contacts: Vec<Contact>,
    /// Opportunities of their clients; only open ones (stage not won/lost) count.
    pub opportunities: Vec<Opportunity>,
}

/// Arguments of `renewals`.
#[derive(Clone, Debug, PartialEq)]
pub struct TrackingParams {
    /// Window [as_of, as_of + days], 1–730.
    pub days_until_renewal: i64,
    /// Reminder offsets (config), largest first.
    pub reminder_offsets: Vec<u32>,
}

impl Default for TrackingParams {
    fn default() -> Self {
        TrackingParams {
            days_until_renewal: 90,
            reminder_offsets: DEFAULT_REMINDER_OFFSETS.to_vec(),
        }
    }
}

/// Risk level from the 118 category: high confidence → low, medium → medium, at risk → high.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    Low,
    Medium,
    High,
}

impl RiskLevel {
    /// The risk level of a probability.
    pub fn of(probability: f64) -> RiskLevel {
        match ForecastCategory::of(probability) {
            ForecastCategory::HighConfidence => RiskLevel::Low,
            ForecastCategory::MediumConfidence => RiskLevel::Medium,
            ForecastCategory::AtRisk => RiskLevel::High,
        }
    }
}

/// A contact with a buying role.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stakeholder {
    pub contact_id: i64,
    pub name: String,
    pub email: String,
    #[serde(with = "serde_text::contact_role")]
    pub role: ContactRole,
    pub is_primary: bool,
}

/// Count and total value of a client's open opportunities.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenOpportunities {
    pub count: usize,
    #[serde(with = "serde_text::money")]
    pub value: Money,
}

/// One tracked renewal.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackedRenewal {
    pub renewal_id: String,
    pub client_id: String,
    pub contract_id: String,
    pub renewal_date: NaiveDate,
    /// renewal_date − as_of in days (0 on as_of, negative when overdue).
    pub days_until_renewal: i64,
    /// The renewal's target ARR.
    #[serde(with = "serde_text::money")]
    pub current_arr: Money,
    #[serde(with = "serde_text::contract_type")]
    pub contract_type: ContractType,
    pub contract_start: NaiveDate,
    pub contract_end: NaiveDate,
    /// Whole months from contract start to the day after its end.
    pub term_months: u32,
    pub auto_renew: bool,
    pub health_score: Option<f64>,
    /// From 118, 4 places.
    pub renewal_probability: f64,
    /// From the probability's category; HIGH for an overdue renewal whatever the probability.
    pub risk_level: RiskLevel,
    /// Why: "overdue by N days" for an overdue renewal, else the probability and its category.
    pub risk_reasons: Vec<String>,
    pub reminders: Vec<ReminderView>,
    pub open_opportunities: OpenOpportunities,
    /// Champion, decision maker and economic buyer contacts: primary first, then by role, name, id.
    pub key_stakeholders: Vec<Stakeholder>,
}

/// Count and ARR of one timeframe.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TimeframeBucket {
    pub count: usize,
    #[serde(with = "serde_text::money")]
    pub arr: Money,
}

/// Disjoint buckets by days until renewal; they sum to the summary's totals.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ByTimeframe {
    /// 0–30 days.
    pub within30: TimeframeBucket,
    /// 31–60 days.
    pub within60: TimeframeBucket,
    /// 61–90 days.
    pub within90: TimeframeBucket,
    /// More than 90 days.
    pub beyond90: TimeframeBucket,
}

impl ByTimeframe {
    /// The bucket of a day count.
    pub fn bucket_mut(&mut self, days: i64) -> &mut TimeframeBucket {
        match days {
            ..=30 => &mut self.within30,
            31..=60 => &mut self.within60,
            61..=90 => &mut self.within90,
            _ => &mut self.beyond90,
        }
    }
}

/// Totals over the window's renewals (overdue ones are only counted in `overdue_count`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackingSummary {
    pub total_renewals_tracked: usize,
    #[serde(with = "serde_text::money")]
    pub total_arr_up_for_renewal: Money,
    /// Σ ARR of renewals with probability < 0.60.
    #[serde(with = "serde_text::money")]
    pub arr_at_risk: Money,
    /// Σ ARR × p, each rounded to the cent.
    #[serde(with = "serde_text::money")]
    pub expected_arr: Money,
    pub by_timeframe: ByTimeframe,
    pub auto_renew_enabled: usize,
    pub manual_renewal_required: usize,
    pub overdue_count: usize,
    #[serde(with = "serde_text::money")]
    pub overdue_arr: Money,
}

/// The result of `renewals`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RenewalTracking {
    pub as_of: NaiveDate,
    /// as_of + daysUntilRenewal (inclusive).
    pub window_end: NaiveDate,
    /// Open renewals dated in [as_of, window_end], by date then id.
    pub renewals: Vec<TrackedRenewal>,
    /// Open renewals dated before as_of, by date then id.
    pub overdue: Vec<TrackedRenewal>,
    pub summary: TrackingSummary,
}

/// `renewals(daysUntilRenewal, asOf)`.
pub fn track_renewals(input: &TrackingInput, params: &TrackingParams, as_of: NaiveDate) -> Result<RenewalTracking> {
    let days = validate_window_days(params.days_until_renewal)?;
    let window_end = as_of + Days::new(days as u64);
    let mut open: Vec<&RenewalFacts> = input
        .renewals
        .iter()
        .filter(|f| f.renewal.status == RenewalStatus::Open && f.renewal.renewal_date <= window_end)
        .collect();
    open.sort_by(|a, b| (a.renewal.renewal_date, &a.renewal.id).cmp(&(b.renewal.renewal_date, &b.renewal.id)));
    let index = ByKey::new(input);
    let (overdue, renewals): (Vec<TrackedRenewal>, Vec<TrackedRenewal>) = open
        .into_iter()
        .map(|facts| track(facts, &index, &params.reminder_offsets, as_of))
        .partition(|t| t.days_until_renewal < 0);
    let summary = summarize(&renewals, &overdue);
    Ok(RenewalTracking {
        as_of,
        window_end,
        renewals,
        overdue,
        summary,
    })
}

/// The book's reminders, contacts and open opportunities grouped once by renewal or client, so
/// tracking costs one pass over each, not one per renewal.
struct ByKey<'a> {
    reminders: HashMap<&'a str, Vec<&'a RenewalReminder>>,
    contacts: HashMap<&'a str, Vec<&'a Contact>>,
    open_opportunities: HashMap<&'a str, OpenOpportunities>,
}

impl<'a> ByKey<'a> {
    fn new(input: &'a TrackingInput) -> Self {
        let mut index = ByKey {
            reminders: HashMap::new(),
            contacts: HashMap::new(),
            open_opportunities: HashMap::new(),
        };
        for reminder in &input.reminders {
            index
                .reminders
                .entry(reminder.renewal_id.as_str())
                .or_default()
                .push(reminder);
        }
        for contact in &input.contacts {
            index
                .contacts
                .entry(contact.client_id.as_str())
                .or_default()
                .push(contact);
        }
        for o in input.opportunities.iter().filter(|o| !o.stage.is_closed()) {
            let open = index.open_opportunities.entry(o.client_id.as_str()).or_default();
            open.count += 1;
            open.value += o.value;
        }
        index
    }
}

fn track(facts: &RenewalFacts, index: &ByKey<'_>, offsets: &[u32], as_of: NaiveDate) -> TrackedRenewal {
    let renewal = &facts.renewal;
    let open_opportunities = index
        .open_opportunities
        .get(renewal.client_id.as_str())
        .cloned()
        .unwrap_or_default();
    let reminders = index.reminders.get(renewal.id.as_str()).into_iter().flatten().copied();
    let contacts = index
        .contacts
        .get(renewal.client_id.as_str())
        .into_iter()
        .flatten()
        .copied();
    let probability = round4(facts.probability);
    let days_until_renewal = (renewal.renewal_date - as_of).num_days();
    let (risk_level, risk_reasons) = risk(facts.probability, days_until_renewal);
    TrackedRenewal {
        renewal_id: renewal.id.clone(),
        client_id: renewal.client_id.clone(),
        contract_id: renewal.contract_id.clone(),
        renewal_date: renewal.renewal_date,
        days_until_renewal,
        current_arr: renewal.target_arr,
        contract_type: facts.contract.contract_type,
        contract_start: facts.contract.start_date,
        contract_end: facts.contract.end_date,
        term_months: term_months(facts.contract.start_date, facts.contract.end_date),
        auto_renew: facts.contract.auto_renew,
        health_score: facts.health_score,
        renewal_probability: probability,
        risk_level,
        risk_reasons,
        reminders: reminder_views(renewal, reminders, offsets, as_of),
        open_opportunities,
        key_stakeholders: key_stakeholders(contacts, &renewal.client_id),
    }
}

/// An overdue renewal (dated before as_of, still open) is never LOW risk: it is HIGH, "overdue by
/// N days", whatever its probability; otherwise the level follows the probability's category.
fn risk(probability: f64, days_until_renewal: i64) -> (RiskLevel, Vec<String>) {
    if days_until_renewal < 0 {
        let days = -days_until_renewal;
        let unit = if days == 1 { "day" } else { "days" };
        return (RiskLevel::High, vec![format!("overdue by {days} {unit}")]);
    }
    let category = match ForecastCategory::of(round4(probability)) {
        ForecastCategory::HighConfidence => "high confidence, ≥ 80%",
        ForecastCategory::MediumConfidence => "medium confidence, 60–80%",
        ForecastCategory::AtRisk => "at risk, below 60%",
    };
    let reason = format!("renewal probability {} ({category})", percent(probability));
    (RiskLevel::of(round4(probability)), vec![reason])
}

/// The client's champion, decision maker and economic buyer contacts.
pub fn key_stakeholders<'a>(contacts: impl IntoIterator<Item = &'a Contact>, client_id: &str) -> Vec<Stakeholder> {
    let rank = |role: ContactRole| match role {
        ContactRole::Champion => Some(0),
        ContactRole::DecisionMaker => Some(1),
        ContactRole::EconomicBuyer => Some(2),
        ContactRole::Admin | ContactRole::User => None,
    };
    let mut chosen: Vec<(&Contact, i32)> = contacts
        .into_iter()
        .filter(|c| c.client_id == client_id)
        .filter_map(|c| rank(c.role).map(|r| (c, r)))
        .collect();
    chosen.sort_by(|(a, ra), (b, rb)| (!a.is_primary, ra, &a.name, a.id).cmp(&(!b.is_primary, rb, &b.name, b.id)));
    chosen
        .into_iter()
        .map(|(c, _)| Stakeholder {
            contact_id: c.id,
            name: c.name.clone(),
            email: c.email.clone(),
            role: c.role,
            is_primary: c.is_primary,
        })
        .collect()
}

/// Whole months from `start` to the day after `end` (a contract ending the day before the same
/// date a year later is 12 months).
pub fn term_months(start: NaiveDate, end: NaiveDate) -> u32 {
    let after_end = end + Days::new(1);
    let mut months = 0u32;
    while start
        .checked_add_months(Months::new(months + 1))
        .is_some_and(|d| d <= after_end)
    {
        months += 1;
    }
    months
}

fn summarize(renewals: &[TrackedRenewal], overdue: &[TrackedRenewal]) -> TrackingSummary {
    let mut summary = TrackingSummary {
        total_renewals_tracked: renewals.len(),
        overdue_count: overdue.len(),
        overdue_arr: overdue.iter().map(|r| r.current_arr).sum(),
        ..TrackingSummary::default()
    };
    for r in renewals {
        summary.total_arr_up_for_renewal += r.current_arr;
        summary.expected_arr += r.current_arr.times(r.renewal_probability);
        if ForecastCategory::of(r.renewal_probability) == ForecastCategory::AtRisk {
            summary.arr_at_risk += r.current_arr;
        }
        let bucket = summary.by_timeframe.bucket_mut(r.days_until_renewal);
        bucket.count += 1;
        bucket.arr += r.current_arr;
        if r.auto_renew {
            summary.auto_renew_enabled += 1;
        } else {
            summary.manual_renewal_required += 1;
        }
    }
    summary
}

#[cfg(test)]
mod tests;
