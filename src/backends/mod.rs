//! Vendor backends: one folder each (wire types, codec, mapping, simulator).
//!
//! A vendor plugs in with a [`Vendor`] entry in [`VENDORS`]: its config
//! section parser, which builds a [`Backend`]. A backend says which unified
//! resources it serves by returning the matching trait object; each of
//! those traits is pure mapping (unified -> vendor request, vendor response
//! -> unified or a classified failure). Sending is the outbound stack's job.

pub mod bokamera;
pub mod department;
mod failure;
mod section;
pub mod vehizen;

pub use failure::VendorFailure;
pub use section::parse_section;

use crate::api::envelope::Warning;
use crate::config::{ConfigErrors, OutboundConfig};
use crate::outbound::{VendorRequest, VendorResponse};
use crate::unified::{Customer, CustomerGroup, CustomerOptions, Guid};
use std::sync::Arc;

/// One vendor known to the gateway.
pub struct Vendor {
    /// The name under `[backends.<name>]`.
    pub name: &'static str,
    /// Parses the vendor's config section; pushes every problem to `errors`.
    pub build: fn(&serde_json::Value, &mut ConfigErrors) -> Option<Built>,
}

/// A backend built from its config section.
pub struct Built {
    pub outbound: OutboundConfig,
    pub backend: Arc<dyn Backend>,
}

/// Every vendor the gateway can talk to. A fifth vendor is a folder and a
/// line here.
pub const VENDORS: &[Vendor] = &[vehizen::VENDOR, department::VENDOR, bokamera::VENDOR];

/// Looks a vendor up by its config name.
pub fn vendor(name: &str) -> Option<&'static Vendor> {
    VENDORS.iter().find(|v| v.name == name)
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
    /// `id` None creates.
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
    /// The write of `customer` under `id`; `options` are the request's own,
    /// each falling back to the backend's config default when `None`.
    fn put_request(
        &self,
        id: &str,
        customer: &Customer,
        options: &CustomerOptions,
    ) -> Result<Encoded<Customer>, VendorFailure>;
    /// `sent` is what the vendor stores of the write (`Encoded::stored`),
    /// answered when the vendor echoes nothing.
    fn decode_put(
        &self,
        resp: &VendorResponse,
        sent: Customer,
    ) -> Result<Reply<Customer>, VendorFailure>;
}
