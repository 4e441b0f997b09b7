//! Relay connections over offset pages: `first` ≤ 100, `after` a cursor from a previous page,
//! `totalCount` and the `nodes` shortcut.
use crate::domain::queries::{Page, PageRequest};
use crate::error::{Error, Result};
use async_graphql::connection::{Connection, CursorType, Edge};
use async_graphql::{Context, OutputType, SimpleObject};

/// The largest page a caller may ask for.
pub const MAX_PAGE: i32 = 100;
/// The page size when `first` is absent.
pub const DEFAULT_PAGE: i32 = 20;

/// Fields every connection has beside edges and nodes.
#[derive(SimpleObject)]
pub struct Totals {
    /// How many items match, across all pages.
    pub total_count: u64,
}

/// A connection of `T` with `totalCount`.
pub type Paged<T> = Connection<usize, T, Totals>;

/// Validates `first` (1–100) and decodes `after` into an offset page; the list is counted only
/// when the connection's `totalCount` is selected.
pub fn page_request(ctx: &Context<'_>, first: Option<i32>, after: Option<String>) -> Result<PageRequest> {
    let (offset, first) = offset_window(first, after, DEFAULT_PAGE, MAX_PAGE)?;
    Ok(PageRequest {
        offset: offset as u64,
        limit: first as u64,
        count_total: ctx.look_ahead().field("totalCount").exists(),
    })
}

/// `first` checked against 1–`max` (`default` when absent) and `after` decoded: (offset, size).
pub fn offset_window(first: Option<i32>, after: Option<String>, default: i32, max: i32) -> Result<(usize, usize)> {
    let first = first.unwrap_or(default);
    if !(1..=max).contains(&first) {
        return Err(Error::bad_input(
            "first",
            format!("{first} is out of range"),
            format!("1–{max}"),
        ));
    }
    let offset = match after {
        None => 0,
        Some(cursor) => {
            usize::decode_cursor(&cursor).map_err(|_| {
                Error::bad_input(
                    "after",
                    format!("`{cursor}` is not a cursor of this list"),
                    "an endCursor from a previous page",
                )
            })? + 1
        }
    };
    Ok((offset, first as usize))
}

/// Builds the connection of one page, mapping rows to their GraphQL type.
pub fn connection<R, T: OutputType>(request: PageRequest, page: Page<R>, wrap: impl Fn(R) -> T) -> Paged<T> {
    let start = request.offset as usize;
    let mut connection = Connection::with_additional_fields(
        start > 0,
        page.has_next_page,
        Totals {
            // Counted whenever `totalCount` is selected (see `page_request`).
            total_count: page.total.unwrap_or_default(),
        },
    );
    connection.edges.extend(
        page.rows
            .into_iter()
            .enumerate()
            .map(|(i, row)| Edge::new(start + i, wrap(row))),
    );
    connection
}
