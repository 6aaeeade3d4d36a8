//! Positive and negative responses.
//!
//! A write answers `{"Success": true}`; any failure is `{"Success": false,
//! "ErrorMessage": "err_..."}`, possibly with HTTP 200. A body carrying an
//! `err_*` code is the vendor's verdict whatever the status, mapped by the
//! spec's table; only a body that is no verdict falls back to the status.

use super::wire::VerdictDto;
use crate::backends::VendorFailure;
use crate::outbound::VendorResponse;
use crate::unified::ErrorItem;
use crate::unified::Field;

/// The documented codes and what the vendor page says they mean.
pub const CODES: &[(&str, &str)] = &[
    (
        "err_ElementDoesNotExist",
        "There is no category corresponding to the ID provided in the request",
    ),
    (
        "err_ElementAlreadyDeleted",
        "The specified category record has already been marked as deleted",
    ),
    (
        "err_CannotDeleteCategoryHasVehicles",
        "The category has some vehicles assigned to it",
    ),
    (
        "err_InvalidElement",
        "No value has been passed in the labels field, or no category to edit has been found for the provided ID",
    ),
];

/// The `errors[]` code of a vendor code the gateway does not know; the
/// vendor's own text is never echoed.
pub const UNKNOWN_VERDICT: &str = "vendor_unknown_verdict";

/// The failure a vendor code stands for.
pub fn failure_of(code: &str) -> VendorFailure {
    let Some((code, message)) = CODES.iter().find(|(c, _)| *c == code) else {
        return VendorFailure::UnknownVerdict(vec![ErrorItem::new(
            UNKNOWN_VERDICT,
            "fleet-admin refused the request with an error code the gateway does not know",
        )]);
    };
    let items = vec![ErrorItem::new(*code, *message)];
    match *code {
        "err_ElementDoesNotExist" => VendorFailure::NotFound,
        "err_ElementAlreadyDeleted" | "err_CannotDeleteCategoryHasVehicles" => {
            VendorFailure::Conflict(items)
        }
        "err_InvalidElement" => VendorFailure::Invalid(items),
        _ => VendorFailure::UnknownVerdict(items),
    }
}

/// The verdict of a body, if it is one (an object with `Success` or an
/// `err_*` `ErrorMessage`).
pub fn read(body: &[u8]) -> Option<VerdictDto> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace())?;
    if *first != b'{' {
        return None;
    }
    let v: VerdictDto = serde_json::from_slice(body).ok()?;
    let is_verdict = v.success.is_present()
        || matches!(&v.error_message, Field::Value(m) if m.starts_with("err_"));
    is_verdict.then_some(v)
}

/// The failure a response stands for, if any: a negative verdict at any
/// status, else a non-2xx status.
pub fn failure(resp: &VendorResponse) -> Option<VendorFailure> {
    if let Some(v) = read(&resp.body) {
        let negative = v.success == Field::Value(false)
            || matches!(&v.error_message, Field::Value(m) if m.starts_with("err_"));
        if negative {
            return Some(match v.error_message {
                Field::Value(code) if !code.is_empty() => failure_of(&code),
                _ => VendorFailure::UnknownVerdict(vec![ErrorItem::new(
                    "vendor_negative_response",
                    "fleet-admin answered a negative response without an error message",
                )]),
            });
        }
    }
    let status = resp.status;
    match status.as_u16() {
        400 | 422 => Some(VendorFailure::Invalid(vec![ErrorItem::new(
            "vendor_error",
            format!("fleet-admin refused the request ({})", status.as_u16()),
        )])),
        409 => Some(VendorFailure::Conflict(vec![ErrorItem::new(
            "vendor_error",
            "fleet-admin reported a conflict (409)",
        )])),
        _ => VendorFailure::of_status(status).err(),
    }
}

/// A write's answer: a positive response (or an empty 2xx body), else the
/// failure.
pub fn positive(resp: &VendorResponse) -> Result<VerdictDto, VendorFailure> {
    if let Some(f) = failure(resp) {
        return Err(f);
    }
    if resp.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(VerdictDto::default());
    }
    match read(&resp.body) {
        Some(v) if v.success == Field::Value(true) => Ok(v),
        _ => Err(VendorFailure::Unreadable(format!(
            "expected a positive response {{\"Success\": true}} ({} bytes of something else)",
            resp.body.len()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use http::StatusCode;

    fn resp(status: u16, body: &'static str) -> VendorResponse {
        VendorResponse {
            status: StatusCode::from_u16(status).unwrap(),
            headers: http::HeaderMap::new(),
            body: Bytes::from_static(body.as_bytes()),
        }
    }

    #[test]
    fn negative_at_any_status() {
        for status in [200, 400, 404, 409, 500] {
            let f = failure(&resp(
                status,
                r#"{"Success": false, "ErrorMessage": "err_ElementAlreadyDeleted"}"#,
            ));
            assert!(matches!(f, Some(VendorFailure::Conflict(_))), "{status}");
        }
        assert_eq!(
            failure(&resp(
                200,
                r#"{"Success":false,"ErrorMessage":"err_ElementDoesNotExist"}"#
            )),
            Some(VendorFailure::NotFound)
        );
        assert!(matches!(
            failure(&resp(
                200,
                r#"{"Success":false,"ErrorMessage":"err_InvalidElement"}"#
            )),
            Some(VendorFailure::Invalid(_))
        ));
        match failure(&resp(
            200,
            r#"{"Success":false,"ErrorMessage":"err_Whatever"}"#,
        )) {
            Some(VendorFailure::UnknownVerdict(e)) => {
                assert_eq!(e[0].code, UNKNOWN_VERDICT);
                assert!(!e[0].message.contains("Whatever"), "{}", e[0].message);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn data_is_no_verdict() {
        assert_eq!(failure(&resp(200, r#"[{"ID":1}]"#)), None);
        assert_eq!(failure(&resp(200, r#"{"ID":1,"Labels":"{}"}"#)), None);
        assert_eq!(
            failure(&resp(500, r#"[]"#)),
            Some(VendorFailure::Status(StatusCode::INTERNAL_SERVER_ERROR))
        );
    }

    #[test]
    fn positive_responses() {
        assert!(positive(&resp(200, r#"{"Success": true}"#)).is_ok());
        assert!(positive(&resp(204, "")).is_ok());
        assert!(matches!(
            positive(&resp(200, "<html>")),
            Err(VendorFailure::Unreadable(_))
        ));
    }
}
