//! The department backend: its config section, the request it sends and how
//! it reads the answers. Pure: sending is the outbound stack's job.
//!
//! The subscriber token is a path segment, so [`VendorRequest::path`] holds
//! a secret: it is built here and only the outbound client reads it. Logs
//! and metrics name the operation (`update_customer`), never the path.

use super::auth::basic_auth;
use super::mapping::{self, RequestOptions};
use super::sim::Simulator;
use super::wire::{code_text, ResponseEnvelope, UpdateCustomerRequest};
use crate::backends::kit::percent::encode_component;
use crate::backends::kit::secret_text::SecretText;
use crate::backends::{
    decode_error, parse_section, Backend, Built, Customers, Encoded, OptionKind, OptionSpec,
    QueryOptions, Reply, SectionInput, Vendor, VendorFailure,
};
use crate::config::ConfigErrors;
use crate::outbound::{VendorRequest, VendorResponse};
use crate::secret::Secret;
use crate::unified::{Customer, ErrorItem, Field, TextId, Warning};
use http::{header, HeaderValue, Method, StatusCode};
use serde::{Deserialize, Deserializer};
use std::sync::Arc;

pub const NAME: &str = "department";

pub const VENDOR: Vendor = Vendor {
    name: NAME,
    build,
    options: OPTIONS,
};

/// `?requesterUserUUID=`: the body's `requesterUserUUID`.
pub const REQUESTER_USER_UUID: OptionSpec = OptionSpec::new("requesterUserUUID", OptionKind::Text);
/// `?dealerUUIDList=a,b&dealerUUIDList=c`: the body's `dealerUUIDList`.
pub const DEALER_UUID_LIST: OptionSpec = OptionSpec::new("dealerUUIDList", OptionKind::List);
/// `?validateVin=true`: the body's `validateVin`.
pub const VALIDATE_VIN: OptionSpec = OptionSpec::new("validateVin", OptionKind::Bool);
/// `?searchForDuplicate=true`: the body's `searchForDuplicate`.
pub const SEARCH_FOR_DUPLICATE: OptionSpec =
    OptionSpec::new("searchForDuplicate", OptionKind::Bool);

/// The request-scoped members of `updateCustomer`, each defaulting to the
/// section's value of the same name.
pub const OPTIONS: &[OptionSpec] = &[
    REQUESTER_USER_UUID,
    DEALER_UUID_LIST,
    VALIDATE_VIN,
    SEARCH_FOR_DUPLICATE,
];

/// The metrics and log name of the one call.
pub const OPERATION: &str = "update_customer";

/// `[backends.department]` keys besides the shared ones.
#[derive(Debug, Deserialize)]
struct Section {
    /// `serviceSubscriberDepartmentToken`, put in the path.
    token: SecretText,
    /// HTTP Basic, sent when `username` is set.
    #[serde(default)]
    username: Option<SecretText>,
    #[serde(default)]
    password: Option<SecretText>,
    /// Defaults of the request-scoped body members.
    #[serde(default)]
    requester_user_uuid: Option<String>,
    #[serde(default)]
    dealer_uuids: Option<StringList>,
    #[serde(default)]
    validate_vin: Option<bool>,
    #[serde(default)]
    search_for_duplicate: Option<bool>,
    /// The update's HTTP method: the API reference says `POST` (the
    /// default), the vendor's how-to guide `PUT`.
    #[serde(default)]
    method: UpdateMethod,
}

/// `backends.department.method`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum UpdateMethod {
    #[default]
    #[serde(rename = "POST")]
    Post,
    #[serde(rename = "PUT")]
    Put,
}

impl UpdateMethod {
    fn method(self) -> Method {
        match self {
            UpdateMethod::Post => Method::POST,
            UpdateMethod::Put => Method::PUT,
        }
    }
}

/// A list of strings, or one comma-separated string (an environment
/// override: `CROSSDOCK__BACKENDS__DEPARTMENT__DEALER_UUIDS=a,b`).
#[derive(Debug)]
struct StringList(Vec<String>);

impl<'de> Deserialize<'de> for StringList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            List(Vec<String>),
            Text(String),
        }
        Ok(StringList(match Either::deserialize(d)? {
            Either::List(l) => l,
            Either::Text(t) => split_list(&t),
        }))
    }
}

/// `a, b,,c` -> `["a", "b", "c"]`.
pub fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn build(section: &SectionInput<'_>, errors: &mut ConfigErrors) -> Option<Built> {
    let (outbound, own) = parse_section::<Section>(NAME, section, errors)?;
    let mut ok = true;
    if own.token.0.is_empty() {
        errors.push(format!("backends.{NAME}.token: must not be empty"));
        ok = false;
    }
    let credentials = match (own.username, own.password) {
        (None, None) => None,
        (None, Some(_)) => {
            errors.push(format!(
                "backends.{NAME}.password: set username too (HTTP Basic needs both)"
            ));
            ok = false;
            None
        }
        (Some(u), p) => {
            if u.0.expose().contains(':') {
                errors.push(format!(
                    "backends.{NAME}.username: must not contain ':' (HTTP Basic)"
                ));
                ok = false;
            }
            Some((u.0, p.map_or_else(|| Secret::new(""), |p| p.0)))
        }
    };
    if !ok {
        return None;
    }
    let defaults = RequestOptions {
        requester_user_uuid: own.requester_user_uuid,
        dealer_uuid_list: own.dealer_uuids.map(|l| l.0),
        validate_vin: own.validate_vin,
        search_for_duplicate: own.search_for_duplicate,
    };
    Some(Built {
        outbound,
        backend: Arc::new(Department::new(own.token.0, credentials, defaults).method(own.method)),
    })
}

pub struct Department {
    token: Secret,
    /// `Authorization: Basic ...`, marked sensitive.
    basic: Option<HeaderValue>,
    defaults: RequestOptions,
    method: UpdateMethod,
}

impl Department {
    /// `credentials` are the Basic username and password.
    pub fn new(
        token: Secret,
        credentials: Option<(Secret, Secret)>,
        defaults: RequestOptions,
    ) -> Self {
        Department {
            token,
            basic: credentials.map(|(u, p)| basic_auth(&u, &p)),
            defaults,
            method: UpdateMethod::Post,
        }
    }

    /// Sends the update with `method` instead of `POST`.
    pub fn method(mut self, method: UpdateMethod) -> Self {
        self.method = method;
        self
    }

    /// The request's options ([`OPTIONS`]) over the config defaults.
    fn resolve(&self, o: &QueryOptions) -> RequestOptions {
        let d = &self.defaults;
        RequestOptions {
            requester_user_uuid: o
                .text(&REQUESTER_USER_UUID)
                .map(str::to_owned)
                .or_else(|| d.requester_user_uuid.clone()),
            dealer_uuid_list: o
                .list(&DEALER_UUID_LIST)
                .map(<[String]>::to_vec)
                .or_else(|| d.dealer_uuid_list.clone()),
            validate_vin: o.bool(&VALIDATE_VIN).or(d.validate_vin),
            search_for_duplicate: o.bool(&SEARCH_FOR_DUPLICATE).or(d.search_for_duplicate),
        }
    }
}

impl Backend for Department {
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

/// The vendor path: `/customer/v2/department/{token}/customer/{id}`.
/// Holds the token: never log it.
pub fn update_path(token: &Secret, id: &str) -> String {
    format!(
        "/customer/v2/department/{}/customer/{}",
        encode_component(token.expose()),
        encode_component(id)
    )
}

/// The envelope of a body; an empty body is an empty envelope.
fn envelope(body: &[u8]) -> Result<ResponseEnvelope, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(ResponseEnvelope::default());
    }
    let de = &mut serde_json::Deserializer::from_slice(body);
    let env = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
        format!(
            "the body is not the documented {{errors, warnings}} JSON ({})",
            decode_error::json(&e)
        )
    })?;
    de.end().map_err(|e| {
        format!(
            "the body is not the documented {{errors, warnings}} JSON ({})",
            decode_error::json_at(None, &e)
        )
    })?;
    Ok(env)
}

/// The department's warnings, passed on. One without a code or message
/// still says where it came from.
fn vendor_warnings(env: ResponseEnvelope) -> Vec<Warning> {
    env.warnings
        .into_value()
        .unwrap_or_default()
        .into_iter()
        .map(|w| {
            Warning::vendor(
                NAME,
                non_empty(code_text(&w.warning_code), "vendor_warning"),
                non_empty(
                    w.warning_message.into_value().unwrap_or_default(),
                    "the department reported a warning without a message",
                ),
                w.warning_title.into_value(),
            )
        })
        .collect()
}

/// The department's errors, one item each; an entry without a code or
/// message (members the gateway does not know) gets the gateway's own.
fn vendor_errors(env: &ResponseEnvelope) -> Vec<ErrorItem> {
    env.errors
        .value()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|e| {
            ErrorItem::new(
                non_empty(code_text(&e.error_code), "vendor_error"),
                non_empty(
                    e.error_message.value().cloned().unwrap_or_default(),
                    "the department reported an error without a message",
                ),
            )
            .title(e.error_title.value().cloned())
        })
        .collect()
}

fn non_empty(text: String, otherwise: &str) -> String {
    if text.trim().is_empty() {
        otherwise.to_owned()
    } else {
        text
    }
}

impl Customers for Department {
    fn put_request(
        &self,
        id: &TextId,
        customer: &Customer,
        options: &QueryOptions,
    ) -> Result<Encoded<Customer>, VendorFailure> {
        let mut c = customer.clone();
        // The path's id is the customer's (`customerUuid`); both are typed
        // string by the vendor, so any id goes as it is.
        c.id = Field::Value(id.clone());
        let body = mapping::to_request(c, self.resolve(options));
        let text = serde_json::to_string(&body)
            .map_err(|e| VendorFailure::Unreadable(format!("own encoding failed: {e}")))?;
        // What the department will read of it: the gateway's own encoding,
        // decoded (from text: no UTF-8 check per string).
        let stored = serde_json::from_str::<UpdateCustomerRequest>(&text)
            .map(mapping::from_request)
            .map_err(|e| VendorFailure::Unreadable(format!("own encoding unreadable: {e}")))?;
        let mut request = VendorRequest::new(
            OPERATION,
            self.method.method(),
            update_path(&self.token, id.as_str()),
        )
        .header(header::ACCEPT, HeaderValue::from_static("application/json"))
        .body("application/json", text.into_bytes())
        // An update of customer {id} to a given state: idempotent by
        // design, whether the method is POST or PUT.
        .idempotent(true);
        if let Some(b) = &self.basic {
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
        if status == StatusCode::BAD_REQUEST {
            let mut items = envelope(&resp.body)
                .map(|env| vendor_errors(&env))
                .unwrap_or_default();
            if items.is_empty() {
                items.push(ErrorItem::new(
                    "vendor_error",
                    "the department refused the request (400) without saying why",
                ));
            }
            return Err(VendorFailure::Invalid(items));
        }
        VendorFailure::of_status(status)?;
        let env = if status == StatusCode::NO_CONTENT {
            ResponseEnvelope::default()
        } else {
            envelope(&resp.body).map_err(VendorFailure::Unreadable)?
        };
        // A vendor that reports errors has not confirmed the write,
        // whatever the status: a refusal, never a stored write.
        let errors = vendor_errors(&env);
        if !errors.is_empty() {
            return Err(VendorFailure::Invalid(errors));
        }
        Ok(Reply {
            data: sent,
            warnings: vendor_warnings(env),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backends::OptionValue;

    /// A section from the file only.
    fn build(section: &serde_json::Value, errors: &mut ConfigErrors) -> Option<Built> {
        super::build(&SectionInput::from(section), errors)
    }
    use bytes::Bytes;
    use http::HeaderMap;

    fn dept() -> Department {
        Department::new(
            Secret::new("t/k n"),
            Some((Secret::new("Aladdin"), Secret::new("open sesame"))),
            RequestOptions {
                requester_user_uuid: Some("cfg-user".into()),
                dealer_uuid_list: Some(vec!["cfg-dealer".into()]),
                validate_vin: Some(false),
                search_for_duplicate: None,
            },
        )
    }

    fn resp(status: u16, body: &str) -> VendorResponse {
        VendorResponse {
            status: StatusCode::from_u16(status).unwrap(),
            headers: HeaderMap::new(),
            body: Bytes::from(body.to_owned()),
        }
    }

    #[test]
    fn request_path_method_headers_and_defaults() {
        let id = "0f8fad5b-d9cb-469f-a165-70867728950e";
        let opts = QueryOptions::default().with(&VALIDATE_VIN, OptionValue::Bool(true));
        let e = dept()
            .put_request(&TextId::parse(id).unwrap(), &Customer::default(), &opts)
            .unwrap();
        assert_eq!(e.request.method, Method::POST);
        assert_eq!(
            e.request.path,
            format!("/customer/v2/department/t%2Fk%20n/customer/{id}")
        );
        assert!(e.request.headers[header::AUTHORIZATION].is_sensitive());
        let debug = format!("{:?}", e.request);
        assert!(
            !debug.contains("t%2Fk") && !debug.contains("QWxh"),
            "{debug}"
        );
        let body: serde_json::Value = serde_json::from_slice(&e.request.body).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "requesterUserUUID": "cfg-user",
                "dealerUUIDList": ["cfg-dealer"],
                "customer": {"customerUuid": id},
                "validateVin": true
            })
        );
        assert_eq!(e.stored.id.value().map(TextId::as_str), Some(id));
    }

    #[test]
    fn a_text_id_goes_exactly_in_path_and_body() {
        let id = TextId::parse("C 1/ä?#%").unwrap();
        let e = dept()
            .put_request(&id, &Customer::default(), &QueryOptions::default())
            .unwrap();
        assert_eq!(
            e.request.path,
            "/customer/v2/department/t%2Fk%20n/customer/C%201%2F%C3%A4%3F%23%25"
        );
        let body: serde_json::Value = serde_json::from_slice(&e.request.body).unwrap();
        assert_eq!(body["customer"]["customerUuid"], "C 1/ä?#%");
        assert_eq!(e.stored.id.value(), Some(&id));
    }

    #[test]
    fn method_is_post_unless_configured() {
        let id = &TextId::parse("c1").unwrap();
        let e = dept()
            .put_request(id, &Customer::default(), &QueryOptions::default())
            .unwrap();
        assert_eq!(e.request.method, Method::POST);
        let e = dept()
            .method(UpdateMethod::Put)
            .put_request(id, &Customer::default(), &QueryOptions::default())
            .unwrap();
        assert_eq!(e.request.method, Method::PUT);
        assert!(e.request.idempotent);
    }

    #[test]
    fn statuses_are_classified() {
        let d = dept();
        let sent = Customer::default();
        let ok = d
            .decode_put(
                &resp(
                    200,
                    r#"{"errors":[],"warnings":[{"warningCode":7,"warningTitle":"T","warningMessage":"M"}]}"#,
                ),
                sent.clone(),
            )
            .unwrap();
        assert_eq!(
            ok.warnings,
            vec![Warning::vendor(NAME, "7", "M", Some("T".into()))]
        );
        match d.decode_put(
            &resp(
                200,
                r#"{"errors":[{"errorCode":9,"errorMessage":"not saved"},{"x":1}],"warnings":[]}"#,
            ),
            sent.clone(),
        ) {
            Err(VendorFailure::Invalid(items)) => assert_eq!(
                items,
                vec![
                    ErrorItem::new("9", "not saved"),
                    ErrorItem::new(
                        "vendor_error",
                        "the department reported an error without a message"
                    )
                ]
            ),
            other => panic!("{:?}", other.map(|r| r.warnings)),
        }
        assert!(d
            .decode_put(&resp(200, r#"{"errors":[],"warnings":[]}"#), sent.clone())
            .is_ok());
        assert!(d.decode_put(&resp(204, ""), sent.clone()).is_ok());
        assert!(d.decode_put(&resp(200, ""), sent.clone()).is_ok());
        match d.decode_put(
            &resp(
                400,
                r#"{"errors":[{"errorCode":12,"errorTitle":"Bad","errorMessage":"no"}]}"#,
            ),
            sent.clone(),
        ) {
            Err(VendorFailure::Invalid(items)) => {
                assert_eq!(
                    items,
                    vec![ErrorItem::new("12", "no").title(Some("Bad".into()))]
                )
            }
            other => panic!("{:?}", other.err()),
        }
        assert!(matches!(
            d.decode_put(&resp(400, "<html>"), sent.clone()),
            Err(VendorFailure::Invalid(_))
        ));
        assert!(matches!(
            d.decode_put(&resp(401, "{}"), sent.clone()),
            Err(VendorFailure::Credentials(_))
        ));
        assert!(matches!(
            d.decode_put(&resp(500, "{}"), sent.clone()),
            Err(VendorFailure::Status(_))
        ));
        assert!(matches!(
            d.decode_put(&resp(200, "<html>oops</html>"), sent),
            Err(VendorFailure::Unreadable(_))
        ));
    }

    #[test]
    fn config_section() {
        let mut errors = ConfigErrors::default();
        let built = build(
            &serde_json::json!({"base_url": "sandbox", "token": 12345, "dealer_uuids": "a, b"}),
            &mut errors,
        );
        assert!(built.is_some() && errors.is_empty(), "{errors}");
        let mut errors = ConfigErrors::default();
        let built = build(
            &serde_json::json!({"base_url": "sandbox", "token": "", "password": "p", "tokn": 1}),
            &mut errors,
        );
        assert!(built.is_none());
        let e = errors.to_string();
        assert!(e.contains("tokn: unknown key"), "{e}");
        let mut errors = ConfigErrors::default();
        build(
            &serde_json::json!({"base_url": "sandbox", "token": "t", "method": "PATCH"}),
            &mut errors,
        );
        let e = errors.to_string();
        assert!(
            e.contains("backends.department.method") && e.contains("POST") && e.contains("PUT"),
            "{e}"
        );
        let mut errors = ConfigErrors::default();
        build(
            &serde_json::json!({"base_url": "sandbox", "token": "", "password": "p"}),
            &mut errors,
        );
        let e = errors.to_string();
        assert!(
            e.contains("token: must not be empty") && e.contains("password"),
            "{e}"
        );
    }
}
