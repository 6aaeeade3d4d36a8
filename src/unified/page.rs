//! Where a page of a list sits, as the unified envelope reports it.

use serde::Serialize;

/// Where a page of a list sits: `{"number", "size", "hasMore"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Page {
    /// The page asked for, 1-based.
    pub number: u32,
    /// The page size asked for (the last page may hold fewer items).
    pub size: u32,
    /// Whether a later page may hold items.
    pub has_more: bool,
}
