//! One page of an ordered query. The total is counted only when the caller asked for it
//! (`totalCount` selected); otherwise one extra row is read to tell whether a next page exists,
//! so an unselected count costs no `COUNT(*)` statement.
use crate::domain::queries::{Page, PageRequest};
use crate::error::Result;
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait, QuerySelect, Select};

/// The rows of `page` of `ordered` (already filtered and ordered), with `total` when asked for.
pub async fn fetch<E>(db: &impl ConnectionTrait, ordered: Select<E>, page: PageRequest) -> Result<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: Sync,
{
    let total = match page.count_total {
        true => Some(ordered.clone().count(db).await?),
        false => None,
    };
    let mut rows = ordered.offset(page.offset).limit(page.limit + 1).all(db).await?;
    let has_next_page = rows.len() as u64 > page.limit;
    rows.truncate(page.limit as usize);
    Ok(Page {
        rows,
        total,
        has_next_page,
    })
}
