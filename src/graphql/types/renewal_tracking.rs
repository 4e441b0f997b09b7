//! 117 — `renewals`: GraphQL views of the pure tracking report.
use super::{load_client, Client};
use crate::graphql::enums::{ContactRole, ContractType, ReminderStatus, RiskLevel};
use crate::graphql::item_page::{ItemPage, ItemWindow};
use crate::graphql::scalars::{Date, Money};
use crate::processes::renewals as report;
use async_graphql::{ComplexObject, Context, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};

/// Open renewals in the window [asOf, windowEnd], the overdue ones, and their summary.
#[derive(SimpleObject)]
pub struct RenewalTracking {
    /// The date the report is as of.
    pub as_of: Date,
    /// asOf + daysUntilRenewal (inclusive).
    pub window_end: Date,
    /// Open renewals dated in the window, by date then id.
    pub renewals: Vec<TrackedRenewal>,
    /// Items of the whole list and this page's cursors (`first` / `after` on the field).
    #[graphql(flatten)]
    pub page: ItemPage,
    /// Open renewals dated before asOf, by date then id (`overdueFirst` / `overdueAfter` on the
    /// field page them).
    pub overdue: Vec<TrackedRenewal>,
    /// How many renewals are overdue in all, and the cursors of this page of them.
    pub overdue_page: ItemPage,
    /// Totals over the window's renewals.
    pub summary: TrackingSummary,
}

/// One open renewal with what the account team needs to act on it.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct TrackedRenewal {
    /// The renewal (`RNW-<n>`).
    pub renewal_id: ID,
    /// The client's id.
    pub client_id: ID,
    /// The contract being renewed.
    pub contract_id: ID,
    /// Renewal date.
    pub renewal_date: Date,
    /// renewalDate − asOf in days (0 on asOf, negative when overdue).
    pub days_until_renewal: i64,
    /// ARR up for renewal (the renewal's target).
    pub current_arr: Money,
    /// Contract term type.
    pub contract_type: ContractType,
    /// First day of the contract.
    pub contract_start: Date,
    /// Last day of the contract.
    pub contract_end: Date,
    /// Whole months of the contract term.
    pub term_months: u32,
    /// The contract renews unless cancelled.
    pub auto_renew: bool,
    /// Health score 0–100 of the newest snapshot on or before asOf (rounded).
    pub health_score: Option<i32>,
    /// Probability the renewal is kept (renewed or downgraded), from the 118 model.
    pub renewal_probability: f64,
    /// Risk from the probability's category; HIGH for an overdue renewal whatever the probability.
    pub risk_level: RiskLevel,
    /// Why the risk level: "overdue by N days" for an overdue renewal, else the probability and its
    /// category.
    pub risk_reasons: Vec<String>,
    /// One reminder per configured offset (90/60/30 days by default).
    pub reminders: Vec<ReminderView>,
    /// The client's open opportunities.
    pub open_opportunities: OpenOpportunities,
    /// Champion, decision maker and economic buyer contacts, primary first.
    pub key_stakeholders: Vec<Stakeholder>,
}

#[ComplexObject]
impl TrackedRenewal {
    /// The client.
    async fn client(&self, ctx: &Context<'_>) -> Result<Client> {
        load_client(ctx, &self.client_id).await
    }
}

/// A reminder of a renewal: stored when the scheduler has created it, else computed.
#[derive(SimpleObject)]
pub struct ReminderView {
    /// The stored reminder's id; null until the scheduler created it.
    pub id: Option<ID>,
    /// Days before the renewal date.
    pub offset_days: u32,
    /// renewalDate − offsetDays.
    pub due_date: Date,
    /// Completed or skipped as stored; otherwise due once dueDate ≤ asOf, else scheduled.
    pub status: ReminderStatus,
    /// dueDate − asOf in days; negative once past.
    pub due_in_days: i64,
    /// When it was completed or skipped.
    pub completed_at: Option<DateTime<Utc>>,
    /// The note left when finishing it.
    pub note: Option<String>,
}

/// Count and total value of open opportunities.
#[derive(SimpleObject)]
pub struct OpenOpportunities {
    /// How many.
    pub count: usize,
    /// Σ value (added ARR).
    pub value: Money,
}

/// A contact with a buying role.
#[derive(SimpleObject)]
pub struct Stakeholder {
    /// The contact's id.
    pub contact_id: ID,
    /// Full name.
    pub name: String,
    /// Email address.
    pub email: String,
    /// Buying role.
    pub role: ContactRole,
    /// The client's primary contact.
    pub is_primary: bool,
}

/// Totals over the window's renewals (overdue ones only in the overdue fields).
#[derive(SimpleObject)]
pub struct TrackingSummary {
    /// Renewals in the window.
    pub total_renewals_tracked: usize,
    /// Σ ARR up for renewal.
    pub total_arr_up_for_renewal: Money,
    /// Σ ARR of renewals with probability below 0.60.
    pub arr_at_risk: Money,
    /// Σ ARR × probability (each rounded to the cent).
    pub expected_arr: Money,
    /// Disjoint buckets by days until renewal; they sum to the totals.
    pub by_timeframe: ByTimeframe,
    /// Renewals whose contract auto-renews.
    pub auto_renew_enabled: usize,
    /// Renewals that need a signature.
    pub manual_renewal_required: usize,
    /// Open renewals dated before asOf.
    pub overdue_count: usize,
    /// Σ ARR of the overdue renewals.
    pub overdue_arr: Money,
}

/// Renewals by days until renewal.
#[derive(SimpleObject)]
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

/// Count and ARR of one timeframe.
#[derive(SimpleObject)]
pub struct TimeframeBucket {
    /// Renewals.
    pub count: usize,
    /// Σ ARR.
    pub arr: Money,
}

impl RenewalTracking {
    /// The page `window` of the tracked renewals and the page `overdue_window` of the overdue
    /// ones, copied out of a (possibly cached, shared) report: only the shown items are copied.
    pub fn page(r: &report::RenewalTracking, window: ItemWindow, overdue_window: ItemWindow) -> Self {
        let (renewals, page) = window.slice(&r.renewals);
        let (overdue, overdue_page) = overdue_window.slice(&r.overdue);
        RenewalTracking {
            as_of: r.as_of.into(),
            window_end: r.window_end.into(),
            page,
            renewals: renewals.iter().cloned().map(Into::into).collect(),
            overdue_page,
            overdue: overdue.iter().cloned().map(Into::into).collect(),
            summary: r.summary.clone().into(),
        }
    }
}

impl From<report::TrackedRenewal> for TrackedRenewal {
    fn from(t: report::TrackedRenewal) -> Self {
        TrackedRenewal {
            renewal_id: ID(t.renewal_id),
            client_id: ID(t.client_id),
            contract_id: ID(t.contract_id),
            renewal_date: t.renewal_date.into(),
            days_until_renewal: t.days_until_renewal,
            current_arr: t.current_arr.into(),
            contract_type: t.contract_type.into(),
            contract_start: t.contract_start.into(),
            contract_end: t.contract_end.into(),
            term_months: t.term_months,
            auto_renew: t.auto_renew,
            health_score: t.health_score.map(|h| h.round() as i32),
            renewal_probability: t.renewal_probability,
            risk_level: t.risk_level.into(),
            risk_reasons: t.risk_reasons,
            reminders: t.reminders.into_iter().map(Into::into).collect(),
            open_opportunities: OpenOpportunities {
                count: t.open_opportunities.count,
                value: t.open_opportunities.value.into(),
            },
            key_stakeholders: t
                .key_stakeholders
                .into_iter()
                .map(|s| Stakeholder {
                    contact_id: ID(s.contact_id.to_string()),
                    name: s.name,
                    email: s.email,
                    role: s.role.into(),
                    is_primary: s.is_primary,
                })
                .collect(),
        }
    }
}

impl From<report::ReminderView> for ReminderView {
    fn from(v: report::ReminderView) -> Self {
        ReminderView {
            id: v.id.map(|id| ID(id.to_string())),
            offset_days: v.offset_days,
            due_date: v.due_date.into(),
            status: v.status.into(),
            due_in_days: v.due_in_days,
            completed_at: v.completed_at,
            note: v.note,
        }
    }
}

impl From<report::TimeframeBucket> for TimeframeBucket {
    fn from(b: report::TimeframeBucket) -> Self {
        TimeframeBucket {
            count: b.count,
            arr: b.arr.into(),
        }
    }
}

impl From<report::TrackingSummary> for TrackingSummary {
    fn from(s: report::TrackingSummary) -> Self {
        TrackingSummary {
            total_renewals_tracked: s.total_renewals_tracked,
            total_arr_up_for_renewal: s.total_arr_up_for_renewal.into(),
            arr_at_risk: s.arr_at_risk.into(),
            expected_arr: s.expected_arr.into(),
            by_timeframe: ByTimeframe {
                within30: s.by_timeframe.within30.into(),
                within60: s.by_timeframe.within60.into(),
                within90: s.by_timeframe.within90.into(),
                beyond90: s.by_timeframe.beyond90.into(),
            },
            auto_renew_enabled: s.auto_renew_enabled,
            manual_renewal_required: s.manual_renewal_required,
            overdue_count: s.overdue_count,
            overdue_arr: s.overdue_arr.into(),
        }
    }
}
