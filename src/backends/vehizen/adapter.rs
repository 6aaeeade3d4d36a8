//! The Vehizen backend: its config section, the requests it sends and how it
//! reads the answers. Pure: sending is the outbound stack's job.

use super::codec::{self, Format};
use super::response::{ResponseData, ResponseDto};
use super::sim::Simulator;
use super::wire::CustomerGroupDto;
use crate::backends::{
    parse_section, Backend, Built, CustomerGroups, Encoded, Reply, Vendor, VendorFailure,
};
use crate::config::ConfigErrors;
use crate::outbound::{VendorRequest, VendorResponse};
use crate::unified::ErrorItem;
use crate::unified::Warning;
use crate::unified::{CustomerGroup, Field, Guid};
use http::{header, HeaderValue, Method, StatusCode};
use serde::Deserialize;
use std::sync::Arc;

pub const NAME: &str = "vehizen";

pub const VENDOR: Vendor = Vendor { name: NAME, build };

/// `[backends.vehizen]` keys besides the shared ones.
#[derive(Debug, Deserialize)]
struct Section {
    #[serde(default)]
    format: FormatKey,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
enum FormatKey {
    #[default]
    Json,
    Xml,
}

fn build(section: &serde_json::Value, errors: &mut ConfigErrors) -> Option<Built> {
    let (outbound, own) = parse_section::<Section>(NAME, section, errors)?;
    let format = match own.format {
        FormatKey::Json => Format::Json,
        FormatKey::Xml => Format::Xml,
    };
    Some(Built {
        outbound,
        backend: Arc::new(Vehizen { format }),
    })
}

pub struct Vehizen {
    format: Format,
}

impl Vehizen {
    pub fn new(format: Format) -> Self {
        Vehizen { format }
    }

    fn accept(&self) -> HeaderValue {
        HeaderValue::from_static(self.format.content_type())
    }

    /// The format of an answer, from its `Content-Type` (ASP.NET answers what
    /// was asked, but an error page is HTML whatever was asked).
    fn answer_format(&self, resp: &VendorResponse) -> Result<Format, VendorFailure> {
        let media = resp.media_type();
        if media.is_empty() {
            Ok(self.format)
        } else if media.ends_with("/json") || media.ends_with("+json") {
            Ok(Format::Json)
        } else if media.ends_with("/xml") || media.ends_with("+xml") {
            Ok(Format::Xml)
        } else {
            Err(VendorFailure::Unreadable(format!(
                "unexpected content type {media}"
            )))
        }
    }
}

impl Backend for Vehizen {
    fn name(&self) -> &'static str {
        NAME
    }

    fn simulator(&self) -> axum::Router {
        Simulator::seeded().router()
    }

    fn customer_groups(&self) -> Option<&dyn CustomerGroups> {
        Some(self)
    }
}

/// Statuses every Vehizen call reads the same way.
fn classify_status(status: StatusCode) -> Result<(), VendorFailure> {
    match status.as_u16() {
        200..=299 => Ok(()),
        404 => Err(VendorFailure::NotFound),
        401 | 403 => Err(VendorFailure::Credentials(status)),
        _ => Err(VendorFailure::Status(status)),
    }
}

fn unknown_warnings(unknown: &[String]) -> Vec<Warning> {
    unknown
        .iter()
        .map(|m| Warning::vendor_member_unknown(NAME, m))
        .collect()
}

impl CustomerGroups for Vehizen {
    fn get_request(&self, id: &Guid) -> VendorRequest {
        VendorRequest::new(
            "get_customer_group",
            Method::GET,
            format!("/api/v2/CustomerGroup/{id}"),
        )
        .header(header::ACCEPT, self.accept())
    }

    fn decode_get(&self, resp: &VendorResponse) -> Result<Reply<CustomerGroup>, VendorFailure> {
        classify_status(resp.status)?;
        let format = self.answer_format(resp)?;
        let decoded = codec::decode_group(format, &resp.body)
            .map_err(|e| VendorFailure::Unreadable(e.to_string()))?;
        Ok(Reply {
            data: decoded.value.into(),
            warnings: unknown_warnings(&decoded.unknown),
        })
    }

    fn put_request(
        &self,
        id: Option<&Guid>,
        group: &CustomerGroup,
    ) -> Result<Encoded<CustomerGroup>, VendorFailure> {
        let mut dto = CustomerGroupDto::from(group.clone());
        // PUT carries the path's id; a create sends `Id = null`.
        dto.id = match id {
            Some(id) => Field::Value(id.as_str().to_owned()),
            None => Field::Null,
        };
        let body = codec::encode_group(self.format, &dto);
        // What Vehizen will read of it: the gateway's own encoding, decoded.
        let stored = codec::decode_group(self.format, &body)
            .map_err(|e| VendorFailure::Unreadable(format!("own encoding unreadable: {e}")))?
            .value
            .into();
        let request = VendorRequest::new(
            "put_customer_group",
            Method::PUT,
            "/api/v2/CustomerGroup".into(),
        )
        .header(header::ACCEPT, self.accept())
        .body(self.format.content_type(), body)
        // Replacing group Id is idempotent; a create (Id null) is not.
        .idempotent(id.is_some());
        Ok(Encoded { request, stored })
    }

    fn decode_put(
        &self,
        resp: &VendorResponse,
        sent: CustomerGroup,
    ) -> Result<Reply<CustomerGroup>, VendorFailure> {
        // A 400 may still carry a ResponseDto with the vendor's errors.
        if resp.status != StatusCode::BAD_REQUEST {
            classify_status(resp.status)?;
        }
        let format = self.answer_format(resp)?;
        let decoded = match codec::decode_response(format, &resp.body) {
            Ok(d) => d,
            Err(_) if resp.status == StatusCode::BAD_REQUEST => {
                return Err(VendorFailure::Invalid(vec![ErrorItem::new(
                    "vendor_error",
                    "Vehizen refused the request (400)",
                )]))
            }
            Err(e) => return Err(VendorFailure::Unreadable(e.to_string())),
        };
        let ResponseDto {
            is_valid,
            errors,
            data,
        } = decoded.value;
        let refused = is_valid == Field::Value(false) || resp.status == StatusCode::BAD_REQUEST;
        if !refused && is_valid != Field::Value(true) {
            // Every write answer carries IsValid: without one Vehizen has
            // neither confirmed nor refused the write. Its contract is
            // broken, not the caller's data.
            return Err(VendorFailure::Unreadable(
                "the write answer has no IsValid true or false".into(),
            ));
        }
        let errors = errors.into_value().unwrap_or_default();
        if refused {
            let mut items: Vec<ErrorItem> = errors
                .into_iter()
                .map(|m| ErrorItem::new("vendor_error", m))
                .collect();
            if items.is_empty() {
                items.push(ErrorItem::new(
                    "vendor_error",
                    "Vehizen said the group is not valid",
                ));
            }
            return Err(VendorFailure::Invalid(items));
        }
        let mut warnings = unknown_warnings(&decoded.unknown);
        let data = match data {
            ResponseData::Group(g) => (*g).into(),
            ResponseData::Text(t) if Guid::is_valid(&t) => {
                let mut g = sent;
                g.id = Field::Value(Guid::from_vendor(t));
                g
            }
            ResponseData::Other(_) => {
                warnings.push(Warning {
                    backend: NAME.into(),
                    code: "vendor_data_unknown".into(),
                    message:
                        "Vehizen answered Data the gateway does not know; data is what was sent"
                            .into(),
                    field: None,
                    title: None,
                });
                sent
            }
            _ => sent,
        };
        Ok(Reply { data, warnings })
    }
}
