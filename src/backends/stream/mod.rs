//! Reads that stream: a vendor's GET answer goes to the unified JSON bytes
//! in one pass, without building the wire types or the unified model.
//!
//! The typed path (wire types -> mapping -> unified -> serde_json) stays
//! the source of truth for what the unified JSON means. A streaming read
//! either writes exactly the bytes the typed path writes for the same
//! answer, or gives up ([`None`]) and the adapter runs the typed path for
//! that document. It gives up on anything it is not sure of: every error
//! (so the typed path names it), duplicate JSON members, arrays read as
//! objects, `Labels` holding nested values, unusual XML namespace
//! declarations. `tests/it/stream_reads.rs` holds both paths byte-equal.
//!
//! - [`shape`]: per-object tables (vendor member -> slot -> unified key)
//!   and the writer that emits an object's members in unified order;
//! - [`json`]: the JSON driver (serde_json's tokenizer, visitors that
//!   write instead of build), after its fast path (`fast`, on `scan`'s
//!   small tokenizer) for the common documents;
//! - [`xml`]: the XML driver (quick-xml's tokenizer, the hardened reader's
//!   rules, namespaces resolved from a per-document prefix table);
//! - the vendor tables live in the vendor folders (`vehizen/stream_*.rs`,
//!   `fleet_admin/stream.rs`).

mod fast;
pub mod json;
mod scan;
pub mod shape;
pub mod text;
pub mod unknown;
pub mod xml;

use serde::Serialize;

use super::{PageRequest, Paged, Reply, VehicleCategories, VendorFailure};
use crate::outbound::VendorResponse;
use crate::unified::Page;

/// A read answer's unified `data`, already written as compact JSON, and
/// where it sits when it is a page of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataJson {
    pub json: Vec<u8>,
    pub page: Option<Page>,
}

impl DataJson {
    /// The typed path: `data` serialized as the envelope would.
    pub fn of<T: Serialize>(data: &T) -> Result<DataJson, VendorFailure> {
        serde_json::to_vec(data)
            .map(|json| DataJson { json, page: None })
            .map_err(|e| VendorFailure::Unreadable(format!("own encoding: {e}")))
    }

    /// A typed page of a list.
    pub fn of_page<T: Serialize>(paged: &Paged<T>) -> Result<DataJson, VendorFailure> {
        let mut d = DataJson::of(&paged.items)?;
        d.page = Some(paged.page);
        Ok(d)
    }
}

/// A typed reply as a [`DataJson`] reply (what a backend without a
/// streaming read answers).
pub fn typed<T: Serialize>(reply: Reply<T>) -> Result<Reply<DataJson>, VendorFailure> {
    Ok(Reply {
        data: DataJson::of(&reply.data)?,
        warnings: reply.warnings,
    })
}

/// A typed page reply as a [`DataJson`] reply.
pub fn typed_page<T: Serialize>(reply: Reply<Paged<T>>) -> Result<Reply<DataJson>, VendorFailure> {
    Ok(Reply {
        data: DataJson::of_page(&reply.data)?,
        warnings: reply.warnings,
    })
}

/// The typed decode of a category read, as a [`DataJson`] reply.
pub fn typed_category_read<C: VehicleCategories + ?Sized>(
    cats: &C,
    read: CategoryRead,
    resp: &VendorResponse,
) -> Result<Reply<DataJson>, VendorFailure> {
    match read {
        CategoryRead::Tree => typed(cats.decode_tree(resp)?),
        CategoryRead::One => typed(cats.decode_get(resp)?),
        CategoryRead::Leaves(p) => typed_page(cats.decode_leaves(resp, p)?),
        CategoryRead::Vehicles(p) => typed_page(cats.decode_vehicles(resp, p)?),
    }
}

/// Which read of `/v1/vehicle-categories` an answer is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CategoryRead {
    /// The tree or a subtree: a list of categories.
    Tree,
    /// One category.
    One,
    /// A page of leaf categories.
    Leaves(PageRequest),
    /// A page of a category's (or its descendants') vehicles.
    Vehicles(PageRequest),
}

/// A streamed list: `[item,item,...]` and where each item is in it, so a
/// page can be cut out as [`super::fleet_admin::paging::page_of`] does.
#[derive(Debug, Default)]
pub struct ListJson {
    pub json: Vec<u8>,
    pub items: Vec<(usize, usize)>,
}

impl ListJson {
    /// The unified page of the list for `page`: the same items and `page`
    /// as `paging::page_of` gives for the typed list.
    pub fn page(self, page: PageRequest) -> DataJson {
        let size = page.size as usize;
        let n = self.items.len();
        if n <= size {
            return DataJson {
                json: self.json,
                page: Some(Page {
                    number: page.number,
                    size: page.size,
                    has_more: size > 0 && n == size,
                }),
            };
        }
        // Unpaged answer: the whole list. Cut the asked page out of it.
        let skip = (page.number.saturating_sub(1) as usize).saturating_mul(size);
        let mut json = Vec::with_capacity(self.json.len());
        json.push(b'[');
        for (i, (start, end)) in self.items.iter().skip(skip).take(size).enumerate() {
            if i > 0 {
                json.push(b',');
            }
            json.extend_from_slice(&self.json[*start..*end]);
        }
        json.push(b']');
        DataJson {
            json,
            page: Some(Page {
                number: page.number,
                size: page.size,
                has_more: n > skip.saturating_add(size),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backends::fleet_admin::paging::page_of;

    fn list(n: usize) -> ListJson {
        let mut l = ListJson::default();
        l.json.push(b'[');
        for i in 0..n {
            if i > 0 {
                l.json.push(b',');
            }
            let start = l.json.len();
            l.json.extend_from_slice(i.to_string().as_bytes());
            l.items.push((start, l.json.len()));
        }
        l.json.push(b']');
        l
    }

    #[test]
    fn pages_like_the_typed_paging() {
        for n in 0..7 {
            for number in 1..5 {
                for size in 0..4 {
                    let p = PageRequest { number, size };
                    let typed = page_of((0..n).collect::<Vec<usize>>(), p);
                    let streamed = list(n).page(p);
                    assert_eq!(
                        streamed.json,
                        serde_json::to_vec(&typed.items).unwrap(),
                        "{n} {number} {size}"
                    );
                    assert_eq!(streamed.page, Some(typed.page), "{n} {number} {size}");
                }
            }
        }
    }
}
