//! A JSON tree that keeps member order and repeats, its printer (with
//! random blanks and `\u` escapes) and a mutator that breaks documents in
//! the ways the readers must agree on.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::Rng;

#[derive(Debug, Clone)]
pub enum J {
    Null,
    Bool(bool),
    /// The number's text, printed as it is.
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl<'de> Deserialize<'de> for J {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<J, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = J;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("JSON")
            }
            fn visit_unit<E>(self) -> Result<J, E> {
                Ok(J::Null)
            }
            fn visit_bool<E>(self, v: bool) -> Result<J, E> {
                Ok(J::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<J, E> {
                Ok(J::Num(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<J, E> {
                Ok(J::Num(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<J, E> {
                Ok(J::Num(serde_json::to_string(&v).unwrap()))
            }
            fn visit_str<E>(self, v: &str) -> Result<J, E> {
                Ok(J::Str(v.to_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<J, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = a.next_element()? {
                    v.push(x);
                }
                Ok(J::Arr(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<J, A::Error> {
                let mut v = Vec::new();
                while let Some((k, x)) = a.next_entry()? {
                    v.push((k, x));
                }
                Ok(J::Obj(v))
            }
        }
        d.deserialize_any(V)
    }
}

pub fn parse(bytes: &[u8]) -> J {
    serde_json::from_slice(bytes).expect("generated JSON parses")
}

/// Prints `j`; with `fancy`, blanks between tokens and `\u` escapes in
/// some strings and keys.
pub fn print(j: &J, rng: &mut Rng, fancy: bool) -> String {
    let mut out = String::new();
    write(&mut out, j, rng, fancy);
    out
}

fn blank(out: &mut String, rng: &mut Rng, fancy: bool) {
    if fancy && rng.chance(200) {
        let b: &&str = rng.pick(&[" ", "\n", "\t ", "\r\n  "]);
        out.push_str(b);
    }
}

pub fn write_string(out: &mut String, s: &str, rng: &mut Rng, fancy: bool) {
    if !(fancy && rng.chance(150)) {
        out.push_str(&serde_json::to_string(s).unwrap());
        return;
    }
    // Every character as `\uXXXX` (surrogate pairs beyond the BMP), or
    // some of them.
    let all = rng.chance(500);
    out.push('"');
    for c in s.chars() {
        if all || rng.chance(300) || c < ' ' || c == '"' || c == '\\' {
            let mut buf = [0u16; 2];
            for unit in c.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out.push('"');
}

fn write(out: &mut String, j: &J, rng: &mut Rng, fancy: bool) {
    blank(out, rng, fancy);
    match j {
        J::Null => out.push_str("null"),
        J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        J::Num(n) => out.push_str(n),
        J::Str(s) => write_string(out, s, rng, fancy),
        J::Arr(items) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(out, x, rng, fancy);
            }
            blank(out, rng, fancy);
            out.push(']');
        }
        J::Obj(members) => {
            out.push('{');
            for (i, (k, x)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                blank(out, rng, fancy);
                write_string(out, k, rng, fancy);
                blank(out, rng, fancy);
                out.push(':');
                write(out, x, rng, fancy);
            }
            blank(out, rng, fancy);
            out.push('}');
        }
    }
    blank(out, rng, fancy);
}

/// Numbers the readers must keep exactly, or refuse alike.
pub const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "1.0",
    "-0.0",
    "1E2",
    "1e-7",
    "0.1",
    "12.5e+3",
    "18446744073709551615",
    "18446744073709551616",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "123456789012345678901234567890",
    "1e400",
    "2.2250738585072011e-308",
    "0.30000000000000004",
    "5e-324",
];

/// Text the readers must escape alike.
pub const TEXTS: &[&str] = &[
    "",
    "plain",
    "quote \" and \\ backslash",
    "tab\tnew\nline\r",
    "\u{0}\u{1f}\u{7f}",
    "é€😀",
    "\u{2028}\u{2029}",
    "{\"en\":\"x\"}",
    "<&>",
];

pub fn scalar(rng: &mut Rng) -> J {
    match rng.below(5) {
        0 => J::Null,
        1 => J::Bool(rng.chance(500)),
        2 => J::Num((*rng.pick(NUMBERS)).to_owned()),
        3 => J::Num(rng.below(100).to_string()),
        _ => J::Str((*rng.pick(TEXTS)).to_owned()),
    }
}

/// Any value, nested up to `depth`.
pub fn value(rng: &mut Rng, depth: usize) -> J {
    if depth == 0 || rng.chance(600) {
        return scalar(rng);
    }
    let n = rng.below(3);
    if rng.chance(500) {
        J::Arr((0..n).map(|_| value(rng, depth - 1)).collect())
    } else {
        J::Obj(
            (0..n)
                .map(|i| (format!("x{i}"), value(rng, depth - 1)))
                .collect(),
        )
    }
}

/// Breaks `j` at random: reorders, drops, repeats and adds members, nulls
/// and retypes values, swaps in tricky numbers and text. `rate` is the per
/// mille chance of each change at each place.
pub fn mutate(j: &mut J, rng: &mut Rng, rate: u64) {
    match j {
        J::Obj(members) => {
            for (_, x) in members.iter_mut() {
                mutate(x, rng, rate);
            }
            if rng.chance(rate * 2) {
                rng.shuffle(members);
            }
            if !members.is_empty() && rng.chance(rate) {
                let i = rng.below(members.len());
                members.remove(i);
            }
            if rng.chance(rate) {
                let at = rng.below(members.len() + 1);
                let name = (*rng.pick(&["Unknown", "Extra", "", "id", "Id "])).to_owned();
                members.insert(at, (name, value(rng, 2)));
            }
            if !members.is_empty() && rng.chance(rate / 3) {
                let i = rng.below(members.len());
                let dup = members[i].clone();
                members.push(dup);
            }
            if !members.is_empty() && rng.chance(rate) {
                let i = rng.below(members.len());
                members[i].1 = J::Null;
            }
            if !members.is_empty() && rng.chance(rate / 2) {
                let i = rng.below(members.len());
                members[i].1 = value(rng, 1);
            }
        }
        J::Arr(items) => {
            for x in items.iter_mut() {
                mutate(x, rng, rate);
            }
            if !items.is_empty() && rng.chance(rate) {
                let i = rng.below(items.len());
                items.remove(i);
            }
            if !items.is_empty() && rng.chance(rate) {
                let i = rng.below(items.len());
                let dup = items[i].clone();
                items.insert(i, dup);
            }
            if rng.chance(rate / 3) {
                items.push(scalar(rng));
            }
        }
        J::Str(s) => {
            if rng.chance(rate) {
                *s = (*rng.pick(TEXTS)).to_owned();
            }
        }
        J::Num(n) => {
            if rng.chance(rate) {
                *n = (*rng.pick(NUMBERS)).to_owned();
            }
        }
        J::Null | J::Bool(_) => {}
    }
}

/// A document's bytes, sometimes broken at the byte level too.
pub fn bytes(j: &J, rng: &mut Rng, rate: u64) -> Vec<u8> {
    let mut b = print(j, rng, rate > 0).into_bytes();
    if rate > 0 {
        super::xml::break_bytes(&mut b, rng, rate / 4);
    }
    b
}
