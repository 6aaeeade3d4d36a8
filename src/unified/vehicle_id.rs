//! `VehicleId`: a vehicle id as its vendor has it.
//!
//! Vehizen types vehicle ids as GUIDs, the department as plain strings,
//! fleet-admin as integers. The spec keeps each vendor's type, so the
//! unified `id` is a string (any [`TextId`]) or an integer, untagged. A
//! vendor that needs a GUID checks the text before anything is sent.

use std::fmt;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

use super::{Field, TextId};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum VehicleId {
    /// A string id (Vehizen `VehicleId`, department `vehicleUuid`), kept as
    /// the exact text it came as.
    Text(TextId),
    /// An integer id (fleet-admin `ID`).
    Int(i64),
}

impl VehicleId {
    pub fn as_text(&self) -> Option<&TextId> {
        match self {
            VehicleId::Text(t) => Some(t),
            VehicleId::Int(_) => None,
        }
    }

    /// The id for a vendor whose vehicle ids are strings. An integer id has
    /// no home there: it is left out (never mangled into text), and the
    /// round-trip diff reports it as not stored.
    pub fn text(id: Field<VehicleId>) -> Field<String> {
        match id {
            Field::Value(VehicleId::Text(t)) => Field::Value(t.into_string()),
            Field::Value(VehicleId::Int(_)) | Field::Absent => Field::Absent,
            Field::Null => Field::Null,
        }
    }

    /// A vendor's string id, as it came.
    pub fn from_vendor(f: Field<String>) -> Field<VehicleId> {
        f.map(|t| VehicleId::Text(TextId::from_vendor(t)))
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            VehicleId::Int(i) => Some(*i),
            VehicleId::Text(_) => None,
        }
    }
}

impl From<TextId> for VehicleId {
    fn from(t: TextId) -> Self {
        VehicleId::Text(t)
    }
}

impl From<i64> for VehicleId {
    fn from(i: i64) -> Self {
        VehicleId::Int(i)
    }
}

impl fmt::Display for VehicleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VehicleId::Text(t) => t.fmt(f),
            VehicleId::Int(i) => i.fmt(f),
        }
    }
}

impl Serialize for VehicleId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            VehicleId::Text(t) => t.serialize(s),
            VehicleId::Int(i) => s.serialize_i64(*i),
        }
    }
}

/// A string id or an integer (hand-written rather than `untagged`, which
/// would buffer every value and blur the error message).
impl<'de> Deserialize<'de> for VehicleId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = VehicleId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a vehicle id: a string id or an integer")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<VehicleId, E> {
                TextId::parse(v).map(VehicleId::Text).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<VehicleId, E> {
                Ok(VehicleId::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<VehicleId, E> {
                i64::try_from(v)
                    .map(VehicleId::Int)
                    .map_err(|_| E::custom("vehicle id out of range"))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_or_integer() {
        for t in [
            "e55ab6e7-1056-4ab3-bd03-247f4b0efdd1",
            "E55AB6E710564AB3BD03247F4B0EFDD1",
            "VEH-7",
            "21",
        ] {
            let json = format!("\"{t}\"");
            let id: VehicleId = serde_json::from_str(&json).unwrap();
            assert_eq!(id.as_text().map(TextId::as_str), Some(t));
            assert_eq!(serde_json::to_string(&id).unwrap(), json);
        }
        let i: VehicleId = serde_json::from_str("21").unwrap();
        assert_eq!(i, VehicleId::Int(21));
        assert_eq!(serde_json::to_string(&i).unwrap(), "21");
        for bad in ["\"\"", "\"a\\u0001\"", "1.5", "true", "-1e3"] {
            assert!(serde_json::from_str::<VehicleId>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_integer_has_no_string_home() {
        assert_eq!(
            VehicleId::text(Field::Value(VehicleId::Int(3))),
            Field::Absent
        );
        assert_eq!(VehicleId::text(Field::Null), Field::Null);
        let t = TextId::parse("v 1/ä").unwrap();
        assert_eq!(
            VehicleId::text(Field::Value(VehicleId::Text(t))),
            Field::Value("v 1/ä".to_string())
        );
    }
}
