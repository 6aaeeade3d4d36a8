//! `Labels`: a JSON object whose members keep the order they came in.
//!
//! The fleet-admin vendor stores a category's localized names as a
//! stringified JSON object (`"{\"en\":\"City Car\"}"`). The unified model
//! carries it as an object; on the way back it is stringified again. Keeping
//! member order (and duplicates) means an unchanged value is re-stringified
//! to the same compact text the vendor sent (see `docs/fleet-admin.md`).

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Pairs "language code" -> localized value, in the order given.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Labels(pub Vec<(String, serde_json::Value)>);

impl Labels {
    /// The value of a language, if present (the first one, if repeated).
    pub fn get(&self, lang: &str) -> Option<&serde_json::Value> {
        self.0.iter().find(|(k, _)| k == lang).map(|(_, v)| v)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<K: Into<String>, V: Into<serde_json::Value>> FromIterator<(K, V)> for Labels {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Labels(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

impl Serialize for Labels {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// Only a JSON object is accepted.
impl<'de> Deserialize<'de> for Labels {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Labels;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object of language code -> localized value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Labels, A::Error> {
                let mut out = Vec::with_capacity(a.size_hint().unwrap_or(0).min(64));
                while let Some((k, v)) = a.next_entry::<String, serde_json::Value>()? {
                    out.push((k, v));
                }
                Ok(Labels(out))
            }
        }
        d.deserialize_map(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_text() {
        let text = r#"{"it":"Citycar","en":"City Car"}"#;
        let l: Labels = serde_json::from_str(text).unwrap();
        assert_eq!(l.get("en"), Some(&serde_json::json!("City Car")));
        assert_eq!(serde_json::to_string(&l).unwrap(), text);
    }

    #[test]
    fn only_objects() {
        for t in ["[]", "\"en\"", "1", "null"] {
            assert!(serde_json::from_str::<Labels>(t).is_err(), "{t}");
        }
    }
}
