//! Parameters of list queries, as plain data.
use super::enums::*;
use chrono::NaiveDate;

/// Filters of the `clients` list; all present ones must match.
#[derive(Clone, Debug, Default)]
pub struct ClientFilter {
    pub tier: Option<Tier>,
    pub lifecycle_stage: Option<LifecycleStage>,
    pub status: Option<ClientStatus>,
    /// Latest health score (as of `health_as_of`) at least this.
    pub health_min: Option<f64>,
    /// Latest health score (as of `health_as_of`) at most this.
    pub health_max: Option<f64>,
    /// The date the health filters read the latest snapshot on.
    pub health_as_of: Option<NaiveDate>,
    pub csm_owner: Option<String>,
    /// Has an open renewal dated before this.
    pub renewal_before: Option<NaiveDate>,
    /// Case-insensitive substring of id, name or company name.
    pub search: Option<String>,
}

/// Sort orders of the `clients` list; ties are broken by id so pages are stable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClientOrder {
    #[default]
    NameAsc,
    NameDesc,
    CustomerSinceAsc,
    CustomerSinceDesc,
    IdAsc,
}

/// Filters of the `opportunities` list.
#[derive(Clone, Debug, Default)]
pub struct OpportunityFilter {
    pub client_id: Option<String>,
    pub stage: Option<OpportunityStage>,
    pub opportunity_type: Option<OpportunityType>,
    /// Only stages other than won and lost.
    pub open_only: bool,
}

/// Filters of the `revenueEvents` list.
#[derive(Clone, Debug, Default)]
pub struct RevenueEventFilter {
    pub client_id: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub kind: Option<RevenueKind>,
}

/// One page of a list: `offset` rows skipped, at most `limit` returned; the whole list counted
/// only when `count_total` (a `COUNT(*)` nobody reads is not sent).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub offset: u64,
    pub limit: u64,
    pub count_total: bool,
}

/// A page of rows, whether more follow, and the count of the whole filtered list when asked for.
#[derive(Clone, Debug)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: Option<u64>,
    pub has_next_page: bool,
}

impl<T> Page<T> {
    /// The same page with each row converted.
    pub fn try_map<U, E>(self, f: impl FnMut(T) -> Result<U, E>) -> Result<Page<U>, E> {
        Ok(Page {
            rows: self.rows.into_iter().map(f).collect::<Result<_, _>>()?,
            total: self.total,
            has_next_page: self.has_next_page,
        })
    }
}
