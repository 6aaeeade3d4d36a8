//! Paging: the unified `page`/`pageSize` <-> the vendor's paged list.
//!
//! The vendor page calls `list`, `list-vehicles` and
//! `list-descendants-vehicles` "Paged List APIs, as explained in the
//! introduction", and the introduction is not in the docs. Assumed (and
//! configurable, `page_param`, `page_size_param`, `first_page`):
//!
//! - the page goes in the query as `?page=N&pageSize=M`, pages 1-based;
//! - the answer is the bare JSON array of that page's items, with no total.
//!
//! So `hasMore` is derived: a full page (`len == pageSize`) says there may
//! be more (on the exact last page it is true and the next page is empty);
//! a short page says there is none. Asking for `pageSize + 1` items would be
//! exact, but with page *numbers* it shifts every later page, so it is not
//! done. An answer longer than `pageSize` means the vendor ignored the
//! paging: the gateway then pages the whole list itself, exactly.

use crate::backends::{PageRequest, Paged};
use crate::unified::Page;

/// The vendor's paging query parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagingKeys {
    pub page_param: String,
    pub page_size_param: String,
    /// The vendor's number of the first page (0 or 1).
    pub first_page: u32,
}

impl Default for PagingKeys {
    fn default() -> Self {
        PagingKeys {
            page_param: "page".into(),
            page_size_param: "pageSize".into(),
            first_page: 1,
        }
    }
}

impl PagingKeys {
    /// `?page=N&pageSize=M` for a unified (1-based) page.
    pub fn query(&self, page: PageRequest) -> String {
        let vendor_page = u64::from(page.number.saturating_sub(1)) + u64::from(self.first_page);
        format!(
            "?{}={vendor_page}&{}={}",
            self.page_param, self.page_size_param, page.size
        )
    }

    /// Whether a parameter name needs no escaping in a query.
    pub fn is_plain(name: &str) -> bool {
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'~'))
    }
}

/// The unified page of what the vendor answered for `page`.
pub fn page_of<T>(mut items: Vec<T>, page: PageRequest) -> Paged<T> {
    let size = page.size as usize;
    let has_more = if items.len() > size {
        // Unpaged answer: the whole list. Take the asked page of it.
        let skip = (page.number.saturating_sub(1) as usize).saturating_mul(size);
        let total = items.len();
        items = items.into_iter().skip(skip).take(size).collect();
        total > skip.saturating_add(size)
    } else {
        size > 0 && items.len() == size
    };
    Paged {
        items,
        page: Page {
            number: page.number,
            size: page.size,
            has_more,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(number: u32, size: u32) -> PageRequest {
        PageRequest { number, size }
    }

    #[test]
    fn query_maps_to_the_vendor_numbering() {
        let k = PagingKeys::default();
        assert_eq!(k.query(p(1, 50)), "?page=1&pageSize=50");
        let zero = PagingKeys {
            first_page: 0,
            ..PagingKeys::default()
        };
        assert_eq!(zero.query(p(3, 10)), "?page=2&pageSize=10");
    }

    #[test]
    fn has_more_from_a_full_page() {
        assert!(page_of(vec![1, 2], p(1, 2)).page.has_more);
        assert!(!page_of(vec![1], p(1, 2)).page.has_more);
        assert!(!page_of(Vec::<u8>::new(), p(4, 2)).page.has_more);
    }

    #[test]
    fn an_unpaged_answer_is_paged_here() {
        let all: Vec<u32> = (1..=5).collect();
        let second = page_of(all.clone(), p(2, 2));
        assert_eq!(second.items, vec![3, 4]);
        assert!(second.page.has_more);
        let third = page_of(all.clone(), p(3, 2));
        assert_eq!(third.items, vec![5]);
        assert!(!third.page.has_more);
        assert!(page_of(all, p(9, 2)).items.is_empty());
    }

    #[test]
    fn plain_names() {
        assert!(PagingKeys::is_plain("pageSize"));
        assert!(!PagingKeys::is_plain("page size"));
        assert!(!PagingKeys::is_plain(""));
        assert!(!PagingKeys::is_plain("a&b"));
    }
}
