//! What every vendor adapter shares, each once: reading a vendor section
//! ([`section`]), the classified failure and what a bare status says
//! ([`failure`]), the format of an answer ([`format`]), secrets given as
//! text ([`secret_text`]), percent-encoding ([`percent`]) and decode errors
//! that never quote the body ([`decode_error`]).
//!
//! A vendor folder imports from here and from [`crate::outbound`] (the
//! request and response types); never from another vendor, nor from the
//! inbound API.

pub mod decode_error;
pub mod failure;
pub mod format;
pub mod percent;
pub mod secret_text;
pub mod section;
