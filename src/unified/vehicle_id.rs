//! `VehicleId`: a vehicle id as its vendor has it.
//!
//! Vehizen and the department service identify vehicles by GUID (a string);
//! fleet-admin by an integer. The spec keeps integer vendor ids integers, so
//! the unified `id` is a string (a GUID) or an integer, untagged.

use std::fmt;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

use super::Guid;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum VehicleId {
    /// A GUID, kept as the exact text it came as.
    Guid(Guid),
    /// An integer id (fleet-admin `ID`).
    Int(i64),
}

impl VehicleId {
    pub fn as_guid(&self) -> Option<&Guid> {
        match self {
            VehicleId::Guid(g) => Some(g),
            VehicleId::Int(_) => None,
        }
    }

    /// The id for a vendor whose vehicle ids are GUID strings. An integer id
    /// has no home there: it is left out (never mangled into text), and the
    /// round-trip diff reports it as not stored.
    pub fn guid_text(id: super::Field<VehicleId>) -> super::Field<String> {
        match id {
            super::Field::Value(VehicleId::Guid(g)) => super::Field::Value(g.into_string()),
            super::Field::Value(VehicleId::Int(_)) | super::Field::Absent => super::Field::Absent,
            super::Field::Null => super::Field::Null,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            VehicleId::Int(i) => Some(*i),
            VehicleId::Guid(_) => None,
        }
    }
}

impl From<Guid> for VehicleId {
    fn from(g: Guid) -> Self {
        VehicleId::Guid(g)
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
            VehicleId::Guid(g) => g.fmt(f),
            VehicleId::Int(i) => i.fmt(f),
        }
    }
}

impl Serialize for VehicleId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            VehicleId::Guid(g) => g.serialize(s),
            VehicleId::Int(i) => s.serialize_i64(*i),
        }
    }
}

/// A GUID string or an integer (hand-written rather than `untagged`, which
/// would buffer every value and blur the error message).
impl<'de> Deserialize<'de> for VehicleId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = VehicleId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a vehicle id: a GUID string or an integer")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<VehicleId, E> {
                Guid::parse(v).map(VehicleId::Guid).ok_or_else(|| {
                    E::custom("expected a GUID: 32 hex digits, optionally hyphenated 8-4-4-4-12")
                })
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
    fn guid_or_integer() {
        let g: VehicleId =
            serde_json::from_str("\"e55ab6e7-1056-4ab3-bd03-247f4b0efdd1\"").unwrap();
        assert!(g.as_guid().is_some());
        assert_eq!(
            serde_json::to_string(&g).unwrap(),
            "\"e55ab6e7-1056-4ab3-bd03-247f4b0efdd1\""
        );
        let i: VehicleId = serde_json::from_str("21").unwrap();
        assert_eq!(i, VehicleId::Int(21));
        assert_eq!(serde_json::to_string(&i).unwrap(), "21");
        for bad in ["\"x\"", "1.5", "true", "-1e3"] {
            assert!(serde_json::from_str::<VehicleId>(bad).is_err(), "{bad}");
        }
    }
}
