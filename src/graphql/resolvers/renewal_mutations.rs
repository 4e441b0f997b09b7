//! 117 reminder mutations and 119 negotiation mutations. Each is one transaction.
use crate::domain::ReminderStatus;
use crate::error::Error;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::NegotiationStrategy;
use crate::graphql::guards::{Role, RoleGuard};
use crate::graphql::scalars::{Date, Money};
use crate::graphql::types::negotiation::{Negotiation, NegotiationOffer, RenewalClosing};
use crate::graphql::types::reminder::RenewalReminder;
use crate::processes::negotiation::NegotiationConfig;
use crate::services::closing;
use crate::services::negotiations::{self, OfferForCreate};
use crate::services::reminders::{self, ReminderOffsets};
use async_graphql::{Context, Object, Result, SimpleObject, ID};

#[derive(Default)]
pub struct RenewalMutations;

/// The outcome of `scheduleRenewalReminders`.
#[derive(SimpleObject)]
pub struct ReminderSchedule {
    /// Reminder rows created now (0 when every reminder already existed).
    pub created: u64,
    /// The date the window starts on.
    pub as_of: Date,
    /// Renewals dated up to this day were covered.
    pub window_end: Date,
}

/// A reminder id; one that is not a number cannot exist.
fn reminder_id(id: &ID) -> Result<i64, Error> {
    id.parse::<i64>().map_err(|_| Error::not_found("reminder", id.as_str()))
}

#[Object]
impl RenewalMutations {
    /// 117 — Creates the missing reminder rows (one per configured offset) of open renewals due in
    /// [asOf, asOf + daysUntilRenewal]. Idempotent: running it again creates nothing.
    #[graphql(guard = "RoleGuard::new(Role::Csm)")]
    async fn schedule_renewal_reminders(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Window length in days, 1–730 (default 120).", default = 120)] days_until_renewal: i64,
        #[graphql(desc = "Window start; default today (UTC).")] as_of: Option<Date>,
    ) -> Result<ReminderSchedule> {
        let as_of = ctx.as_of(as_of);
        let offsets = ctx.data_unchecked::<ReminderOffsets>();
        let created = reminders::schedule(ctx.db(), ctx.request(), &offsets.0, days_until_renewal, as_of).await?;
        Ok(ReminderSchedule {
            created,
            as_of: as_of.into(),
            window_end: (as_of + chrono::Days::new(days_until_renewal as u64)).into(),
        })
    }

    /// 117 — Marks a reminder completed, with an optional note. Repeating it is a no-op; a skipped
    /// reminder cannot be completed (`CONFLICT`).
    #[graphql(guard = "RoleGuard::new(Role::Csm)")]
    async fn complete_reminder(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Reminder id.")] id: ID,
        #[graphql(desc = "What was done (at most 2000 characters).")] note: Option<String>,
    ) -> Result<RenewalReminder> {
        let row = reminders::finish(
            ctx.db(),
            ctx.request(),
            reminder_id(&id)?,
            ReminderStatus::Completed,
            note.as_deref(),
        )
        .await?;
        Ok(RenewalReminder {
            row,
            as_of: ctx.request().today(),
        })
    }

    /// 117 — Marks a reminder skipped, with an optional note. Repeating it is a no-op; a completed
    /// reminder cannot be skipped (`CONFLICT`).
    #[graphql(guard = "RoleGuard::new(Role::Csm)")]
    async fn skip_reminder(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Reminder id.")] id: ID,
        #[graphql(desc = "Why (at most 2000 characters).")] note: Option<String>,
    ) -> Result<RenewalReminder> {
        let row = reminders::finish(
            ctx.db(),
            ctx.request(),
            reminder_id(&id)?,
            ReminderStatus::Skipped,
            note.as_deref(),
        )
        .await?;
        Ok(RenewalReminder {
            row,
            as_of: ctx.request().today(),
        })
    }

    /// 119 — Builds the negotiation package for the client's open renewal (`NOT_FOUND` without
    /// one) and stores it as an open negotiation.
    #[graphql(guard = "RoleGuard::new(Role::Csm)")]
    async fn negotiate_renewal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Client id.")] client_id: ID,
        #[graphql(
            desc = "Strategy (default VALUE_REINFORCEMENT).",
            default_with = "NegotiationStrategy::ValueReinforcement"
        )]
        negotiation_strategy: NegotiationStrategy,
        #[graphql(desc = "Package date; default today (UTC).")] as_of: Option<Date>,
    ) -> Result<Negotiation> {
        let config = ctx.data_unchecked::<NegotiationConfig>();
        let expansion = ctx.data_unchecked::<crate::services::expansion::ExpansionSettings>();
        let as_of = ctx.as_of(as_of);
        let negotiation = negotiations::negotiate(
            ctx.db(),
            ctx.request(),
            config,
            expansion,
            &client_id,
            negotiation_strategy.into(),
            as_of,
        )
        .await?;
        Ok(Negotiation(negotiation))
    }

    /// 119 — Records an offer. Below the negotiation's minimumAcceptableArr it needs an ADMIN's
    /// approval — the caller's own ADMIN token, recorded as `approvedBy` — else
    /// `GUARDRAIL_VIOLATION` and nothing is stored.
    #[graphql(guard = "RoleGuard::new(Role::Csm)")]
    async fn record_negotiation_offer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "`NEG-<n>`.")] negotiation_id: ID,
        #[graphql(desc = "Offered annual ARR, ≥ 0.")] arr: Money,
        #[graphql(desc = "Contract length, 1–60 months.")] term_months: i64,
    ) -> Result<NegotiationOffer> {
        let offer = OfferForCreate {
            arr: arr.0,
            term_months,
        };
        let saved = negotiations::record_offer(ctx.db(), ctx.request(), &negotiation_id, offer).await?;
        Ok(NegotiationOffer(saved))
    }

    /// 119 — Closes a renewal at `finalArr` in one transaction: the outcome (renewed, downgraded,
    /// or churned at 0), the next contract with its items scaled to finalArr and its open renewal
    /// (unless churned; then the client is churned), a ledger event for finalArr − target, and the
    /// renewal's negotiations closed.
    #[graphql(guard = "RoleGuard::new(Role::Csm)")]
    async fn close_renewal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "`RNW-<n>`.")] renewal_id: ID,
        #[graphql(desc = "The renewed ARR, ≥ 0 (0 = churned).")] final_arr: Money,
        #[graphql(desc = "Next term, 1–60 months (default 12; ignored when churned).", default = 12)] term_months: i64,
    ) -> Result<RenewalClosing> {
        let closed = closing::close(ctx.db(), ctx.request(), &renewal_id, final_arr.0, term_months).await?;
        Ok(RenewalClosing(closed))
    }
}
