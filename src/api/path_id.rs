//! The id in a resource's path, typed as the resource's vendors type it:
//! a GUID (customer groups), any text id (customers: a backend that needs
//! a GUID refuses others itself) or a positive integer (vehicle
//! categories). Axum has already percent-decoded it.

use super::refused::Refused;
use crate::unified::{Guid, TextId};

/// A GUID id.
pub fn guid(id: &str) -> Result<Guid, Refused> {
    Guid::parse(id).ok_or(Refused::PathIdNotGuid)
}

/// A text id, as the vendors typing it as a string take it.
pub fn text(id: &str) -> Result<TextId, Refused> {
    TextId::parse(id).map_err(|e| Refused::PathIdInvalid(e.to_string()))
}

/// A category id: a positive integer (0 would ask the vendor to create).
pub fn category(id: &str) -> Result<i64, Refused> {
    id.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| id.parse::<i64>().ok())
        .flatten()
        .filter(|n| *n > 0)
        .ok_or(Refused::PathIdNotCategory)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_ids() {
        assert_eq!(category("7").ok(), Some(7));
        for bad in ["0", "-1", "+1", "x", "1.0", "", "99999999999999999999"] {
            assert_eq!(category(bad), Err(Refused::PathIdNotCategory), "{bad}");
        }
    }

    #[test]
    fn guid_and_text_ids() {
        assert!(guid("0f8fad5b-d9cb-469f-a165-70867728950e").is_ok());
        assert_eq!(guid("CUST-1").err(), Some(Refused::PathIdNotGuid));
        assert_eq!(
            text("CUST-1")
                .map(|t| t.as_str().to_owned())
                .ok()
                .as_deref(),
            Some("CUST-1")
        );
        assert!(matches!(text(""), Err(Refused::PathIdInvalid(_))));
    }
}
