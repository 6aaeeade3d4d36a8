//! `Field<T>`: a member that is absent, explicitly null, or set.
//!
//! Losslessness needs all three states: a vendor member that was missing must
//! stay missing on the way back, and one that was `null` (`i:nil="true"` in
//! DataContract XML) must stay null.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Use with `#[serde(default, skip_serializing_if = "Field::is_absent")]`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub enum Field<T> {
    /// The member was not there.
    #[default]
    Absent,
    /// The member was there and null.
    Null,
    /// The member was there with a value.
    Value(T),
}

impl<T> Field<T> {
    pub fn is_absent(&self) -> bool {
        matches!(self, Field::Absent)
    }

    pub fn is_present(&self) -> bool {
        !self.is_absent()
    }

    pub fn value(&self) -> Option<&T> {
        match self {
            Field::Value(v) => Some(v),
            _ => None,
        }
    }

    pub fn into_value(self) -> Option<T> {
        match self {
            Field::Value(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_ref(&self) -> Field<&T> {
        match self {
            Field::Absent => Field::Absent,
            Field::Null => Field::Null,
            Field::Value(v) => Field::Value(v),
        }
    }

    /// Maps the value, keeping absent and null as they are.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Field<U> {
        match self {
            Field::Absent => Field::Absent,
            Field::Null => Field::Null,
            Field::Value(v) => Field::Value(f(v)),
        }
    }
}

impl<T> From<Option<T>> for Field<T> {
    /// `None` becomes `Null`: the member was present.
    fn from(v: Option<T>) -> Self {
        match v {
            Some(v) => Field::Value(v),
            None => Field::Null,
        }
    }
}

impl<T: Serialize> Serialize for Field<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            // Absent is skipped by `skip_serializing_if`; if a container
            // forgets that, null is the closest honest answer.
            Field::Absent | Field::Null => s.serialize_none(),
            Field::Value(v) => v.serialize(s),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(d).map(Field::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct S {
        #[serde(default, skip_serializing_if = "Field::is_absent")]
        a: Field<u32>,
    }

    #[test]
    fn three_states_round_trip() {
        for (text, want) in [
            ("{}", Field::Absent),
            (r#"{"a":null}"#, Field::Null),
            (r#"{"a":7}"#, Field::Value(7)),
        ] {
            let s: S = serde_json::from_str(text).unwrap();
            assert_eq!(s.a, want);
            assert_eq!(serde_json::to_string(&s).unwrap(), text);
        }
    }
}
