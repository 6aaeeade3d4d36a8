//! The wire format of a vendor answer.

use super::failure::VendorFailure;
use crate::outbound::VendorResponse;

/// A vendor's wire formats (JSON and XML, JSON and JSV).
pub trait WireFormat: Copy {
    /// The format of a media type, lower-cased and without parameters.
    fn of_media_type(media: &str) -> Option<Self>;
}

/// The format of an answer, from its `Content-Type`: the one asked for
/// when it names none; unreadable when it names another (a vendor answers
/// what was asked, but a proxy's error page is HTML whatever was).
pub fn answer_format<F: WireFormat>(resp: &VendorResponse, asked: F) -> Result<F, VendorFailure> {
    let media = resp.media_type();
    if media.is_empty() {
        return Ok(asked);
    }
    F::of_media_type(&media)
        .ok_or_else(|| VendorFailure::Unreadable(format!("unexpected content type {media}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use http::{HeaderMap, HeaderValue, StatusCode};

    #[derive(Debug, Clone, Copy, PartialEq)]
    struct Json;

    impl WireFormat for Json {
        fn of_media_type(media: &str) -> Option<Self> {
            (media == "application/json").then_some(Json)
        }
    }

    fn answer(ctype: Option<&'static str>) -> VendorResponse {
        let mut headers = HeaderMap::new();
        if let Some(c) = ctype {
            headers.insert(http::header::CONTENT_TYPE, HeaderValue::from_static(c));
        }
        VendorResponse {
            status: StatusCode::OK,
            headers,
            body: Bytes::new(),
        }
    }

    #[test]
    fn the_content_type_names_the_format() {
        assert_eq!(answer_format(&answer(None), Json), Ok(Json));
        let json = answer(Some("Application/JSON; charset=utf-8"));
        assert_eq!(answer_format(&json, Json), Ok(Json));
        assert_eq!(
            answer_format(&answer(Some("text/html")), Json),
            Err(VendorFailure::Unreadable(
                "unexpected content type text/html".into()
            ))
        );
    }
}
