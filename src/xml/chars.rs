//! Which characters XML 1.0 can carry (`Char` of the XML 1.0 spec, §2.2):
//! tab, line feed, carriage return, and everything from U+0020 on except
//! U+FFFE and U+FFFF (Rust strings hold no surrogates). A character
//! reference does not help: `&#x1;` is as ill-formed as the raw byte.

use serde_json::Value;

/// Whether XML 1.0 can carry `c`.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= '\u{20}' && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
}

/// The paths (`vehicles[0].name`) of every string in `value` holding a
/// character XML 1.0 cannot carry, in document order.
pub fn unwritable_strings(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(value, &mut String::new(), &mut out);
    out
}

fn walk(value: &Value, path: &mut String, out: &mut Vec<String>) {
    match value {
        Value::String(s) if !s.chars().all(is_xml_char) => out.push(path.clone()),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(v, path, out);
                path.truncate(len);
            }
        }
        Value::Object(members) => {
            for (k, v) in members {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                walk(v, path, out);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn xml_1_0_chars() {
        for c in [
            '\t',
            '\n',
            '\r',
            ' ',
            'a',
            'é',
            '\u{7F}',
            '\u{85}',
            '\u{FFFD}',
            '\u{10000}',
        ] {
            assert!(is_xml_char(c), "{c:?}");
        }
        for c in [
            '\0', '\u{1}', '\u{B}', '\u{C}', '\u{1B}', '\u{1F}', '\u{FFFE}', '\u{FFFF}',
        ] {
            assert!(!is_xml_char(c), "{c:?}");
        }
    }

    #[test]
    fn names_each_bad_string_by_path() {
        let v = serde_json::json!({
            "name": "a\u{0}b",
            "ok": "fine\ttext",
            "vehicles": [{"name": "x"}, {"name": "\u{FFFF}", "vin": "\u{1b}"}]
        });
        assert_eq!(
            unwritable_strings(&v),
            vec!["name", "vehicles[1].name", "vehicles[1].vin"]
        );
    }

    proptest! {
        /// Whatever the writer is given that passes the check is read back
        /// by the hardened reader as the same text.
        #[test]
        fn checked_text_is_well_formed(s in "\\PC*|[\\x00-\\x20\u{FFFE}\u{FFFF}]*") {
            let bad = !s.chars().all(is_xml_char);
            prop_assert_eq!(bad, !unwritable_strings(&Value::String(s.clone())).is_empty());
            if !bad {
                let mut w = super::super::XmlWriter::default();
                w.raw("<a xmlns=\"urn:t\">");
                w.text(&s);
                w.raw("</a>");
                let doc = w.into_bytes();
                let mut r = super::super::XmlReader::new(&doc).expect("well-formed");
                let root = r.root("urn:t", "a").expect("root");
                let text = r.text(&root).expect("text");
                // Line ends are normalized by XML readers (\r\n, \r -> \n)
                // unless written as references, as the writer does for \r.
                prop_assert_eq!(text.as_ref(), s.as_str());
            }
        }
    }
}
