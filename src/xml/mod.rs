//! Small XML helpers shared by vendors that speak XML: a hardened,
//! namespace-aware pull reader and an allocation-light writer.
//!
//! The reader refuses DTDs and entities other than the five predefined ones
//! and numeric character references (nothing is ever expanded), bounds
//! nesting and list lengths, and refuses input that is not UTF-8.

pub mod chars;
pub mod number;
pub mod path;
pub mod read;
pub mod write;

pub use path::UnknownPaths;
pub use read::{Child, XmlReader};
pub use write::XmlWriter;

/// Deepest element nesting accepted (the deepest Vehizen document is 5).
pub const MAX_DEPTH: usize = 32;
/// Most items accepted in one XML list.
pub const MAX_ITEMS: usize = 10_000;

/// `xmlns:i` of DataContract documents.
pub const NS_XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// XML Schema types, as used in `i:type="d:string"`.
pub const NS_XSD: &str = "http://www.w3.org/2001/XMLSchema";
/// DataContract string lists.
pub const NS_ARRAYS: &str = "http://schemas.microsoft.com/2003/10/Serialization/Arrays";

/// Why a document was refused. Messages name no content, only the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlError {
    #[error("malformed XML near byte {0}")]
    Malformed(u64),
    #[error("XML with a DOCTYPE or DTD is refused")]
    Doctype,
    #[error("XML entity references other than the predefined ones are refused")]
    Entity,
    #[error("XML nested deeper than {MAX_DEPTH} elements")]
    TooDeep,
    #[error("XML list longer than {MAX_ITEMS} items")]
    TooLong,
    #[error("XML is not UTF-8")]
    NotUtf8,
    #[error("unexpected XML root element")]
    Root,
    #[error("XML element holds an invalid {0}")]
    Value(&'static str),
    #[error("unexpected content in an XML element")]
    Unexpected,
}
