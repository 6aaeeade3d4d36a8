//! Differential checks of streamed reads against the typed path, and the
//! document generators and mutators that feed them (`tests/stream_reads.rs`).
#![allow(dead_code)]

pub mod fleet;
pub mod json;
pub mod vehizen;
pub mod xml;

use bytes::Bytes;
use crossdock::api::envelope::{Envelope, JsonEnvelope};
use crossdock::backends::fleet_admin::{self, FleetAdmin};
use crossdock::backends::stream::CategoryRead;
use crossdock::backends::vehizen::{stream_json, stream_xml, Format, Vehizen};
use crossdock::backends::{CustomerGroups, PageRequest, VehicleCategories, VendorFailure};
use crossdock::outbound::VendorResponse;
use http::{header, HeaderMap, HeaderValue, StatusCode};

/// A small deterministic generator (xorshift64*), seeded by proptest.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed | 1)
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    /// True `per_mille` times in a thousand.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.next() % 1000 < per_mille
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    pub fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            xs.swap(i, self.below(i + 1));
        }
    }
}

pub fn response(status: u16, content_type: &str, body: &[u8]) -> VendorResponse {
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    VendorResponse {
        status: StatusCode::from_u16(status).expect("a status"),
        headers,
        body: Bytes::copy_from_slice(body),
    }
}

/// What a read answers: the whole body, or the failure.
pub type Outcome = Result<Vec<u8>, VendorFailure>;

/// Both paths of a Vehizen GET over `body`: they must give the same body
/// bytes or the same failure. Returns whether the stream read it (rather
/// than falling back to the typed path).
pub fn vehizen(format: Format, body: &[u8]) -> bool {
    let v = Vehizen::new(format);
    let resp = response(200, format.content_type(), body);
    let typed: Outcome = v.decode_get(&resp).map(|r| {
        Envelope::ok(r.data, r.warnings)
            .to_bytes()
            .expect("typed body")
    });
    let streamed: Outcome = v
        .decode_get_json(&resp)
        .map(|r| JsonEnvelope::ok(r).to_bytes().expect("streamed body"));
    let raw = match format {
        Format::Json => stream_json::group(body),
        Format::Xml => stream_xml::group(body),
    };
    if streamed != typed {
        panic!(
            "{format:?} paths differ (streamed: {})\n body: {}\n typed:    {}\n streamed: {}",
            raw.is_some(),
            String::from_utf8_lossy(body),
            show(&typed),
            show(&streamed)
        );
    }
    // The stream never reads what the typed path refuses.
    assert!(raw.is_none() || typed.is_ok());
    raw.is_some()
}

/// Both paths of a fleet-admin read over `body` with `status`; returns
/// whether the stream read it.
pub fn fleet(read: CategoryRead, status: u16, body: &[u8]) -> bool {
    let fa = FleetAdmin::default();
    let resp = response(status, "application/json", body);
    let typed: Outcome = match read {
        CategoryRead::Tree => fa
            .decode_tree(&resp)
            .map(|r| Envelope::ok(r.data, r.warnings).to_bytes()),
        CategoryRead::One => fa
            .decode_get(&resp)
            .map(|r| Envelope::ok(r.data, r.warnings).to_bytes()),
        CategoryRead::Leaves(p) => fa
            .decode_leaves(&resp, p)
            .map(|r| Envelope::paged(r.data.items, r.warnings, r.data.page).to_bytes()),
        CategoryRead::Vehicles(p) => fa
            .decode_vehicles(&resp, p)
            .map(|r| Envelope::paged(r.data.items, r.warnings, r.data.page).to_bytes()),
    }
    .map(|b| b.expect("typed body"));
    let streamed: Outcome = fa
        .decode_read_json(read, &resp)
        .map(|r| JsonEnvelope::ok(r).to_bytes().expect("streamed body"));
    let raw = fleet_admin::stream::read(read, body);
    if streamed != typed {
        panic!(
            "fleet-admin {read:?} paths differ (streamed: {})\n body: {}\n typed:    {}\n streamed: {}",
            raw.is_some(),
            String::from_utf8_lossy(body),
            show(&typed),
            show(&streamed)
        );
    }
    let verdict = fleet_admin::verdict::failure(&resp).is_some();
    assert!(raw.is_none() || verdict || typed.is_ok());
    raw.is_some() && !verdict
}

/// Every fleet-admin read, pages included (a page smaller than most
/// lists, so a list the vendor did not page is cut here).
pub fn fleet_reads() -> [CategoryRead; 6] {
    let small = PageRequest { number: 2, size: 1 };
    let big = PageRequest {
        number: 1,
        size: 50,
    };
    [
        CategoryRead::Tree,
        CategoryRead::One,
        CategoryRead::Leaves(small),
        CategoryRead::Leaves(big),
        CategoryRead::Vehicles(small),
        CategoryRead::Vehicles(big),
    ]
}

fn show(o: &Outcome) -> String {
    match o {
        Ok(b) => String::from_utf8_lossy(b).into_owned(),
        Err(e) => format!("{e:?}"),
    }
}
