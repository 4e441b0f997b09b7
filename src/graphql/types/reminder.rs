//! `RenewalReminder`: a stored reminder row, its status and days read as of a date.
use super::{load_client, Client, Renewal};
use crate::domain::reminder;
use crate::graphql::context::ContextExt;
use crate::graphql::enums::ReminderStatus;
use crate::graphql::errors::shared;
use crate::graphql::scalars::Date;
use crate::processes::renewals::reminder_status;
use async_graphql::{Context, Error, Object, Result, ID};
use chrono::{DateTime, NaiveDate, Utc};

/// A reminder to act on a renewal, a set number of days before it.
pub struct RenewalReminder {
    pub row: reminder::RenewalReminder,
    /// The date `status` and `dueInDays` are read on.
    pub as_of: NaiveDate,
}

impl RenewalReminder {
    async fn loaded_renewal(&self, ctx: &Context<'_>) -> Result<crate::domain::Renewal> {
        let renewal = ctx
            .loaders()
            .renewal
            .load_one(self.row.renewal_id.clone())
            .await
            .map_err(shared)?;
        renewal.ok_or_else(|| Error::new(format!("renewal {} missing", self.row.renewal_id)))
    }
}

/// A reminder to act on a renewal, a set number of days before it.
#[Object]
impl RenewalReminder {
    /// Reminder id (pass it to `completeReminder` / `skipReminder`).
    async fn id(&self) -> ID {
        ID(self.row.id.to_string())
    }
    /// Days before the renewal date.
    async fn offset_days(&self) -> i32 {
        self.row.offset_days
    }
    /// renewal date − offsetDays.
    async fn due_date(&self) -> Date {
        self.row.due_date.into()
    }
    /// Completed or skipped as stored; otherwise due once dueDate ≤ asOf, else scheduled.
    async fn status(&self) -> ReminderStatus {
        reminder_status(Some(self.row.status), self.row.due_date, self.as_of).into()
    }
    /// dueDate − asOf in days; negative once past.
    async fn due_in_days(&self) -> i64 {
        (self.row.due_date - self.as_of).num_days()
    }
    /// When it was completed or skipped.
    async fn completed_at(&self) -> Option<DateTime<Utc>> {
        self.row.completed_at
    }
    /// The note left when finishing it.
    async fn note(&self) -> Option<&str> {
        self.row.note.as_deref()
    }
    /// The renewal it is about.
    async fn renewal(&self, ctx: &Context<'_>) -> Result<Renewal> {
        Ok(Renewal(self.loaded_renewal(ctx).await?))
    }
    /// The client of that renewal.
    async fn client(&self, ctx: &Context<'_>) -> Result<Client> {
        let renewal = self.loaded_renewal(ctx).await?;
        load_client(ctx, &renewal.client_id).await
    }
}
