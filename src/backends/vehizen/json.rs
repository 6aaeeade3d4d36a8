//! Vehizen JSON: serde_json straight into the wire types, with the paths of
//! members the types do not know collected by `serde_ignored`.

use serde::{Deserialize, Serialize};

use super::error::CodecError;

/// Reads one JSON document; trailing non-blank bytes are an error.
pub fn decode<'de, T: Deserialize<'de>>(body: &'de [u8]) -> Result<(T, Vec<String>), CodecError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let mut unknown = Vec::new();
    let mut note = |path: serde_ignored::Path<'_>| {
        let mut text = String::new();
        write_path(&mut text, &path);
        unknown.push(text);
    };
    let value =
        serde_path_to_error::deserialize(serde_ignored::Deserializer::new(&mut de, &mut note))
            .map_err(CodecError::from_json_at)?;
    de.end().map_err(CodecError::from_json)?;
    Ok((value, unknown))
}

/// `Vehicles.0.Foo`: like serde_ignored's own text without the `?` it
/// writes for every `Option` (each `Field` is one), so JSON and XML report
/// the same paths.
fn write_path(out: &mut String, path: &serde_ignored::Path<'_>) {
    use serde_ignored::Path;
    let (parent, seg): (&Path<'_>, String) = match path {
        Path::Root => return,
        Path::Seq { parent, index } => (parent, index.to_string()),
        Path::Map { parent, key } => (parent, key.clone()),
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => return write_path(out, parent),
    };
    write_path(out, parent);
    if !out.is_empty() {
        out.push('.');
    }
    out.push_str(&seg);
}

/// Compact JSON. The wire types only have string keys and infallible
/// `Serialize` impls, so serde_json cannot fail here.
pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = Vec::with_capacity(1024);
    match serde_json::to_writer(&mut out, value) {
        Ok(()) => out,
        Err(_) => Vec::new(),
    }
}
