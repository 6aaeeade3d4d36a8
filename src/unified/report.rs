//! What a unified answer reports besides its data: warnings (the call
//! worked, but the caller should know something) and error items (one entry
//! of a problem's `errors`). Backends build both from vendor answers, so they
//! live in the model, not in the inbound API.

use serde::Serialize;

/// One entry of a problem's `errors`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorItem {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The vendor's own title of a passed-through error, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

impl ErrorItem {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        ErrorItem {
            code: code.into(),
            message: message.into(),
            field: None,
            title: None,
        }
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn title(mut self, title: Option<String>) -> Self {
        self.title = title;
        self
    }
}

/// A warning: something the caller should know although the call worked
/// (a vendor's own warning, a field a backend could not store).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    pub backend: String,
    pub code: String,
    pub message: String,
    /// The unified field the warning is about, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The vendor's own title of a passed-through warning, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

impl Warning {
    /// A unified field the backend cannot store.
    pub fn not_stored(backend: &str, field: &str) -> Self {
        Warning {
            backend: backend.into(),
            code: "field_not_stored".into(),
            message: format!("{field} is not stored by {backend}"),
            field: Some(field.into()),
            title: None,
        }
    }
}

impl Warning {
    /// A vendor member the gateway does not know, so it is not in `data`.
    pub fn vendor_member_unknown(backend: &str, member: &str) -> Self {
        Warning {
            backend: backend.into(),
            code: "vendor_member_unknown".into(),
            message: format!("{backend} sent member {member}, which the gateway does not know; it is not in data"),
            field: None,
            title: None,
        }
    }
}

impl Warning {
    /// A vendor's own warning, passed through.
    pub fn vendor(
        backend: &str,
        code: impl Into<String>,
        message: impl Into<String>,
        title: Option<String>,
    ) -> Self {
        Warning {
            backend: backend.into(),
            code: code.into(),
            message: message.into(),
            field: None,
            title,
        }
    }
}
