//! An XML tree (raw, already-escaped text kept as written), its printer and
//! a mutator: reordered, dropped, repeated and unknown members, `i:nil`,
//! comments, references and CDATA in text, renamed and redeclared
//! prefixes, unknown namespaces, bad values; and byte-level breakage.

use quick_xml::events::Event;
use quick_xml::Reader;

use super::Rng;

#[derive(Debug, Clone)]
pub enum X {
    El(El),
    /// Raw text, as it goes into the document.
    Text(String),
}

#[derive(Debug, Clone)]
pub struct El {
    pub name: String,
    /// Raw attributes (value as written between the quotes).
    pub attrs: Vec<(String, String)>,
    pub kids: Vec<X>,
}

impl El {
    fn prefix(&self) -> Option<&str> {
        self.name.split_once(':').map(|(p, _)| p)
    }
}

/// The root element of a document written by the gateway's own encoder.
pub fn parse(bytes: &[u8]) -> El {
    let mut r = Reader::from_reader(bytes);
    let mut stack: Vec<El> = Vec::new();
    loop {
        let ev = r.read_event().expect("own XML parses");
        match ev {
            Event::Start(s) => stack.push(element(&s)),
            Event::Empty(s) => {
                let el = element(&s);
                match stack.last_mut() {
                    Some(p) => p.kids.push(X::El(el)),
                    None => return el,
                }
            }
            Event::End(_) => {
                let el = stack.pop().expect("balanced");
                match stack.last_mut() {
                    Some(p) => p.kids.push(X::El(el)),
                    None => return el,
                }
            }
            Event::Text(t) => {
                if let Some(p) = stack.last_mut() {
                    p.kids
                        .push(X::Text(String::from_utf8(t.to_vec()).expect("utf-8")));
                }
            }
            Event::GeneralRef(g) => {
                if let Some(p) = stack.last_mut() {
                    let name = String::from_utf8(g.to_vec()).expect("utf-8");
                    p.kids.push(X::Text(format!("&{name};")));
                }
            }
            Event::Eof => panic!("no root"),
            _ => {}
        }
    }
}

fn element(s: &quick_xml::events::BytesStart<'_>) -> El {
    El {
        name: String::from_utf8(s.name().as_ref().to_vec()).expect("utf-8"),
        attrs: s
            .attributes()
            .map(|a| {
                let a = a.expect("attribute");
                (
                    String::from_utf8(a.key.as_ref().to_vec()).expect("utf-8"),
                    String::from_utf8(a.value.to_vec()).expect("utf-8"),
                )
            })
            .collect(),
        kids: Vec::new(),
    }
}

pub fn print(el: &El, rng: &mut Rng, fancy: bool) -> String {
    let mut out = String::new();
    write(&mut out, el, rng, fancy);
    out
}

fn write(out: &mut String, el: &El, rng: &mut Rng, fancy: bool) {
    out.push('<');
    out.push_str(&el.name);
    for (k, v) in &el.attrs {
        out.push(' ');
        out.push_str(k);
        out.push_str("=\"");
        out.push_str(v);
        out.push('"');
    }
    if el.kids.is_empty() && !(fancy && rng.chance(300)) {
        out.push_str(" />");
        return;
    }
    out.push('>');
    for k in &el.kids {
        match k {
            X::El(c) => write(out, c, rng, fancy),
            X::Text(t) => out.push_str(t),
        }
    }
    out.push_str("</");
    out.push_str(&el.name);
    out.push('>');
}

/// Text that reads as `t` but is written with references or CDATA.
fn respell(t: &str, rng: &mut Rng) -> String {
    let mut out = String::new();
    for c in t.chars() {
        match rng.below(8) {
            0 => out.push_str(&format!("&#{};", u32::from(c))),
            1 => out.push_str(&format!("&#x{:X};", u32::from(c))),
            2 if !matches!(c, ']' | '>') => out.push_str(&format!("<![CDATA[{c}]]>")),
            3 => out.push_str("<!-- c -->"),
            _ => match c {
                '<' => out.push_str("&lt;"),
                '&' => out.push_str("&amp;"),
                '>' => out.push_str(if rng.chance(500) { "&gt;" } else { ">" }),
                _ => out.push(c),
            },
        }
    }
    out
}

/// Raw text of an element's value, when it is just text.
fn text_of(el: &El) -> Option<String> {
    match el.kids.as_slice() {
        [] => Some(String::new()),
        [X::Text(t)] => Some(t.clone()),
        _ => None,
    }
}

/// Values the readers must read alike, or refuse alike.
const VALUES: &[&str] = &[
    " 12 ",
    "-0",
    "1.0",
    "1E+20",
    "1.5E-05",
    "NaN",
    "INF",
    "true",
    "1",
    "0",
    " false ",
    "yes",
    "+3",
    "07",
    "Active",
    "9223372036854775808",
    "",
    "x&amp;y",
    "&#0;",
    "&#xD;",
    "&#x1F600;",
    "&lt;a&gt;",
    "&unknown;",
];

pub fn mutate(el: &mut El, rng: &mut Rng, rate: u64, depth: usize) {
    // Children first.
    for k in el.kids.iter_mut() {
        if let X::El(c) = k {
            mutate(c, rng, rate, depth + 1);
        }
    }
    let elements: Vec<usize> = (0..el.kids.len())
        .filter(|i| matches!(el.kids[*i], X::El(_)))
        .collect();
    if let Some(t) = text_of(el) {
        if !t.is_empty() && rng.chance(rate) {
            el.kids = vec![X::Text(respell(&t, rng))];
        } else if rng.chance(rate / 2) {
            el.kids = vec![X::Text((*rng.pick(VALUES)).to_owned())];
        }
    }
    if elements.len() > 1 && rng.chance(rate) {
        let mut els: Vec<X> = el
            .kids
            .drain(..)
            .filter(|k| matches!(k, X::El(_)))
            .collect();
        rng.shuffle(&mut els);
        el.kids = els;
    }
    if !el.kids.is_empty() && rng.chance(rate) {
        let i = rng.below(el.kids.len());
        if matches!(el.kids[i], X::El(_)) {
            el.kids.remove(i);
        }
    }
    if !el.kids.is_empty() && rng.chance(rate / 2) {
        let i = rng.below(el.kids.len());
        if matches!(el.kids[i], X::El(_)) {
            let dup = el.kids[i].clone();
            el.kids.insert(i, dup);
        }
    }
    if depth > 0 && rng.chance(rate) {
        // An unknown member, in the siblings' namespace or another one.
        let prefix = el
            .kids
            .iter()
            .find_map(|k| match k {
                X::El(c) => c.prefix().map(str::to_owned),
                X::Text(_) => None,
            })
            .map(|p| format!("{p}:"))
            .unwrap_or_default();
        let name = match rng.below(4) {
            0 => "Unknown".to_owned(),
            1 => format!("{prefix}Unknown"),
            2 => format!("{prefix}Nested"),
            _ => "u:Other".to_owned(),
        };
        let mut attrs = Vec::new();
        if name.starts_with("u:") {
            attrs.push(("xmlns:u".to_owned(), "urn:other".to_owned()));
        }
        let kids = if name.ends_with("Nested") {
            vec![X::El(El {
                name: format!("{prefix}Inner"),
                attrs: vec![],
                kids: vec![X::Text("x".into())],
            })]
        } else {
            vec![X::Text("v".into())]
        };
        let at = rng.below(el.kids.len() + 1);
        el.kids.insert(at, X::El(El { name, attrs, kids }));
    }
    if rng.chance(rate / 2) {
        let at = rng.below(el.kids.len() + 1);
        let filler = rng.pick(&[
            "\n  ",
            "<!-- note -->",
            "<?pi x?>",
            "text",
            "&amp;",
            "<![CDATA[ ]]>",
        ]);
        el.kids.insert(at, X::Text((*filler).to_owned()));
    }
    if depth > 0 && rng.chance(rate / 2) {
        let nil = rng.pick(&["true", "1", "false", " true "]);
        el.attrs.push(("i:nil".into(), (*nil).to_owned()));
    }
    if rng.chance(rate / 4) {
        let (k, v) = rng
            .pick(&[
                ("foo", "1"),
                ("i:type", "d9:Nothing"),
                ("i:type", "i:string"),
                ("q:x", "1"),
                ("xmlns:", "urn:x"),
                ("xmlns:x", ""),
                ("xmlns:xml", "urn:x"),
                ("xmlns", "urn:other"),
                ("i:foo", "&bad;"),
            ])
            .to_owned();
        el.attrs.push((k.to_owned(), v.to_owned()));
    }
    if rng.chance(rate / 2) {
        rename_prefix(el, rng);
    }
}

/// Declares the namespace of one of `el`'s prefixes under a new prefix on
/// `el` and renames the prefix in its subtree.
fn rename_prefix(el: &mut El, rng: &mut Rng) {
    let Some((key, uri)) = el
        .attrs
        .iter()
        .find(|(k, _)| k.starts_with("xmlns:"))
        .cloned()
    else {
        return;
    };
    let old = key["xmlns:".len()..].to_owned();
    let new = (*rng.pick(&["a", "p9", "d2p1", "longer_prefix"])).to_owned();
    if rng.chance(500) {
        // Keep the old declaration too: the same namespace twice.
        el.attrs.push((format!("xmlns:{new}"), uri));
    } else {
        for (k, _) in el.attrs.iter_mut() {
            if *k == key {
                *k = format!("xmlns:{new}");
            }
        }
    }
    rename(el, &old, &new);
}

fn rename(el: &mut El, old: &str, new: &str) {
    if let Some(rest) = el.name.strip_prefix(&format!("{old}:")) {
        el.name = format!("{new}:{rest}");
    }
    for k in el.kids.iter_mut() {
        if let X::El(c) = k {
            // A child that redeclares the prefix keeps its own.
            if !c.attrs.iter().any(|(k, _)| *k == format!("xmlns:{old}")) {
                rename(c, old, new);
            }
        }
    }
}

/// Byte-level breakage: a few bytes flipped, dropped or inserted, a BOM, a
/// declaration, a DOCTYPE, trailing content.
pub fn break_bytes(b: &mut Vec<u8>, rng: &mut Rng, rate: u64) {
    if b.is_empty() || rate == 0 {
        return;
    }
    for _ in 0..3 {
        if rng.chance(rate) {
            let i = rng.below(b.len());
            match rng.below(3) {
                0 => b[i] = *rng.pick(b"<>&\"'\0\x01\xff\xc3/ =:;x"),
                1 => {
                    b.remove(i);
                }
                _ => b.insert(i, *rng.pick(b"<>&\"\n ]")),
            }
        }
    }
    if rng.chance(rate / 2) {
        let mut head = rng
            .pick(&[
                &b"\xEF\xBB\xBF"[..],
                b"<?xml version=\"1.0\" encoding=\"utf-8\"?>",
                b"<?xml version=\"1.0\" encoding=\"utf-16\"?>",
                b"<!DOCTYPE x [<!ENTITY e \"boom\">]>",
                b"  \n",
            ])
            .to_vec();
        head.append(b);
        *b = head;
    }
    if rng.chance(rate / 2) {
        let tail: &[&[u8]] = &[b" ", b"<!-- end -->", b"x", b"<a/>", b"\0"];
        let tail: &&[u8] = rng.pick(tail);
        b.extend_from_slice(tail);
    }
}
