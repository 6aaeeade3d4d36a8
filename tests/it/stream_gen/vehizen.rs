//! Vehizen customer groups: the docs' PUT sample (every member) with each
//! member kept, dropped, nulled or given a random value of its type, and
//! its lists grown and shrunk; as JSON, and as XML through the gateway's
//! own encoder.

use crossdock::backends::vehizen::sim::fixtures::PUT_REQUEST_JSON;
use crossdock::backends::vehizen::{decode_group, encode_group, Format};

use super::json::{self, J};
use super::Rng;

/// Members that hold enums: a code or a name, never a float.
const ENUMS: &[&str] = &["CameraType", "VehicleState", "State", "MalfunctionLevel"];

fn text(rng: &mut Rng, xml: bool) -> String {
    const CHARS: &[char] = &[
        'a', 'Z', '0', ' ', '<', '>', '&', '"', '\'', 'é', '€', '😀', '\t', '\n', '\\', '/', ']',
    ];
    if rng.chance(200) {
        return "2026-04-20T07:30:04.1142082+00:00".into();
    }
    let mut s: String = (0..rng.below(12)).map(|_| *rng.pick(CHARS)).collect();
    if !xml && rng.chance(100) {
        s.push('\u{1}');
    }
    s
}

fn number(rng: &mut Rng) -> String {
    match rng.below(5) {
        0 => (rng.next() as i64).to_string(),
        1 => rng.next().to_string(),
        2 => rng.below(100).to_string(),
        3 => {
            let f = (rng.next() as i64 as f64) / 10f64.powi(rng.below(20) as i32);
            serde_json::to_string(&f).unwrap()
        }
        _ => (*rng.pick(&["1.1", "1.5e-5", "-2.5", "0.0001", "1e20"])).to_owned(),
    }
}

fn randomize(j: &mut J, name: &str, rng: &mut Rng, xml: bool) {
    match j {
        J::Obj(members) => {
            let mut kept = Vec::new();
            for (k, mut v) in members.drain(..) {
                match rng.below(10) {
                    0 => {}
                    1 => kept.push((k, J::Null)),
                    _ => {
                        randomize(&mut v, &k, rng, xml);
                        kept.push((k, v));
                    }
                }
            }
            *members = kept;
        }
        J::Arr(items) => {
            if let Some(first) = items.first().cloned() {
                let n = rng.below(4);
                *items = (0..n)
                    .map(|_| {
                        let mut x = first.clone();
                        randomize(&mut x, name, rng, xml);
                        x
                    })
                    .collect();
            }
        }
        J::Str(s) => *s = text(rng, xml),
        J::Num(n) => {
            *n = if ENUMS.contains(&name) {
                rng.below(3).to_string()
            } else {
                number(rng)
            };
        }
        J::Bool(b) => *b = rng.chance(500),
        J::Null => {}
    }
    if ENUMS.contains(&name) && rng.chance(300) {
        *j = J::Str((*rng.pick(&["Active", "Null", "WITHOUT_CAMERA", "Parked"])).to_owned());
    }
}

/// A random group as the vendor's JSON tree.
pub fn group(rng: &mut Rng, xml: bool) -> J {
    let mut j = json::parse(PUT_REQUEST_JSON.as_bytes());
    randomize(&mut j, "", rng, xml);
    j
}

/// A random group as DataContract XML (the gateway's own encoding of it).
pub fn group_xml(rng: &mut Rng) -> Vec<u8> {
    let j = group(rng, true);
    let text = json::print(&j, rng, false);
    let dto = decode_group(Format::Json, text.as_bytes())
        .expect("a random group reads")
        .value;
    encode_group(Format::Xml, &dto)
}
