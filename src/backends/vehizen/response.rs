//! `Vehizen.Domain.Dto.ResponseDto`, the envelope of Vehizen writes.

use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

use super::wire::CustomerGroupDto;
use crate::unified::Field;

/// `{IsValid, Errors, Data}`; JSON member order as the vendor sample.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResponseDto {
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub is_valid: Field<bool>,
    #[serde(default, skip_serializing_if = "Field::is_absent")]
    pub errors: Field<Vec<String>>,
    #[serde(default, skip_serializing_if = "ResponseData::is_absent")]
    pub data: ResponseData,
}

/// `Data` is typed `Object` at the vendor. What is accepted:
///
/// | JSON | XML | value |
/// |---|---|---|
/// | no member | no element | `Absent` |
/// | `null` | `i:nil="true"` | `Null` |
/// | `{}` (or an object with no `CustomerGroupDto` member) | `<Data />` without `i:type` | `Empty` |
/// | any other object, read as a `CustomerGroupDto` | `i:type` naming `CustomerGroupDto` | `Group` |
/// | a string | `i:type` `xs:string`, or text without `i:type` | `Text` |
/// | a number, boolean or array | `i:type` a numeric `xs:` type or `xs:boolean` | `Other` |
///
/// Object members that a `CustomerGroupDto` does not have are reported as
/// unknown like anywhere else. XML cannot carry an array or object `Other`;
/// the XML writer writes those as `<Data />`.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum ResponseData {
    #[default]
    Absent,
    Null,
    Empty,
    Group(Box<CustomerGroupDto>),
    Text(String),
    Other(serde_json::Value),
}

impl ResponseData {
    pub fn is_absent(&self) -> bool {
        matches!(self, ResponseData::Absent)
    }
}

impl Serialize for ResponseData {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            ResponseData::Absent | ResponseData::Null => s.serialize_none(),
            ResponseData::Empty => s.serialize_map(Some(0))?.end(),
            ResponseData::Group(g) => g.serialize(s),
            ResponseData::Text(t) => s.serialize_str(t),
            ResponseData::Other(v) => v.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for ResponseData {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DataVisitor)
    }
}

struct DataVisitor;

impl<'de> de::Visitor<'de> for DataVisitor {
    type Value = ResponseData;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<ResponseData, E> {
        Ok(ResponseData::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<ResponseData, E> {
        Ok(ResponseData::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<ResponseData, D::Error> {
        d.deserialize_any(DataVisitor)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<ResponseData, E> {
        Ok(ResponseData::Other(v.into()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<ResponseData, E> {
        Ok(ResponseData::Other(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<ResponseData, E> {
        Ok(ResponseData::Other(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<ResponseData, E> {
        Ok(ResponseData::Other(v.into()))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<ResponseData, E> {
        Ok(ResponseData::Text(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<ResponseData, E> {
        Ok(ResponseData::Text(v))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<ResponseData, A::Error> {
        serde_json::Value::deserialize(SeqAccessDeserializer::new(seq)).map(ResponseData::Other)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<ResponseData, A::Error> {
        let group = CustomerGroupDto::deserialize(MapAccessDeserializer::new(map))?;
        if group == CustomerGroupDto::default() {
            Ok(ResponseData::Empty)
        } else {
            Ok(ResponseData::Group(Box::new(group)))
        }
    }
}
