//! The BokaMera backend: its config section, the request it sends and how it
//! reads the answers. Pure: sending is the outbound stack's job.
//!
//! `x-api-key` and `Authorization: Bearer` carry secrets: both header values
//! are marked sensitive, and neither is ever formatted into a message.

use super::codec::{self, Format};
use super::fields::unified_field;
use super::mapping;
use super::sim::Simulator;
use super::wire::{CustomerQueryResponse, ResponseStatus, UpdateCustomer};
use crate::backends::kit::format::answer_format;
use crate::backends::kit::percent::encode_component;
use crate::backends::kit::secret_text::SecretText;
use crate::backends::{
    not_a_guid, parse_section, Backend, Built, Customers, Encoded, OptionKind, OptionSpec,
    QueryOptions, Reply, SectionInput, Vendor, VendorFailure,
};
use crate::config::ConfigErrors;
use crate::outbound::{VendorRequest, VendorResponse};
use crate::secret::{sensitive_header, Secret};
use crate::unified::{Customer, ErrorItem, Field, Guid, TextId, Warning};
use http::header::HeaderName;
use http::{header, HeaderValue, Method, StatusCode};
use serde::Deserialize;
use std::sync::Arc;

pub const NAME: &str = "bokamera";

pub const VENDOR: Vendor = Vendor {
    name: NAME,
    build,
    options: &[COMPANY_ID],
};

/// `?companyId=<GUID>`: `CompanyId`, over the section's `company_id`.
pub const COMPANY_ID: OptionSpec = OptionSpec::new("companyId", OptionKind::Guid);

/// The metrics and log name of the one call.
pub const OPERATION: &str = "update_customer";

/// BokaMera's API key header.
pub const API_KEY_HEADER: HeaderName = HeaderName::from_static("x-api-key");

/// `[backends.bokamera]` keys besides the shared ones.
#[derive(Debug, Deserialize)]
struct Section {
    /// `x-api-key`, sent on every call.
    api_key: SecretText,
    /// `Authorization: Bearer`, sent when set.
    #[serde(default)]
    bearer_token: Option<SecretText>,
    /// The default `CompanyId`; a request's `?companyId=` wins.
    #[serde(default)]
    company_id: Option<String>,
    #[serde(default)]
    format: FormatKey,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
enum FormatKey {
    #[default]
    Json,
    Jsv,
}

fn build(section: &SectionInput<'_>, errors: &mut ConfigErrors) -> Option<Built> {
    let (outbound, own) = parse_section::<Section>(NAME, section, errors)?;
    let mut ok = true;
    if own.api_key.0.is_empty() {
        errors.push(format!("backends.{NAME}.api_key: must not be empty"));
        ok = false;
    } else if sensitive_header(own.api_key.0.expose()).is_none() {
        errors.push(format!(
            "backends.{NAME}.api_key: must be printable ASCII (a header value)"
        ));
        ok = false;
    }
    if own.bearer_token.is_some() && outbound.oauth.is_some() {
        errors.push(format!(
            "backends.{NAME}.bearer_token: set bearer_token or [backends.{NAME}.oauth], not both (oauth fetches the bearer token)"
        ));
        ok = false;
    }
    if let Some(t) = &own.bearer_token {
        if t.0.is_empty() || sensitive_header(&format!("Bearer {}", t.0.expose())).is_none() {
            errors.push(format!(
                "backends.{NAME}.bearer_token: must be non-empty printable ASCII"
            ));
            ok = false;
        }
    }
    let company_id = match own.company_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(c) => match Guid::parse(c) {
            Some(g) => Some(g),
            None => {
                errors.push(format!("backends.{NAME}.company_id: must be a GUID"));
                ok = false;
                None
            }
        },
    };
    if !ok {
        return None;
    }
    let format = match own.format {
        FormatKey::Json => Format::Json,
        FormatKey::Jsv => Format::Jsv,
    };
    let backend = BokaMera::new(
        format,
        &own.api_key.0,
        own.bearer_token.map(|t| t.0).as_ref(),
        company_id,
    )?;
    Some(Built {
        outbound,
        backend: Arc::new(backend),
    })
}

pub struct BokaMera {
    format: Format,
    /// `x-api-key`, sensitive.
    api_key: HeaderValue,
    /// `Authorization: Bearer ...`, sensitive.
    bearer: Option<HeaderValue>,
    /// The default `CompanyId`.
    company_id: Option<Guid>,
}

impl BokaMera {
    /// `None` when a secret cannot be a header value.
    pub fn new(
        format: Format,
        api_key: &Secret,
        bearer_token: Option<&Secret>,
        company_id: Option<Guid>,
    ) -> Option<Self> {
        let bearer = match bearer_token {
            Some(t) => Some(sensitive_header(&format!("Bearer {}", t.expose()))?),
            None => None,
        };
        Some(BokaMera {
            format,
            api_key: sensitive_header(api_key.expose())?,
            bearer,
            company_id,
        })
    }

    /// The format of an answer (ServiceStack answers what was asked; an
    /// error page from a proxy is HTML whatever was).
    fn answer_format(&self, resp: &VendorResponse) -> Result<Format, VendorFailure> {
        answer_format(resp, self.format)
    }

    /// The `ResponseStatus` of an error answer, if the body has one.
    fn response_status(&self, resp: &VendorResponse) -> Option<ResponseStatus> {
        let format = self.answer_format(resp).ok()?;
        codec::decode::<CustomerQueryResponse>(format, &resp.body)
            .ok()?
            .value
            .response_status
            .into_value()
    }
}

impl Backend for BokaMera {
    fn name(&self) -> &'static str {
        NAME
    }

    fn simulator(&self) -> axum::Router {
        Simulator::seeded().router()
    }

    fn customers(&self) -> Option<&dyn Customers> {
        Some(self)
    }
}

/// `/customers/{id}` with `?CompanyId=` when there is one.
pub fn update_path(id: &str, company_id: Option<&str>) -> String {
    match company_id {
        Some(c) => format!(
            "/customers/{}?CompanyId={}",
            encode_component(id),
            encode_component(c)
        ),
        None => format!("/customers/{}", encode_component(id)),
    }
}

/// The unified errors of a `ResponseStatus`: one per `Errors[]` entry,
/// `FieldName` in unified names where there is one (else as the vendor
/// wrote it); the top-level code and message when there are no entries.
pub fn error_items(rs: &ResponseStatus) -> Vec<ErrorItem> {
    let entries = rs.errors.value().map(Vec::as_slice).unwrap_or_default();
    let mut items: Vec<ErrorItem> = entries
        .iter()
        .map(|e| {
            let code = e
                .error_code
                .value()
                .filter(|c| !c.is_empty())
                .cloned()
                .unwrap_or_else(|| "vendor_error".into());
            let message = e.message.value().cloned().unwrap_or_default();
            let item = ErrorItem::new(code, message);
            match e.field_name.value().filter(|f| !f.is_empty()) {
                Some(f) => item.field(unified_field(f).unwrap_or_else(|| f.clone())),
                None => item,
            }
        })
        .collect();
    if items.is_empty() {
        let code = rs
            .error_code
            .value()
            .filter(|c| !c.is_empty())
            .cloned()
            .unwrap_or_else(|| "vendor_error".into());
        let message = rs
            .message
            .value()
            .filter(|m| !m.is_empty())
            .cloned()
            .unwrap_or_else(|| "BokaMera refused the request without saying why".into());
        items.push(ErrorItem::new(code, message));
    }
    items
}

impl Customers for BokaMera {
    fn put_request(
        &self,
        id: &TextId,
        customer: &Customer,
        options: &QueryOptions,
    ) -> Result<Encoded<Customer>, VendorFailure> {
        // BokaMera types the customer `Id` as a Guid: any other id cannot
        // be sent (its text, hyphens and case, goes as given).
        let Some(guid) = Guid::parse(id.as_str()) else {
            return Err(VendorFailure::Unsendable(vec![not_a_guid(NAME, "id")]));
        };
        let company_id = options
            .guid(&COMPANY_ID)
            .or(self.company_id.as_ref())
            .map(|g| g.as_str().to_owned());
        let wire =
            mapping::to_request(customer, company_id.clone()).map_err(VendorFailure::Invalid)?;
        let body = codec::encode(self.format, &wire)
            .map_err(|e| VendorFailure::Unreadable(format!("own encoding failed: {e}")))?;
        // What BokaMera will read of it: the gateway's own encoding, decoded
        // (JSV, for one, cannot carry a null).
        let read = codec::decode::<UpdateCustomer>(self.format, &body)
            .map_err(|e| VendorFailure::Unreadable(format!("own encoding unreadable: {e}")))?;
        let mut stored = mapping::from_request(read.value);
        // The path's id is the customer's.
        stored.id = Field::Value(id.clone());
        let accept = HeaderValue::from_static(self.format.content_type());
        let mut request = VendorRequest::new(
            OPERATION,
            Method::PUT,
            update_path(guid.as_str(), company_id.as_deref()),
        )
        .header(header::ACCEPT, accept)
        .header(API_KEY_HEADER, self.api_key.clone())
        .body(self.format.content_type(), body);
        if let Some(b) = &self.bearer {
            request = request.header(header::AUTHORIZATION, b.clone());
        }
        Ok(Encoded { request, stored })
    }

    fn decode_put(
        &self,
        resp: &VendorResponse,
        sent: Customer,
    ) -> Result<Reply<Customer>, VendorFailure> {
        let status = resp.status;
        match status.as_u16() {
            400 | 422 => {
                let items = self
                    .response_status(resp)
                    .map(|rs| error_items(&rs))
                    .unwrap_or_else(|| {
                        vec![ErrorItem::new(
                            "vendor_error",
                            format!(
                                "BokaMera refused the request ({}) without a ResponseStatus",
                                status.as_u16()
                            ),
                        )]
                    });
                return Err(VendorFailure::Invalid(items));
            }
            409 => {
                let items = self
                    .response_status(resp)
                    .map(|rs| error_items(&rs))
                    .unwrap_or_default();
                return Err(VendorFailure::Conflict(items));
            }
            _ => VendorFailure::of_status(status)?,
        }
        if status == StatusCode::NO_CONTENT || resp.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Reply::new(sent));
        }
        let format = self.answer_format(resp)?;
        let decoded = codec::decode::<CustomerQueryResponse>(format, &resp.body)
            .map_err(VendorFailure::Unreadable)?;
        let mut warnings: Vec<Warning> = decoded
            .unknown
            .iter()
            .map(|m| Warning::vendor_member_unknown(NAME, m))
            .collect();
        let mut answer = decoded.value;
        if let Field::Value(rs) = std::mem::take(&mut answer.response_status) {
            // A success status with an error in it: the write was refused.
            if rs.is_error() {
                return Err(VendorFailure::Invalid(error_items(&rs)));
            }
            if let Some(m) = rs.message.value().filter(|m| !m.is_empty()) {
                warnings.push(Warning::vendor(NAME, "vendor_message", m.clone(), None));
            }
        }
        let mut data = mapping::from_response(answer);
        if data.id.is_absent() {
            // The sample answer has no `Id`: the customer is the path's.
            data.id = sent.id;
        }
        Ok(Reply { data, warnings })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A section from the file only.
    fn build(section: &serde_json::Value, errors: &mut ConfigErrors) -> Option<Built> {
        super::build(&SectionInput::from(section), errors)
    }
    use bytes::Bytes;
    use http::HeaderMap;

    const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
    const COMPANY: &str = "11111111-2222-3333-4444-555555555555";

    fn id(text: &str) -> TextId {
        TextId::parse(text).unwrap()
    }

    fn boka(format: Format) -> BokaMera {
        BokaMera::new(
            format,
            &Secret::new("k-123"),
            Some(&Secret::new("tok")),
            Guid::parse(COMPANY),
        )
        .unwrap()
    }

    fn resp(status: u16, ctype: &str, body: &str) -> VendorResponse {
        let mut headers = HeaderMap::new();
        if !ctype.is_empty() {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_str(ctype).unwrap());
        }
        VendorResponse {
            status: StatusCode::from_u16(status).unwrap(),
            headers,
            body: Bytes::from(body.to_owned()),
        }
    }

    #[test]
    fn request_path_headers_and_company_id() {
        let c: Customer = serde_json::from_value(serde_json::json!({
            "firstName": "Å", "emails": [{"address": "a@x"}]
        }))
        .unwrap();
        let e = boka(Format::Jsv)
            .put_request(&id(ID), &c, &QueryOptions::default())
            .unwrap();
        assert_eq!(e.request.method, Method::PUT);
        assert_eq!(
            e.request.path,
            format!("/customers/{ID}?CompanyId={COMPANY}")
        );
        assert_eq!(e.request.headers[header::ACCEPT], "text/jsv");
        assert_eq!(e.request.headers[header::CONTENT_TYPE], "text/jsv");
        assert!(e.request.headers[API_KEY_HEADER].is_sensitive());
        assert!(e.request.headers[header::AUTHORIZATION].is_sensitive());
        assert_eq!(e.request.headers[header::AUTHORIZATION], "Bearer tok");
        let debug = format!("{:?}", e.request);
        assert!(
            !debug.contains("k-123") && !debug.contains("tok\""),
            "{debug}"
        );
        assert_eq!(
            std::str::from_utf8(&e.request.body).unwrap(),
            format!("{{CompanyId:{COMPANY},Firstname:Å,Email:a@x}}")
        );
        assert_eq!(e.stored.id.value().map(TextId::as_str), Some(ID));

        let other = "99999999-2222-3333-4444-555555555555";
        let opts = QueryOptions::default().with(
            &COMPANY_ID,
            crate::backends::OptionValue::Guid(Guid::parse(other).unwrap()),
        );
        let e = boka(Format::Json).put_request(&id(ID), &c, &opts).unwrap();
        assert_eq!(e.request.path, format!("/customers/{ID}?CompanyId={other}"));
        assert_eq!(e.request.headers[header::CONTENT_TYPE], "application/json");

        let bare = BokaMera::new(Format::Json, &Secret::new("k"), None, None).unwrap();
        let e = bare
            .put_request(&id(ID), &c, &QueryOptions::default())
            .unwrap();
        assert_eq!(e.request.path, format!("/customers/{ID}"));
        assert!(!e.request.headers.contains_key(header::AUTHORIZATION));
        let body: serde_json::Value = serde_json::from_slice(&e.request.body).unwrap();
        assert_eq!(body, serde_json::json!({"Firstname": "Å", "Email": "a@x"}));
    }

    #[test]
    fn the_id_must_be_a_guid_and_goes_as_given() {
        let c = Customer::default();
        let o = QueryOptions::default();
        for format in [Format::Json, Format::Jsv] {
            for bad in [
                "CUST-1",
                "0f8fad5b-d9cb-469f-a165-70867728950",
                "{0f8fad5b-d9cb-469f-a165-70867728950e}",
            ] {
                match boka(format).put_request(&id(bad), &c, &o) {
                    Err(VendorFailure::Unsendable(items)) => {
                        assert_eq!(items.len(), 1);
                        assert_eq!(items[0].field.as_deref(), Some("id"));
                        assert_eq!(items[0].code, "not_a_guid");
                    }
                    other => panic!("{bad}: {:?}", other.err()),
                }
            }
            for good in [
                "0F8FAD5BD9CB469FA16570867728950E",
                "0F8FAD5B-D9CB-469F-A165-70867728950E",
            ] {
                let e = boka(format).put_request(&id(good), &c, &o).unwrap();
                assert_eq!(
                    e.request.path,
                    format!("/customers/{good}?CompanyId={COMPANY}")
                );
                assert_eq!(e.stored.id.value().map(TextId::as_str), Some(good));
            }
        }
    }

    #[test]
    fn statuses_are_classified() {
        let b = boka(Format::Jsv);
        let sent = Customer {
            id: Field::Value(id(ID)),
            ..Customer::default()
        };
        let ok = b
            .decode_put(
                &resp(200, "text/jsv", "{Firstname:A,ResponseStatus:{}}"),
                sent.clone(),
            )
            .unwrap();
        assert_eq!(ok.data.first_name, Field::Value("A".into()));
        assert_eq!(ok.data.id, sent.id);
        assert!(ok.warnings.is_empty());
        let ok = b
            .decode_put(
                &resp(
                    200,
                    "application/json; charset=utf-8",
                    r#"{"Id":"x","Colour":1}"#,
                ),
                sent.clone(),
            )
            .unwrap();
        assert_eq!(ok.data.id.value().map(TextId::as_str), Some("x"));
        assert_eq!(ok.warnings[0].code, "vendor_member_unknown");

        let invalid = "{ResponseStatus:{ErrorCode:Validation,Message:bad,Errors:[{ErrorCode:Email,FieldName:Email,Message:\"'Email' is not valid.\"},{ErrorCode:Length,FieldName:InvoiceAddress.InvoiceCity,Message:long},{ErrorCode:X,FieldName:Colour,Message:m}]}}";
        match b.decode_put(&resp(400, "text/jsv", invalid), sent.clone()) {
            Err(VendorFailure::Invalid(items)) => {
                let fields: Vec<_> = items.iter().map(|i| i.field.as_deref()).collect();
                assert_eq!(
                    fields,
                    [Some("emails"), Some("invoiceAddress.city"), Some("Colour")]
                );
                assert_eq!(items[0].code, "Email");
                assert_eq!(items[0].message, "'Email' is not valid.");
            }
            other => panic!("{:?}", other.err()),
        }
        match b.decode_put(
            &resp(
                400,
                "application/json",
                r#"{"responseStatus":{"errorCode":"NotAllowed","message":"no"}}"#,
            ),
            sent.clone(),
        ) {
            Err(VendorFailure::Invalid(items)) => {
                assert_eq!(items, vec![ErrorItem::new("NotAllowed", "no")])
            }
            other => panic!("{:?}", other.err()),
        }
        assert!(matches!(
            b.decode_put(&resp(400, "text/html", "<html>"), sent.clone()),
            Err(VendorFailure::Invalid(_))
        ));
        assert!(matches!(
            b.decode_put(
                &resp(200, "text/jsv", "{ResponseStatus:{ErrorCode:Nope}}"),
                sent.clone()
            ),
            Err(VendorFailure::Invalid(_))
        ));
        for s in [401, 403] {
            assert!(matches!(
                b.decode_put(&resp(s, "text/jsv", "{}"), sent.clone()),
                Err(VendorFailure::Credentials(_))
            ));
        }
        assert!(matches!(
            b.decode_put(&resp(404, "", ""), sent.clone()),
            Err(VendorFailure::NotFound)
        ));
        assert!(matches!(
            b.decode_put(&resp(503, "text/jsv", "{}"), sent.clone()),
            Err(VendorFailure::Status(_))
        ));
        assert!(matches!(
            b.decode_put(&resp(200, "text/html", "<html>oops</html>"), sent.clone()),
            Err(VendorFailure::Unreadable(_))
        ));
        assert!(matches!(
            b.decode_put(&resp(200, "application/json", "<html>"), sent.clone()),
            Err(VendorFailure::Unreadable(_))
        ));
        assert_eq!(
            b.decode_put(&resp(204, "", ""), sent.clone()).unwrap().data,
            sent
        );
    }

    #[test]
    fn config_section() {
        let mut errors = ConfigErrors::default();
        let built = build(
            &serde_json::json!({"base_url": "sandbox", "api_key": 12345, "format": "jsv",
                "company_id": COMPANY, "bearer_token": "t"}),
            &mut errors,
        );
        assert!(built.is_some() && errors.is_empty(), "{errors}");
        let mut errors = ConfigErrors::default();
        let built = build(
            &serde_json::json!({"base_url": "sandbox", "api_key": "", "company_id": "nope",
                "format": "xml", "apikey": 1}),
            &mut errors,
        );
        assert!(built.is_none());
        let e = errors.to_string();
        assert!(e.contains("apikey: unknown key"), "{e}");
        assert!(e.contains("format"), "{e}");
        let mut errors = ConfigErrors::default();
        build(
            &serde_json::json!({"base_url": "sandbox", "api_key": "", "company_id": "nope"}),
            &mut errors,
        );
        let e = errors.to_string();
        assert!(e.contains("api_key: must not be empty"), "{e}");
        assert!(e.contains("company_id: must be a GUID"), "{e}");
        let mut errors = ConfigErrors::default();
        build(&serde_json::json!({"base_url": "sandbox"}), &mut errors);
        assert!(errors.to_string().contains("api_key"), "{errors}");
        let mut errors = ConfigErrors::default();
        build(
            &serde_json::json!({"base_url": "sandbox", "api_key": "bad\nkey"}),
            &mut errors,
        );
        let e = errors.to_string();
        assert!(
            e.contains("api_key: must be printable") && !e.contains("bad"),
            "{e}"
        );
        let mut errors = ConfigErrors::default();
        let built = build(
            &serde_json::json!({"base_url": "sandbox", "api_key": "k", "bearer_token": "t",
                "oauth": {"token_url": "https://id.example/token", "grant": "client_credentials",
                    "client_id": "c", "client_secret": "s"}}),
            &mut errors,
        );
        assert!(built.is_none());
        assert!(errors.to_string().contains("not both"), "{errors}");
    }
}
