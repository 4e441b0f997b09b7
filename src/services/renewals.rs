//! 117: the renewals in a window, each scored by the 118 model trained on the whole book (also
//! when one client is asked for), with its reminders, stakeholders and open opportunities.
use super::forecast::scored_book;
use crate::db::parallel::read;
use crate::db::{self, Db};
use crate::error::{Error, Result};
use crate::processes::forecast::predict_open;
use crate::processes::renewals::{
    track_renewals, validate_window_days, RenewalFacts, RenewalTracking, TrackingInput, TrackingParams,
};
use chrono::{Days, NaiveDate};
use std::collections::HashMap;
use std::sync::Arc;

/// `renewals`: open renewals due in [as_of, as_of + days_until_renewal] and the overdue ones
/// (shared with the answer cache: show a page of it, copying only that page).
pub async fn track(
    db: &Db,
    offsets: &[u32],
    client_id: Option<&str>,
    days_until_renewal: i64,
    as_of: NaiveDate,
) -> Result<Arc<RenewalTracking>> {
    let days = validate_window_days(days_until_renewal)?;
    if let Some(id) = client_id {
        super::queries::client(db, id).await?;
    }
    let arguments = (offsets, client_id, days, as_of);
    super::cache::shared_answer(db, "renewals", arguments, || {
        compute(db, offsets, client_id, days, as_of)
    })
    .await
}

async fn compute(
    db: &Db,
    offsets: &[u32],
    client_id: Option<&str>,
    days: i64,
    as_of: NaiveDate,
) -> Result<RenewalTracking> {
    let book = scored_book(db, as_of).await?;
    let window_end = as_of + Days::new(days as u64);
    let predictions = predict_open(&book.model, &book.data, NaiveDate::MIN, window_end, as_of)?;
    let cases: HashMap<&str, _> = book.data.cases.iter().map(|c| (c.renewal.id.as_str(), c)).collect();
    let renewals = predictions
        .iter()
        .filter(|p| client_id.is_none_or(|id| p.client_id == id))
        .map(|p| {
            let case = cases
                .get(p.renewal_id.as_str())
                .ok_or_else(|| Error::internal(anyhow::anyhow!("renewal {} lost its case", p.renewal_id)))?;
            Ok(RenewalFacts::from_prediction((*case).clone(), p))
        })
        .collect::<Result<Vec<_>>>()?;
    let (of_reminders, of_contacts) = (client_id.map(str::to_owned), client_id.map(str::to_owned));
    let (reminders, contacts) = tokio::try_join!(
        read(db, |db| async move {
            db::reminders::of_open_renewals(&db, of_reminders.as_deref(), window_end).await
        }),
        read(db, |db| async move {
            db::contacts::of_open_renewals(&db, of_contacts.as_deref(), window_end).await
        }),
    )?;
    let opportunities = book
        .data
        .opportunities
        .into_iter()
        .filter(|o| client_id.is_none_or(|id| o.client_id == id))
        .collect();
    let input = TrackingInput {
        renewals,
        reminders,
        contacts,
        opportunities,
    };
    let params = TrackingParams {
        days_until_renewal: days,
        reminder_offsets: offsets.to_vec(),
    };
    track_renewals(&input, &params, as_of)
}
