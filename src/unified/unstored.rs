//! Naming the unified fields a backend cannot store.
//!
//! A backend's mapping passes a unified value through its wire model and
//! back (`stored`). Any field of the caller's JSON (`input`) that does not
//! come back the same was not stored: the gateway warns about it, or
//! refuses the write in strict mode. Deriving this from the round trip means
//! no backend keeps a hand-written list that could drift.

use serde_json::Value;

mod ser;
#[cfg(test)]
mod ser_tests;

pub use ser::unstored_fields_of;

/// Paths (`vehicles[0].year`) of the fields of `input` that `stored` lost or
/// changed. A `null` the vendor has no member for is not reported.
///
/// With a typed stored value, [`unstored_fields_of`] gives the same paths
/// without building its JSON tree first.
pub fn unstored_fields(input: &Value, stored: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(input, stored, &mut String::new(), &mut out);
    out
}

fn walk(input: &Value, stored: &Value, path: &mut String, out: &mut Vec<String>) {
    match (input, stored) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, va) in a {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                match b.get(k) {
                    None if va.is_null() => {}
                    None => out.push(path.clone()),
                    Some(vb) => walk(va, vb, path, out),
                }
                path.truncate(len);
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (va, vb)) in a.iter().zip(b).enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(va, vb, path, out);
                path.truncate(len);
            }
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => {}
        (a, b) if a == b => {}
        _ => out.push(if path.is_empty() {
            "$".into()
        } else {
            path.clone()
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_lost_and_changed_fields() {
        let input = json!({"name": "a", "year": 2020, "vehicles": [{"id": "x", "trim": "LX"}], "n": 1.0, "z": null});
        let stored = json!({"name": "a", "vehicles": [{"id": "x"}], "n": 1, "extra": true});
        assert_eq!(
            unstored_fields(&input, &stored),
            vec!["vehicles[0].trim".to_string(), "year".to_string()]
        );
    }

    #[test]
    fn identical_values_lose_nothing() {
        let v = json!({"a": [1, {"b": null}], "c": "d"});
        assert!(unstored_fields(&v, &v).is_empty());
    }
}
