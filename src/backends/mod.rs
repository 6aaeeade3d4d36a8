//! Vendor backends: one folder each (wire types, codec, mapping, simulator).
//!
//! A vendor plugs in with a [`Vendor`] entry in [`VENDORS`]: its config
//! section parser, which builds a [`Backend`], and the query options its
//! writes read ([`options`]). A backend says which unified
//! resources it serves by returning the matching trait object; each of
//! those traits is pure mapping (unified -> vendor request, vendor response
//! -> unified or a classified failure). Sending is the outbound stack's job.
//! What the vendors share (section parsing, status and format reading,
//! secrets, percent-encoding) is in [`kit`].

pub mod bokamera;
pub mod department;
pub mod fleet_admin;
pub mod kit;
pub mod options;
pub mod stream;
pub mod vehizen;

pub use kit::decode_error;
pub use kit::failure::{not_a_guid, VendorFailure};
pub use kit::section::{parse_section, SectionInput};
pub use options::{OptionKind, OptionSpec, OptionValue, QueryOptions};

use crate::config::{ConfigErrors, OutboundConfig, Resource};
use crate::outbound::{VendorRequest, VendorResponse};
use crate::unified::{
    CategoryImages, Customer, CustomerGroup, Guid, TextId, Vehicle, VehicleCategory,
};
use crate::unified::{Page, Warning};
use std::sync::{Arc, LazyLock};

/// One vendor known to the gateway.
pub struct Vendor {
    /// The name under `[backends.<name>]`.
    pub name: &'static str,
    /// Parses the vendor's config section; pushes every problem to `errors`.
    pub build: fn(&SectionInput<'_>, &mut ConfigErrors) -> Option<Built>,
    /// The query options of `PUT /v1/customers/{id}` the vendor reads
    /// ([`QueryOptions`]); the API accepts every vendor's, so a request may
    /// carry options for a backend its route does not include.
    pub options: &'static [OptionSpec],
}

/// A backend built from its config section.
pub struct Built {
    pub outbound: OutboundConfig,
    pub backend: Arc<dyn Backend>,
}

/// Every vendor the gateway can talk to. A fifth vendor is a folder and a
/// line here.
pub const VENDORS: &[Vendor] = &[
    vehizen::VENDOR,
    department::VENDOR,
    bokamera::VENDOR,
    fleet_admin::VENDOR,
];

/// Looks a vendor up by its config name.
pub fn vendor(name: &str) -> Option<&'static Vendor> {
    VENDORS.iter().find(|v| v.name == name)
}

/// Every query option some vendor reads, each name once, in [`VENDORS`]
/// order: what the API accepts in a customer write's query string.
pub fn query_options() -> &'static [&'static OptionSpec] {
    static ALL: LazyLock<Vec<&'static OptionSpec>> = LazyLock::new(|| {
        let mut all: Vec<&'static OptionSpec> = Vec::new();
        for spec in VENDORS.iter().flat_map(|v| v.options) {
            if !all.iter().any(|o| o.name == spec.name) {
                all.push(spec);
            }
        }
        all
    });
    &ALL
}

/// A configured backend.
pub trait Backend: Send + Sync + 'static {
    fn name(&self) -> &'static str;

    /// The built-in simulator served when `base_url = "sandbox"`.
    fn simulator(&self) -> axum::Router;

    fn customer_groups(&self) -> Option<&dyn CustomerGroups> {
        None
    }

    fn customers(&self) -> Option<&dyn Customers> {
        None
    }

    fn vehicle_categories(&self) -> Option<&dyn VehicleCategories> {
        None
    }

    /// Whether this backend serves `r` (a route may name it for `r`).
    fn serves(&self, r: Resource) -> bool {
        match r {
            Resource::CustomerGroups => self.customer_groups().is_some(),
            Resource::Customers => self.customers().is_some(),
            Resource::VehicleCategories => self.vehicle_categories().is_some(),
        }
    }

    /// Whether writes to this vendor carry `Idempotency-Key` when the
    /// caller gave one (a key derived from the caller's, see
    /// [`crate::outbound::vendor_key`]). Off unless the
    /// vendor documents that it honours the header; none of the four does.
    fn forwards_idempotency_key(&self) -> bool {
        false
    }
}

/// A request ready to send, and what the vendor will store of the unified
/// value (the value passed through the vendor's wire model and back), from
/// which the gateway names every unified field the vendor cannot store.
pub struct Encoded<T> {
    pub request: VendorRequest,
    pub stored: T,
}

/// A decoded vendor answer and the warnings that go with it (vendor
/// warnings, vendor members the gateway did not understand).
pub struct Reply<T> {
    pub data: T,
    pub warnings: Vec<Warning>,
}

impl<T> Reply<T> {
    pub fn new(data: T) -> Self {
        Reply {
            data,
            warnings: Vec::new(),
        }
    }
}

/// `GET/PUT /v1/customer-groups`.
pub trait CustomerGroups: Send + Sync {
    fn get_request(&self, id: &Guid) -> VendorRequest;
    fn decode_get(&self, resp: &VendorResponse) -> Result<Reply<CustomerGroup>, VendorFailure>;
    /// [`decode_get`](Self::decode_get) as the unified JSON bytes: streamed
    /// where the backend can (see [`stream`]), else the typed read.
    fn decode_get_json(
        &self,
        resp: &VendorResponse,
    ) -> Result<Reply<stream::DataJson>, VendorFailure> {
        stream::typed(self.decode_get(resp)?)
    }
    /// `id` None creates. A value the vendor's types cannot hold is
    /// [`VendorFailure::Unsendable`].
    fn put_request(
        &self,
        id: Option<&Guid>,
        group: &CustomerGroup,
    ) -> Result<Encoded<CustomerGroup>, VendorFailure>;
    /// `sent` is what was written, answered when the vendor echoes nothing.
    fn decode_put(
        &self,
        resp: &VendorResponse,
        sent: CustomerGroup,
    ) -> Result<Reply<CustomerGroup>, VendorFailure>;
}

/// `PUT /v1/customers/{id}`.
pub trait Customers: Send + Sync {
    /// The write of `customer` under `id`. `options` are the request's
    /// own: the backend reads those its vendor declares
    /// ([`Vendor::options`]), each falling back to its config default when
    /// not given, and ignores the others. A value the vendor's types cannot
    /// hold (a non-GUID id for a Guid-typed member) is
    /// [`VendorFailure::Unsendable`].
    fn put_request(
        &self,
        id: &TextId,
        customer: &Customer,
        options: &QueryOptions,
    ) -> Result<Encoded<Customer>, VendorFailure>;
    /// `sent` is what the vendor stores of the write (`Encoded::stored`),
    /// answered when the vendor echoes nothing.
    fn decode_put(
        &self,
        resp: &VendorResponse,
        sent: Customer,
    ) -> Result<Reply<Customer>, VendorFailure>;
}

/// A page asked for by a unified list request (`?page=&pageSize=`),
/// 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub number: u32,
    pub size: u32,
}

/// One page of a list and where it sits.
#[derive(Debug, Clone, PartialEq)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub page: Page,
}

/// Which image of a category a write sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageSlot {
    /// The main image (`.../image`).
    Image,
    /// The thumbnail (`.../thumbnail`).
    Thumbnail,
}

/// Why an image was refused before anything was sent.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImageRefusal {
    /// Not standard padded base64 (400).
    #[error("the image is not valid base64: {0}")]
    Invalid(String),
    /// Decodes to more bytes than the backend allows (413).
    #[error("the image is {bytes} bytes, above the limit of {max} bytes")]
    TooLarge { bytes: usize, max: usize },
}

/// Which vehicles of a category a list answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VehicleScope {
    /// Vehicles of the category itself.
    Category,
    /// Vehicles of the category's descendants.
    Descendants,
}

/// `/v1/vehicle-categories`: one request builder and one decoder per
/// operation. Category ids are integers.
pub trait VehicleCategories: Send + Sync {
    /// The whole tree (`id` None) or the subtree rooted at `id`.
    fn tree_request(&self, id: Option<i64>) -> VendorRequest;
    fn decode_tree(
        &self,
        resp: &VendorResponse,
    ) -> Result<Reply<Vec<VehicleCategory>>, VendorFailure>;
    fn get_request(&self, id: i64) -> VendorRequest;
    fn decode_get(&self, resp: &VendorResponse) -> Result<Reply<VehicleCategory>, VendorFailure>;
    /// The leaf categories, one page.
    fn leaves_request(&self, page: PageRequest) -> VendorRequest;
    fn decode_leaves(
        &self,
        resp: &VendorResponse,
        page: PageRequest,
    ) -> Result<Reply<Paged<VehicleCategory>>, VendorFailure>;
    /// Creates (`id` None) or edits category `id`.
    fn save_request(
        &self,
        id: Option<i64>,
        category: &VehicleCategory,
    ) -> Result<Encoded<VehicleCategory>, VendorFailure>;
    /// `sent` is what was written, answered as the vendor echoes nothing.
    fn decode_save(
        &self,
        resp: &VendorResponse,
        sent: VehicleCategory,
    ) -> Result<Reply<VehicleCategory>, VendorFailure>;
    fn delete_request(&self, id: i64) -> VendorRequest;
    fn decode_delete(&self, resp: &VendorResponse) -> Result<Reply<()>, VendorFailure>;
    fn images_request(&self, id: i64) -> VendorRequest;
    fn decode_images(&self, resp: &VendorResponse) -> Result<Reply<CategoryImages>, VendorFailure>;
    /// Checks `base64` (alphabet, padding, decoded size) and builds the write.
    fn image_request(
        &self,
        id: i64,
        slot: ImageSlot,
        base64: &str,
    ) -> Result<VendorRequest, ImageRefusal>;
    fn decode_image(&self, resp: &VendorResponse) -> Result<Reply<()>, VendorFailure>;
    fn vehicles_request(&self, id: i64, scope: VehicleScope, page: PageRequest) -> VendorRequest;
    fn decode_vehicles(
        &self,
        resp: &VendorResponse,
        page: PageRequest,
    ) -> Result<Reply<Paged<Vehicle>>, VendorFailure>;
    /// A read's answer (tree, one category, leaves, vehicles) as the
    /// unified JSON bytes: streamed where the backend can (see
    /// [`stream`]), else the typed decode of that read.
    fn decode_read_json(
        &self,
        read: stream::CategoryRead,
        resp: &VendorResponse,
    ) -> Result<Reply<stream::DataJson>, VendorFailure> {
        stream::typed_category_read(self, read, resp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two vendors may read the same option only if they read it the same
    /// way: the API checks its value once, for both.
    #[test]
    fn an_option_name_has_one_kind() {
        for (i, a) in VENDORS.iter().enumerate() {
            for b in &VENDORS[i..] {
                for x in a.options {
                    for y in b.options.iter().filter(|y| y.name == x.name) {
                        assert_eq!(x.kind, y.kind, "{} in {} and {}", x.name, a.name, b.name);
                    }
                }
            }
        }
        let names: Vec<&str> = query_options().iter().map(|o| o.name).collect();
        assert_eq!(
            names,
            [
                "requesterUserUUID",
                "dealerUUIDList",
                "validateVin",
                "searchForDuplicate",
                "companyId"
            ]
        );
    }
}
