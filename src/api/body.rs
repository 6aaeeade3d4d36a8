//! `JsonBody<T>`: the one way a unified request body is read.
//!
//! In order: `Content-Type: application/json` (415), size (413, via the body
//! limit layer), UTF-8 (400), nesting depth and list lengths (400, checked
//! by a scan before any tree is built), JSON syntax and members given twice
//! at any depth (400), and the typed model (400 naming the field). Each
//! refusal is a [`BodyError`]; `refused.rs` says how it is answered.

use super::problem::ApiError;
use super::unique_json::TreeError;
use super::AppState;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;
use std::sync::Arc;

/// Bounds on request bodies (defined with the state; named here too, where
/// they are applied).
pub use super::state::Limits;

/// The typed body and the JSON it came from (to name fields a backend
/// cannot store).
pub struct JsonBody<T> {
    pub value: T,
    pub json: serde_json::Value,
}

/// Why a body was refused.
#[derive(Debug)]
pub enum BodyError {
    /// Not `application/json` (415).
    NotJson,
    /// Over `server.max_body_bytes`, decompressed bytes counted (413).
    TooLarge,
    /// The bytes do not match their `Content-Encoding`.
    Unreadable,
    NotUtf8,
    /// Nested deeper than this.
    TooDeep(usize),
    /// A list longer than this.
    ListTooLong(usize),
    /// Not JSON: where, and what is wrong in a few words.
    Malformed {
        line: usize,
        column: usize,
        what: &'static str,
    },
    /// A member given twice: the path of the second one.
    Duplicate(String),
    /// Numbers that cannot be held exactly: their paths (`""`: the body).
    NotExact(Vec<String>),
    /// The JSON does not fit the unified model.
    Model {
        field: String,
        message: String,
    },
}

impl<T: DeserializeOwned> FromRequest<Arc<AppState>> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &Arc<AppState>) -> Result<Self, ApiError> {
        if !is_json(req.headers()) {
            return Err(BodyError::NotJson.into());
        }
        let bytes = axum::body::to_bytes(req.into_body(), state.limits.body_bytes)
            .await
            .map_err(|e| body_error(&e))?;
        parse(&bytes, &state.limits)
    }
}

/// A body that could not be read: over the limit (413; decompressed bytes
/// count, so a decompression bomb is one), else unreadable (400: a
/// `Content-Encoding` the bytes do not match).
fn body_error(e: &axum::Error) -> BodyError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if err.is::<http_body_util::LengthLimitError>() {
            return BodyError::TooLarge;
        }
        source = err.source();
    }
    BodyError::Unreadable
}

fn is_json(h: &http::HeaderMap) -> bool {
    h.get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| {
            let m = m.trim();
            m.eq_ignore_ascii_case("application/json")
                || (m.len() > 5 && m[m.len() - 5..].eq_ignore_ascii_case("+json"))
        })
        .unwrap_or(false)
}

/// Parses and checks a body. Public for tests and fuzzing.
pub fn parse<T: DeserializeOwned>(bytes: &[u8], limits: &Limits) -> Result<JsonBody<T>, ApiError> {
    Ok(read(bytes, limits)?)
}

fn read<T: DeserializeOwned>(bytes: &[u8], limits: &Limits) -> Result<JsonBody<T>, BodyError> {
    // Checked once here; the parsers below read text and do not check
    // each string again.
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(BodyError::NotUtf8);
    };
    scan_bounds(bytes, limits)?;
    // Duplicate members are refused at every depth: objects such as
    // `labels` are passed on as they came.
    let mut json = super::unique_json::parse(text).map_err(|e| match e {
        TreeError::Json(e) => BodyError::Malformed {
            line: e.line(),
            column: e.column(),
            what: e.classify_msg(),
        },
        TreeError::Duplicate(path) => BodyError::Duplicate(path),
    })?;
    super::numbers::check_exact(bytes).map_err(BodyError::NotExact)?;
    // `{"data": {...}}` (the shape of a GET answer) is taken as well as the
    // bare object, so a read can be written back as it came.
    let mut enveloped = false;
    if let serde_json::Value::Object(m) = &mut json {
        if m.len() == 1 || (m.len() == 2 && m.contains_key("warnings")) {
            if let Some(serde_json::Value::Object(_)) = m.get("data") {
                json = m.remove("data").unwrap_or_default();
                enveloped = true;
            }
        }
    }
    // The typed value is read from the bytes, not from the tree: the tree's
    // maps are sorted, and member order matters to some vendors (fleet-admin
    // re-stringifies `labels` in the order given).
    let mut de = serde_json::Deserializer::from_str(text);
    let value = if enveloped {
        serde_path_to_error::deserialize::<_, Enveloped<T>>(&mut de).map(|e| e.data)
    } else {
        serde_path_to_error::deserialize(&mut de)
    };
    let value = value.map_err(|e| {
        let path = e.path().to_string();
        let field = match enveloped {
            true => path.strip_prefix("data.").unwrap_or(&path).to_string(),
            false => path,
        };
        BodyError::Model {
            field,
            message: e.inner().to_string(),
        }
    })?;
    Ok(JsonBody { value, json })
}

/// `{"data": T, "warnings": [...]}`, the warnings ignored.
#[derive(serde::Deserialize)]
struct Enveloped<T> {
    data: T,
    #[serde(default, rename = "warnings")]
    _warnings: serde::de::IgnoredAny,
}

trait ClassifyMsg {
    fn classify_msg(&self) -> &'static str;
}

impl ClassifyMsg for serde_json::Error {
    fn classify_msg(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Eof => "unexpected end of input",
            serde_json::error::Category::Syntax => "syntax error",
            _ => "invalid JSON",
        }
    }
}

/// Checks nesting depth and list lengths without building a tree.
fn scan_bounds(bytes: &[u8], limits: &Limits) -> Result<(), BodyError> {
    // One counter of items per open container (only arrays matter).
    let mut stack: Vec<(bool, usize)> = Vec::new();
    let mut in_str = false;
    let mut escaped = false;
    for &b in bytes {
        if in_str {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'[' | b'{' => {
                stack.push((b == b'[', 1));
                if stack.len() > limits.depth {
                    return Err(BodyError::TooDeep(limits.depth));
                }
            }
            b']' | b'}' => {
                stack.pop();
            }
            b',' => {
                if let Some((true, n)) = stack.last_mut() {
                    *n += 1;
                    if *n > limits.list_len {
                        return Err(BodyError::ListTooLong(limits.list_len));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::StatusCode;

    fn limits() -> Limits {
        Limits {
            body_bytes: 1 << 20,
            depth: 4,
            list_len: 3,
        }
    }

    fn status(r: Result<JsonBody<serde_json::Value>, ApiError>) -> u16 {
        match r {
            Ok(_) => 200,
            Err(e) => e.status.as_u16(),
        }
    }

    #[test]
    fn bounds() {
        assert_eq!(status(parse(br#"{"a":[1,2,3]}"#, &limits())), 200);
        assert_eq!(status(parse(br#"{"a":[1,2,3,4]}"#, &limits())), 400);
        assert_eq!(status(parse(br#"[[[[1]]]]"#, &limits())), 200);
        assert_eq!(status(parse(br#"[[[[[1]]]]]"#, &limits())), 400);
        assert_eq!(status(parse(br#"{"a":"[[[[[[,,,,"}"#, &limits())), 200);
        assert_eq!(status(parse(br#"{"a":"\"[[[[[[,,,,"}"#, &limits())), 200);
    }

    #[test]
    fn malformed_and_non_utf8() {
        assert_eq!(status(parse(b"{\"a\":", &limits())), 400);
        assert_eq!(status(parse(b"{\"a\":\"\xff\"}", &limits())), 400);
    }

    #[test]
    fn data_envelope_is_unwrapped() {
        let b: JsonBody<serde_json::Value> =
            parse(br#"{"data":{"x":1},"warnings":[]}"#, &limits()).unwrap();
        assert_eq!(b.json, serde_json::json!({"x":1}));
    }

    #[test]
    fn typed_values_keep_member_order() {
        let b: JsonBody<crate::unified::Labels> =
            parse(br#"{"data":{"it":"a","en":"b"}}"#, &limits()).unwrap();
        assert_eq!(
            serde_json::to_string(&b.value).unwrap(),
            r#"{"it":"a","en":"b"}"#
        );
        let b: JsonBody<crate::unified::Labels> =
            parse(br#"{"it":"a","en":"b"}"#, &limits()).unwrap();
        assert_eq!(
            serde_json::to_string(&b.value).unwrap(),
            r#"{"it":"a","en":"b"}"#
        );
    }

    #[test]
    fn duplicate_members_are_refused_at_any_depth() {
        let e = parse::<serde_json::Value>(br#"{"labels":{"en":"a","en":"b"}}"#, &limits())
            .err()
            .unwrap();
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert_eq!(e.errors[0].code, "duplicate_member");
        assert_eq!(e.errors[0].field.as_deref(), Some("labels.en"));
    }

    #[test]
    fn typed_errors_name_the_field() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            n: u8,
        }
        let e = parse::<T>(br#"{"n":"x"}"#, &limits()).err().unwrap();
        assert_eq!(e.errors[0].field.as_deref(), Some("n"));
        let e = parse::<T>(br#"{"data":{"n":"x"}}"#, &limits())
            .err()
            .unwrap();
        assert_eq!(e.errors[0].field.as_deref(), Some("n"));
    }
}
