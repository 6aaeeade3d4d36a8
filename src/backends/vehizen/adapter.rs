//! The Vehizen backend: its config section, the requests it sends and how it
//! reads the answers. Pure: sending is the outbound stack's job.

use super::codec::{self, Format};
use super::response::{ResponseData, ResponseDto};
use super::sim::Simulator;
use super::wire::CustomerGroupDto;
use crate::backends::kit::format::answer_format;
use crate::backends::stream::{self, DataJson};
use crate::backends::{
    not_a_guid, parse_section, Backend, Built, CustomerGroups, Encoded, Reply, SectionInput,
    Vendor, VendorFailure,
};
use crate::config::ConfigErrors;
use crate::outbound::{VendorRequest, VendorResponse};
use crate::unified::{CustomerGroup, ErrorItem, Field, Guid, VehicleId, Warning};
use http::{header, HeaderValue, Method, StatusCode};
use serde::Deserialize;
use std::sync::Arc;

pub const NAME: &str = "vehizen";

pub const VENDOR: Vendor = Vendor {
    name: NAME,
    build,
    options: &[],
};

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

fn build(section: &SectionInput<'_>, errors: &mut ConfigErrors) -> Option<Built> {
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

    /// The format of an answer (ASP.NET answers what was asked, but an
    /// error page is HTML whatever was asked).
    fn answer_format(&self, resp: &VendorResponse) -> Result<Format, VendorFailure> {
        answer_format(resp, self.format)
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

/// Vehizen types `VehicleId` as a Guid: a text vehicle id that is not one
/// cannot be sent (an integer id has no home there at all: it is left out
/// and reported as not stored).
fn check_vehicle_ids(group: &CustomerGroup) -> Result<(), VendorFailure> {
    let errors: Vec<ErrorItem> = group
        .vehicles
        .value()
        .into_iter()
        .flatten()
        .enumerate()
        .filter(|(_, v)| {
            matches!(v.id.value(), Some(VehicleId::Text(t)) if !Guid::is_valid(t.as_str()))
        })
        .map(|(i, _)| not_a_guid(NAME, format!("vehicles[{i}].id")))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(VendorFailure::Unsendable(errors))
    }
}

/// XML 1.0 cannot carry every character JSON can (NUL, most C0 controls,
/// U+FFFE, U+FFFF): such text is the caller's to fix (400, naming each
/// field), not an encoding the gateway sends or blames on the vendor.
fn check_xml_chars(group: &CustomerGroup) -> Result<(), VendorFailure> {
    let value = serde_json::to_value(group).unwrap_or_default();
    let errors: Vec<ErrorItem> = crate::xml::chars::unwritable_strings(&value)
        .into_iter()
        .map(|field| {
            ErrorItem::new(
                "not_xml_char",
                format!("{field} holds a character that XML 1.0 cannot carry (a control character, U+FFFE or U+FFFF), and {NAME} is set to XML"),
            )
            .field(field)
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(VendorFailure::Unsendable(errors))
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
        VendorFailure::of_status(resp.status)?;
        let format = self.answer_format(resp)?;
        let decoded = codec::decode_group(format, &resp.body)
            .map_err(|e| VendorFailure::Unreadable(e.to_string()))?;
        Ok(Reply {
            data: decoded.value.into(),
            warnings: unknown_warnings(&decoded.unknown),
        })
    }

    fn decode_get_json(&self, resp: &VendorResponse) -> Result<Reply<DataJson>, VendorFailure> {
        VendorFailure::of_status(resp.status)?;
        let streamed = match self.answer_format(resp)? {
            Format::Json => super::stream_json::group(&resp.body),
            Format::Xml => super::stream_xml::group(&resp.body),
        };
        match streamed {
            Some((json, unknown)) => Ok(Reply {
                data: DataJson { json, page: None },
                warnings: unknown_warnings(&unknown),
            }),
            // Anything the stream is not sure of: the typed read decides.
            None => stream::typed(self.decode_get(resp)?),
        }
    }

    fn put_request(
        &self,
        id: Option<&Guid>,
        group: &CustomerGroup,
    ) -> Result<Encoded<CustomerGroup>, VendorFailure> {
        check_vehicle_ids(group)?;
        if self.format == Format::Xml {
            check_xml_chars(group)?;
        }
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
            VendorFailure::of_status(resp.status)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn group(ids: serde_json::Value) -> CustomerGroup {
        let vehicles: Vec<serde_json::Value> = ids
            .as_array()
            .unwrap()
            .iter()
            .map(|id| serde_json::json!({"id": id, "name": "v"}))
            .collect();
        serde_json::from_value(serde_json::json!({"name": "g", "vehicles": vehicles})).unwrap()
    }

    #[test]
    fn a_text_vehicle_id_that_is_no_guid_is_unsendable() {
        let g = group(serde_json::json!([
            "e55ab6e7-1056-4ab3-bd03-247f4b0efdd1",
            "VEH-7",
            21,
            "not a guid"
        ]));
        for format in [Format::Json, Format::Xml] {
            match Vehizen::new(format).put_request(None, &g) {
                Err(VendorFailure::Unsendable(items)) => {
                    let fields: Vec<_> = items.iter().filter_map(|i| i.field.as_deref()).collect();
                    assert_eq!(fields, ["vehicles[1].id", "vehicles[3].id"]);
                }
                other => panic!("{:?}", other.err()),
            }
        }
    }

    #[test]
    fn guid_text_goes_out_as_given() {
        let upper = "E55AB6E7-1056-4AB3-BD03-247F4B0EFDD1";
        let bare = "e55ab6e710564ab3bd03247f4b0efdd1";
        let g = group(serde_json::json!([upper, bare, 21]));
        for format in [Format::Json, Format::Xml] {
            let e = Vehizen::new(format).put_request(None, &g).unwrap();
            let body = std::str::from_utf8(&e.request.body).unwrap();
            assert!(body.contains(upper) && body.contains(bare), "{body}");
            let stored: Vec<_> = e
                .stored
                .vehicles
                .value()
                .unwrap()
                .iter()
                .map(|v| v.id.value().map(ToString::to_string))
                .collect();
            // The integer id has no home at Vehizen: not stored.
            assert_eq!(stored, [Some(upper.into()), Some(bare.into()), None]);
        }
    }
}
