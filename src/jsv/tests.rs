//! Unit tests, one or more per format rule.

use super::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

fn s(v: &str) -> String {
    to_string(v).unwrap()
}

#[test]
fn quoting_table() {
    let table = [
        ("plain", "plain"),
        ("two words", "two words"),
        ("", "\"\""),
        ("a\"b", "\"a\"\"b\""),
        ("a:b", "\"a:b\""),
        ("a,b", "\"a,b\""),
        ("{", "\"{\""),
        ("}", "\"}\""),
        ("[", "\"[\""),
        ("]", "\"]\""),
        ("a\rb", "\"a\rb\""),
        ("a\nb", "\"a\nb\""),
        (" lead", "\" lead\""),
        ("trail ", "\"trail \""),
        ("\ttab", "\"\ttab\""),
        ("in\tside", "in\tside"),
        ("back\\slash", "back\\slash"),
        ("åäö €", "åäö €"),
        ("\"", "\"\"\"\""),
    ];
    for (input, want) in table {
        assert_eq!(s(input), want, "writing {input:?}");
        assert_eq!(from_str::<String>(want).unwrap(), input, "reading {want:?}");
    }
}

#[test]
fn doubled_quotes_and_no_backslash_escapes() {
    assert_eq!(
        from_str::<String>(r#""say ""hi""""#).unwrap(),
        r#"say "hi""#
    );
    assert_eq!(from_str::<String>(r#""a\nb""#).unwrap(), r"a\nb");
    assert!(from_str::<String>(r#""open"#).is_err());
}

#[test]
fn empty_string_vs_missing() {
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct T {
        a: Option<String>,
        b: Option<String>,
    }
    let t = T {
        a: Some(String::new()),
        b: None,
    };
    assert_eq!(to_string(&t).unwrap(), r#"{a:""}"#);
    assert_eq!(from_str::<T>(r#"{a:""}"#).unwrap(), t);
    // An empty bare value is None for an Option, "" for a String.
    assert_eq!(from_str::<T>("{a:,b:}").unwrap(), T { a: None, b: None });
    assert_eq!(from_str::<String>("").unwrap(), "");
}

#[test]
fn booleans() {
    assert_eq!(to_string(&true).unwrap(), "True");
    assert_eq!(to_string(&false).unwrap(), "False");
    for (text, want) in [
        ("True", true),
        ("true", true),
        ("TRUE", true),
        ("False", false),
    ] {
        assert_eq!(from_str::<bool>(text).unwrap(), want);
    }
    assert!(!from_str::<bool>(" false ").unwrap());
    assert!(from_str::<bool>("yes").is_err());
}

#[test]
fn numbers() {
    assert_eq!(to_string(&-42i64).unwrap(), "-42");
    assert_eq!(to_string(&u64::MAX).unwrap(), "18446744073709551615");
    assert_eq!(to_string(&0.1f64).unwrap(), "0.1");
    assert_eq!(to_string(&1.0f64).unwrap(), "1.0");
    assert_eq!(to_string(&1e300f64).unwrap(), "1e300");
    assert_eq!(from_str::<i32>("-7").unwrap(), -7);
    assert_eq!(from_str::<f64>("2.5").unwrap(), 2.5);
    assert_eq!(from_str::<f64>("\"3\"").unwrap(), 3.0);
    assert!(from_str::<u8>("256").is_err());
    assert!(from_str::<i32>("1.5").is_err());
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
enum Color {
    Red,
    #[serde(rename = "DarkBlue")]
    Blue,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Inner {
    #[serde(rename = "Id")]
    id: i32,
    #[serde(rename = "Tags", default)]
    tags: Vec<String>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Outer {
    name: String,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    items: Vec<Inner>,
    color: Color,
    nick: Option<String>,
    extra: BTreeMap<String, String>,
    flag: bool,
}

fn outer() -> Outer {
    Outer {
        name: "A, B".into(),
        items: vec![
            Inner {
                id: 1,
                tags: vec!["x".into(), "y z".into()],
            },
            Inner {
                id: 2,
                tags: vec![],
            },
        ],
        color: Color::Blue,
        nick: None,
        extra: [("k:1".to_string(), "v".to_string())].into(),
        flag: true,
    }
}

const OUTER: &str = r#"{Name:"A, B",Items:[{Id:1,Tags:[x,y z]},{Id:2,Tags:[]}],Color:DarkBlue,Extra:{"k:1":v},Flag:True}"#;

#[test]
fn nested_struct_compact() {
    assert_eq!(to_string(&outer()).unwrap(), OUTER);
    assert_eq!(from_str::<Outer>(OUTER).unwrap(), outer());
    assert_eq!(to_vec(&outer()).unwrap(), OUTER.as_bytes());
    assert_eq!(from_slice::<Outer>(OUTER.as_bytes()).unwrap(), outer());
}

#[test]
fn whitespace_and_quoted_keys_tolerated() {
    let text = "\n{ \"Name\" : \"A, B\" ,\r\n\tItems: [ { \"Id\": 1, Tags: [ x , \"y z\" ] } ,\n\
                { Id : 2 } ] ,Color : \"DarkBlue\",\n Extra: { \"k:1\" : v },Flag: true\n}\n  ";
    assert_eq!(from_str::<Outer>(text).unwrap(), outer());
}

#[test]
fn unknown_members_skipped_whole() {
    let text = r#"{Id:5,Junk:{A:[1,{B:"x,}]"},[]],C:},More:[[],[{}],,],Tags:[a],Last:"q"}"#;
    assert_eq!(
        from_str::<Inner>(text).unwrap(),
        Inner {
            id: 5,
            tags: vec!["a".into()]
        }
    );
}

#[test]
fn missing_option_and_default() {
    let o: Outer = from_str("{Name:n,Color:Red,Extra:{},Flag:False}").unwrap();
    assert_eq!(o.nick, None);
    assert!(o.items.is_empty());
    assert!(from_str::<Outer>("{Color:Red}").is_err());
}

#[test]
fn none_in_lists() {
    let cases: [(Vec<Option<i32>>, &str); 5] = [
        (vec![], "[]"),
        (vec![None], "[,]"),
        (vec![None, None], "[,,]"),
        (vec![Some(1), None], "[1,,]"),
        (vec![None, Some(1)], "[,1]"),
    ];
    for (v, text) in cases {
        assert_eq!(to_string(&v).unwrap(), text);
        assert_eq!(from_str::<Vec<Option<i32>>>(text).unwrap(), v, "{text}");
    }
    // A tolerated trailing comma after a value.
    assert_eq!(from_str::<Vec<i32>>("[1,2,]").unwrap(), vec![1, 2]);
    // A null map value is left out, like a struct member.
    let m: BTreeMap<&str, Option<i32>> = [("a", None), ("b", Some(2))].into();
    assert_eq!(to_string(&m).unwrap(), "{b:2}");
}

#[test]
fn newtype_tuple_and_enum_variants() {
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Id(String);
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    enum E {
        U,
        N(i32),
        T(i32, String),
        S { a: bool },
    }
    assert_eq!(to_string(&Id("x".into())).unwrap(), "x");
    assert_eq!(from_str::<Id>("x").unwrap(), Id("x".into()));
    let all = vec![E::U, E::N(3), E::T(1, "a b".into()), E::S { a: true }];
    let text = to_string(&all).unwrap();
    assert_eq!(text, "[U,{N:3},{T:[1,a b]},{S:{a:True}}]");
    assert_eq!(from_str::<Vec<E>>(&text).unwrap(), all);
    assert_eq!(from_str::<(i32, String)>("[1,x]").unwrap(), (1, "x".into()));
    assert!(from_str::<(i32, String)>("[1,x,y]").is_err());
    assert!(from_str::<Color>("Green").is_err());
}

#[test]
fn guids_are_strings() {
    let id = "8a5b2c4e-0000-4000-8000-00000000000a";
    assert_eq!(to_string(id).unwrap(), id);
    assert_eq!(
        from_str::<String>("8a5b2c4e000040008000000000000000")
            .unwrap()
            .len(),
        32
    );
}

#[test]
fn json_value_both_ways() {
    let v = serde_json::json!({"A": "x", "B": [true, "", null], "C": {"D": 1.5}, "E": null});
    let text = to_string(&v).unwrap();
    assert_eq!(text, r#"{A:x,B:[True,"",,],C:{D:1.5}}"#);
    let back: serde_json::Value = from_str(&text).unwrap();
    // Numbers come back as strings: JSV does not mark them.
    let want = serde_json::json!({"A": "x", "B": [true, "", null], "C": {"D": "1.5"}});
    assert_eq!(back, want);
}

#[test]
fn string_target_takes_raw_compound_text() {
    #[derive(Deserialize)]
    struct T {
        a: String,
    }
    let t: T = from_str("{a:{b:[1, 2]}}").unwrap();
    assert_eq!(t.a, "{b:[1, 2]}");
}

#[test]
fn hostile_input() {
    let deep = "[".repeat(10_000);
    assert!(from_str::<serde_json::Value>(&deep).is_err());
    let deep_ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert!(from_str::<serde_json::Value>(&deep_ok).is_ok());
    let too_deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
    assert!(from_str::<serde_json::Value>(&too_deep).is_err());
    // The skipping path is bounded too.
    let skip = format!("{{Id:1,X:{}}}", "{A:".repeat(10_000));
    assert!(from_str::<Inner>(&skip).is_err());
    let many = format!("[{}]", ",".repeat(MAX_ITEMS + 1));
    assert!(from_str::<Vec<Option<u8>>>(&many).is_err());
    assert!(from_slice::<String>(b"\xff\xfe").is_err());
    let e = from_str::<Vec<i32>>("[1,2] x").unwrap_err();
    assert_eq!(e.offset(), Some(6));
    assert!(from_str::<Inner>("{Id:1}}").is_err());
}

#[test]
fn writer_depth_bounded() {
    let mut v = serde_json::Value::Null;
    for _ in 0..MAX_DEPTH + 1 {
        v = serde_json::Value::Array(vec![v]);
    }
    assert!(to_string(&v).is_err());
}

#[test]
fn error_message_is_short() {
    let long = "x".repeat(10_000);
    let e = from_str::<Color>(&long).unwrap_err();
    assert!(e.to_string().len() < 200, "{e}");
    assert_eq!(e.offset(), Some(0));
}
