//! Vehizen enums: name <-> code tables, only the values the vendor docs show.
//!
//! In a wire DTO an enum is canonical: a known value is held by its name, an
//! unknown code as `Code(n)`, an unknown name as `Name(..)`. Writers turn it
//! into the format's form: JSON wants codes (a known name is written as its
//! code, an unknown name as the string), XML wants names (a known code is
//! written as its name, an unknown code as its digits).

use std::borrow::Cow;

use crate::unified::EnumValue;

/// One .NET enum: its codes and names.
#[derive(Debug)]
pub struct EnumTable {
    pub entries: &'static [(i64, &'static str)],
}

/// `CameraType`.
pub const CAMERA_TYPE: EnumTable = EnumTable {
    entries: &[(0, "WITHOUT_CAMERA")],
};
/// `State` and `VehicleState` (the docs show the same value for both).
pub const STATE: EnumTable = EnumTable {
    entries: &[(0, "Active")],
};
/// `MalfunctionLevel`.
pub const MALFUNCTION_LEVEL: EnumTable = EnumTable {
    entries: &[(0, "Null")],
};

impl EnumTable {
    pub fn name_of(&self, code: i64) -> Option<&'static str> {
        self.entries.iter().find(|e| e.0 == code).map(|e| e.1)
    }

    pub fn code_of(&self, name: &str) -> Option<i64> {
        self.entries.iter().find(|e| e.1 == name).map(|e| e.0)
    }

    /// The canonical form: a known code becomes its name; the rest is kept.
    pub fn normalize(&self, v: EnumValue) -> EnumValue {
        match v {
            EnumValue::Code(c) => match self.name_of(c) {
                Some(n) => EnumValue::Name(n.to_owned()),
                None => EnumValue::Code(c),
            },
            name => name,
        }
    }

    /// Reads XML text: digits are a code, anything else a name.
    pub fn from_xml_text(&self, text: &str) -> EnumValue {
        match text.parse::<i64>() {
            Ok(c) => self.normalize(EnumValue::Code(c)),
            Err(_) => EnumValue::Name(text.to_owned()),
        }
    }

    /// XML text: the name for a known code, else the value as it is.
    pub fn xml_text<'v>(&self, v: &'v EnumValue) -> Cow<'v, str> {
        match v {
            EnumValue::Name(n) => Cow::Borrowed(n),
            EnumValue::Code(c) => match self.name_of(*c) {
                Some(n) => Cow::Borrowed(n),
                None => Cow::Owned(c.to_string()),
            },
        }
    }

    /// JSON value: the code for a known name, else the value as it is.
    pub fn json_value(&self, v: &EnumValue) -> EnumValue {
        match v {
            EnumValue::Name(n) => match self.code_of(n) {
                Some(c) => EnumValue::Code(c),
                None => EnumValue::Name(n.clone()),
            },
            EnumValue::Code(c) => EnumValue::Code(*c),
        }
    }
}

/// serde `with` modules for `Field<EnumValue>` members of the JSON wire.
pub mod json {
    macro_rules! with_table {
        ($($module:ident => $table:path),* $(,)?) => {$(
            pub mod $module {
                use serde::{Deserialize, Deserializer, Serializer};

                use crate::unified::{EnumValue, Field};

                pub fn serialize<S: Serializer>(
                    v: &Field<EnumValue>,
                    s: S,
                ) -> Result<S::Ok, S::Error> {
                    match v {
                        Field::Value(EnumValue::Name(n)) => match $table.code_of(n) {
                            Some(c) => s.serialize_i64(c),
                            None => s.serialize_str(n),
                        },
                        Field::Value(EnumValue::Code(c)) => s.serialize_i64(*c),
                        Field::Absent | Field::Null => s.serialize_none(),
                    }
                }

                pub fn deserialize<'de, D: Deserializer<'de>>(
                    d: D,
                ) -> Result<Field<EnumValue>, D::Error> {
                    Ok(Field::<EnumValue>::deserialize(d)?.map(|v| $table.normalize(v)))
                }
            }
        )*};
    }

    with_table! {
        camera_type => super::super::CAMERA_TYPE,
        state => super::super::STATE,
        malfunction_level => super::super::MALFUNCTION_LEVEL,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_unknown_values() {
        let name = |s: &str| EnumValue::Name(s.into());
        assert_eq!(
            CAMERA_TYPE.normalize(EnumValue::Code(0)),
            name("WITHOUT_CAMERA")
        );
        assert_eq!(
            CAMERA_TYPE.normalize(EnumValue::Code(9)),
            EnumValue::Code(9)
        );
        assert_eq!(STATE.from_xml_text("Active"), name("Active"));
        assert_eq!(STATE.from_xml_text("0"), name("Active"));
        assert_eq!(STATE.from_xml_text("7"), EnumValue::Code(7));
        assert_eq!(MALFUNCTION_LEVEL.xml_text(&EnumValue::Code(0)), "Null");
        assert_eq!(MALFUNCTION_LEVEL.xml_text(&EnumValue::Code(3)), "3");
        assert_eq!(STATE.json_value(&name("Active")), EnumValue::Code(0));
        assert_eq!(STATE.json_value(&name("Parked")), name("Parked"));
    }
}
