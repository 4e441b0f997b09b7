//! Pages of a process's item list (DESIGN §5, amended): `first` 1–1000 (default 100) and `after`
//! (an `endCursor` of a previous page) cut the list the process computed in full, so its summary
//! still covers every item; `totalCount` and `pageInfo` say what was left out.
use super::connection::offset_window;
use crate::error::Result;
use async_graphql::connection::{CursorType, PageInfo};
use async_graphql::SimpleObject;

/// The largest page of items a caller may ask for.
pub const MAX_ITEMS: i32 = 1000;
/// The page size when `first` is absent.
pub const DEFAULT_ITEMS: i32 = 100;

/// Which items of a list to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ItemWindow {
    offset: usize,
    first: usize,
}

/// How many items the whole list has and where this page sits in it.
#[derive(SimpleObject)]
pub struct ItemPage {
    /// Items of the whole list, across all pages (the summary covers all of them).
    pub total_count: usize,
    /// Cursors of this page: pass `endCursor` as `after` for the next page.
    pub page_info: PageInfo,
}

impl Default for ItemWindow {
    fn default() -> Self {
        ItemWindow {
            offset: 0,
            first: DEFAULT_ITEMS as usize,
        }
    }
}

impl ItemPage {
    /// One page holding all `n` items (what a result is before a window cuts it).
    pub fn whole(n: usize) -> ItemPage {
        ItemWindow { offset: 0, first: n }.page(n)
    }
}

impl ItemWindow {
    /// Checks `first` (1–1000, default 100) and decodes `after`.
    pub fn new(first: Option<i32>, after: Option<String>) -> Result<ItemWindow> {
        let (offset, first) = offset_window(first, after, DEFAULT_ITEMS, MAX_ITEMS)?;
        Ok(ItemWindow { offset, first })
    }

    /// This window's items of `items`, borrowed, and the page they make: a shared (cached)
    /// answer is shown without copying the items outside the page.
    pub fn slice<'a, T>(&self, items: &'a [T]) -> (&'a [T], ItemPage) {
        let (start, end) = self.bounds(items.len());
        (&items[start..end], self.page(items.len()))
    }

    /// The shown range `start..end` of a list of `total_count` items.
    fn bounds(&self, total_count: usize) -> (usize, usize) {
        let start = self.offset.min(total_count);
        (start, start.saturating_add(self.first).min(total_count))
    }

    fn page(&self, total_count: usize) -> ItemPage {
        let (start, end) = self.bounds(total_count);
        let cursor = |i: usize| Some(i.encode_cursor());
        ItemPage {
            total_count,
            page_info: PageInfo {
                has_previous_page: start > 0,
                has_next_page: end < total_count,
                // `then`, not `then_some`: `end - 1` must not be computed for an empty page.
                start_cursor: (end > start).then_some(start).and_then(cursor),
                end_cursor: (end > start).then(|| end - 1).and_then(cursor),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_walk_the_list_with_end_cursors_and_count_all_of_it() {
        let items = [10, 11, 12, 13, 14];
        let (shown, page) = ItemWindow::new(Some(2), None).unwrap().slice(&items);
        assert_eq!(shown, &[10, 11][..]);
        assert_eq!((page.total_count, page.page_info.has_next_page), (5, true));
        let next = ItemWindow::new(Some(2), page.page_info.end_cursor.clone()).unwrap();
        assert_eq!(next.slice(&items).0, &[12, 13][..]);
        let last = ItemWindow::new(Some(100), Some(3usize.encode_cursor())).unwrap();
        let (shown, page) = last.slice(&items);
        assert_eq!((shown, page.page_info.has_next_page), (&[14][..], false));
        let beyond = ItemWindow::new(Some(2), Some(9usize.encode_cursor())).unwrap();
        assert!(beyond.slice(&items).0.is_empty(), "a cursor past the end shows nothing");
    }

    #[test]
    fn an_empty_list_is_one_empty_page_without_cursors() {
        for page in [ItemPage::whole(0), ItemWindow::default().slice::<u8>(&[]).1] {
            assert_eq!(page.total_count, 0);
            assert!(page.page_info.start_cursor.is_none() && page.page_info.end_cursor.is_none());
            assert!(!page.page_info.has_next_page && !page.page_info.has_previous_page);
        }
    }

    #[test]
    fn the_page_size_is_one_to_a_thousand_and_cursors_must_be_ours() {
        assert_eq!(ItemWindow::new(None, None).unwrap().first, 100);
        assert!(ItemWindow::new(Some(1000), None).is_ok());
        assert!(ItemWindow::new(Some(0), None).is_err());
        assert!(ItemWindow::new(Some(1001), None).is_err());
        assert!(ItemWindow::new(None, Some("not a cursor".into())).is_err());
    }
}
