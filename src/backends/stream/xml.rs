//! The XML driver: quick-xml tokenizes; namespaces are resolved from a
//! per-document prefix table; the hardened reader's rules
//! ([`crate::xml::read`]) hold, and anything it would refuse gives up the
//! stream (the typed path then names the error).
//!
//! **Namespaces.** The typed reader (`NsReader`) gets each element's
//! namespace name as bytes and compares it with the wanted one: a 60-70
//! byte comparison per element. Here a namespace name is compared once,
//! when it is declared, against the vendor's short list of known names and
//! kept as a small id; an element's prefix then resolves to that id by a
//! look at the few bindings in scope (prefixes like `d2p1`), and members
//! match by id. Declarations are still scoped per element, as XML wants.
//! Anything unusual gives up the stream: a prefix bound to nothing, an
//! empty or reserved namespace name, the `xml`/`xmlns` prefixes in use,
//! a prefix longer than 16 bytes.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;
use quick_xml::Reader;

use super::shape::{Frames, Kind, Member, Shape};
use super::text::{write_bool, write_i64, write_number, write_str, write_utf8};
use super::unknown::{Seg, Style, Unknown};
use crate::unified::Num;
use crate::xml::read::{check_entity, checked_bytes, is_blank, parse_bool, resolve_ref};
use crate::xml::{MAX_DEPTH, MAX_ITEMS};

/// Namespace id of an element with no prefix and no default namespace.
pub const UNBOUND: u8 = 0;
/// Namespace id of a namespace the vendor's list does not have.
pub const OTHER: u8 = 1;
/// Id of the first namespace of the vendor's list (the next one is +1...).
pub const FIRST: u8 = 2;

const PREFIX_MAX: usize = 16;
const NS_XML: &[u8] = b"http://www.w3.org/XML/1998/namespace";
const NS_XMLNS: &[u8] = b"http://www.w3.org/2000/xmlns/";

/// The stream gives up (the typed path reads the document).
struct Bail;

type R<T> = Result<T, Bail>;

/// A document to read: its root and the namespaces it uses.
pub struct Doc {
    /// Known namespace names: the i-th has id `FIRST + i`.
    pub namespaces: &'static [&'static str],
    /// The id of `http://www.w3.org/2001/XMLSchema-instance`.
    pub xsi: u8,
    /// The root element's local name (in the root shape's namespace).
    pub root: &'static str,
    pub shape: &'static Shape,
}

/// `body` as the unified JSON of `doc`'s root object and the paths of the
/// members it skipped, or `None` when the typed path must read it.
pub fn document(body: &[u8], doc: &Doc) -> Option<(Vec<u8>, Vec<String>)> {
    let body = checked_bytes(body).ok()?;
    let mut x = Xr {
        r: Reader::from_reader(body),
        depth: 0,
        bindings: Vec::new(),
        pending_pop: false,
        doc,
        frames: Frames::default(),
        unknown: Unknown::new(Style::Plain),
        text: Vec::new(),
        reserve: body.len(),
    };
    let mut out = Vec::with_capacity(body.len());
    let root = x.root().ok()?;
    x.object(&root, doc.shape, &mut out).ok()?;
    x.finish().ok()?;
    Some((out, x.unknown.found))
}

/// One prefix (or the default namespace) bound in scope.
struct Binding {
    prefix: [u8; PREFIX_MAX],
    len: usize,
    default: bool,
    ns: u8,
    /// The depth of the element that declared it.
    level: usize,
}

/// An element just opened.
struct El<'a> {
    start: BytesStart<'a>,
    /// Where the local name starts in the name (past `prefix:`), found
    /// once.
    local_at: usize,
    ns: u8,
    empty: bool,
    /// Whether it has a prefixed attribute besides declarations (maybe
    /// `i:nil` or `i:type`).
    attrs: bool,
}

impl El<'_> {
    fn local(&self) -> &[u8] {
        let name = self.start.name().into_inner();
        name.get(self.local_at..).unwrap_or(name)
    }
}

enum Ev<'a> {
    Open(El<'a>),
    Other(Event<'a>),
}

struct Xr<'a, 'd> {
    r: Reader<&'a [u8]>,
    depth: usize,
    bindings: Vec<Binding>,
    /// The last event was an empty element: its bindings go before the
    /// next event.
    pending_pop: bool,
    doc: &'d Doc,
    frames: Frames,
    unknown: Unknown,
    /// Text read in several pieces (references, CDATA), joined.
    text: Vec<u8>,
    /// The room the next new frame gets: the whole document's length for
    /// the root (its JSON is about that size), [`NESTED_RESERVE`] after.
    reserve: usize,
}

/// The room of a nested object's frame (a Vehizen vehicle is about 1.3 KB
/// of JSON); frames are reused, so this is paid once per level.
const NESTED_RESERVE: usize = 2048;

impl<'a> Xr<'a, '_> {
    /// The next event, with the hardened reader's checks, every element's
    /// namespace declarations taken into scope and its name resolved.
    fn next(&mut self) -> R<Ev<'a>> {
        if self.pending_pop {
            self.pending_pop = false;
            self.pop_above(self.depth);
        }
        let ev = self.r.read_event().map_err(|_| Bail)?;
        Ok(match ev {
            Event::Start(s) => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(Bail);
                }
                Ev::Open(self.open(s, self.depth, false)?)
            }
            Event::Empty(s) => {
                self.pending_pop = true;
                Ev::Open(self.open(s, self.depth + 1, true)?)
            }
            Event::End(e) => {
                self.pop_above(self.depth.saturating_sub(1));
                self.depth = self.depth.saturating_sub(1);
                Ev::Other(Event::End(e))
            }
            Event::DocType(_) => return Err(Bail),
            Event::GeneralRef(r) => {
                if !r.is_char_ref() {
                    check_entity(&r).map_err(|_| Bail)?;
                }
                Ev::Other(Event::GeneralRef(r))
            }
            Event::Decl(d) => {
                if let Some(enc) = d.encoding() {
                    let enc = enc.map_err(|_| Bail)?;
                    if !enc.eq_ignore_ascii_case(b"utf-8") {
                        return Err(Bail);
                    }
                }
                Ev::Other(Event::Decl(d))
            }
            ev => Ev::Other(ev),
        })
    }

    fn pop_above(&mut self, level: usize) {
        while self.bindings.last().is_some_and(|b| b.level > level) {
            self.bindings.pop();
        }
    }

    /// Takes the element's declarations into scope at `level` and resolves
    /// its name.
    fn open(&mut self, start: BytesStart<'a>, level: usize, empty: bool) -> R<El<'a>> {
        // Most elements have no attribute at all.
        let attrs = !start.attributes_raw().is_empty() && self.declare(&start, level)?;
        // Names are short: a plain scan beats `memchr`'s call.
        let name = start.name().into_inner();
        let colon = name.iter().position(|&b| b == b':');
        let local_at = colon.map_or(0, |i| i + 1);
        let ns = self.resolve_prefix(colon.and_then(|i| name.get(..i)), true)?;
        Ok(El {
            start,
            local_at,
            ns,
            empty,
            attrs,
        })
    }

    /// Binds the element's namespace declarations at `level`; whether it
    /// has other prefixed attributes.
    fn declare(&mut self, start: &BytesStart<'a>, level: usize) -> R<bool> {
        let mut attrs = false;
        for a in start.attributes() {
            let a = a.map_err(|_| Bail)?;
            let key = a.key.into_inner();
            let prefix = match key.strip_prefix(b"xmlns") {
                Some([]) => None,
                Some([b':', p @ ..]) => Some(p),
                _ => {
                    attrs |= key.contains(&b':');
                    continue;
                }
            };
            let ns = self.intern(&a.value)?;
            let mut b = Binding {
                prefix: [0; PREFIX_MAX],
                len: 0,
                default: prefix.is_none(),
                ns,
                level,
            };
            if let Some(p) = prefix {
                if p.is_empty() || p.len() > PREFIX_MAX || p == b"xml" || p == b"xmlns" {
                    return Err(Bail);
                }
                b.prefix[..p.len()].copy_from_slice(p);
                b.len = p.len();
            }
            self.bindings.push(b);
        }
        Ok(attrs)
    }

    /// A declared namespace name as an id.
    fn intern(&self, name: &[u8]) -> R<u8> {
        if name.is_empty() || name == NS_XML || name == NS_XMLNS {
            return Err(Bail);
        }
        Ok(self
            .doc
            .namespaces
            .iter()
            .position(|n| n.as_bytes() == name)
            .and_then(|i| u8::try_from(i).ok())
            .map_or(OTHER, |i| FIRST.saturating_add(i)))
    }

    /// The namespace id of a name; an element name without a prefix takes
    /// the default namespace (`element`), an attribute name does not.
    fn resolve(&self, name: QName<'_>, element: bool) -> R<u8> {
        self.resolve_prefix(name.prefix().map(|p| p.into_inner()), element)
    }

    /// [`Xr::resolve`] of a name's prefix.
    fn resolve_prefix(&self, prefix: Option<&[u8]>, element: bool) -> R<u8> {
        match prefix {
            None if !element => Ok(UNBOUND),
            None => Ok(self
                .bindings
                .iter()
                .rev()
                .find(|b| b.default)
                .map_or(UNBOUND, |b| b.ns)),
            Some(p) => self
                .bindings
                .iter()
                .rev()
                .find(|b| !b.default && &b.prefix[..b.len] == p)
                .map(|b| b.ns)
                .ok_or(Bail),
        }
    }

    /// The checks the typed reader makes of a child's attributes, and
    /// whether it is `i:nil="true"`.
    fn child(&self, el: &El<'a>) -> R<bool> {
        if !el.attrs {
            return Ok(false);
        }
        let mut nil = false;
        for a in el.start.attributes() {
            let a = a.map_err(|_| Bail)?;
            if a.key.as_namespace_binding().is_some() || a.key.prefix().is_none() {
                continue;
            }
            if self.resolve(a.key, false)? != self.doc.xsi {
                continue;
            }
            let value = a.unescape_value().map_err(|_| Bail)?;
            match a.key.local_name().into_inner() {
                b"nil" => nil = matches!(value.trim(), "true" | "1"),
                // The type's prefix must be bound (the typed reader
                // resolves it).
                b"type" => {
                    self.resolve(QName(value.as_bytes()), true)?;
                }
                _ => {}
            }
        }
        Ok(nil)
    }

    fn root(&mut self) -> R<El<'a>> {
        let want = self.doc.shape.xml.map_or(UNBOUND, |(ns, _)| ns);
        loop {
            match self.next()? {
                Ev::Open(el) => {
                    if el.ns != want || el.local() != self.doc.root.as_bytes() {
                        return Err(Bail);
                    }
                    self.child(&el)?;
                    return Ok(el);
                }
                Ev::Other(Event::Text(t)) if is_blank(&t) => {}
                Ev::Other(Event::Decl(_) | Event::Comment(_) | Event::PI(_)) => {}
                Ev::Other(_) => return Err(Bail),
            }
        }
    }

    /// After the root: only blanks, comments and PIs.
    fn finish(&mut self) -> R<()> {
        loop {
            match self.next()? {
                Ev::Other(Event::Eof) => return Ok(()),
                Ev::Other(Event::Text(t)) if is_blank(&t) => {}
                Ev::Other(Event::Comment(_) | Event::PI(_)) => {}
                _ => return Err(Bail),
            }
        }
    }

    /// The next child element of an open element, or `None` at its end.
    fn next_child(&mut self) -> R<Option<El<'a>>> {
        loop {
            match self.next()? {
                Ev::Open(el) => return Ok(Some(el)),
                Ev::Other(Event::End(_)) => return Ok(None),
                Ev::Other(Event::Text(t)) if is_blank(&t) => {}
                Ev::Other(Event::Comment(_) | Event::PI(_)) => {}
                Ev::Other(_) => return Err(Bail),
            }
        }
    }

    /// Skips the rest of `el`.
    fn skip(&mut self, el: &El<'a>) -> R<()> {
        if el.empty {
            return Ok(());
        }
        let target = self.depth.saturating_sub(1);
        loop {
            match self.next()? {
                Ev::Other(Event::End(_)) if self.depth == target => return Ok(()),
                Ev::Other(Event::Eof) => return Err(Bail),
                _ => {}
            }
        }
    }

    /// The text of `el` up to its end: the piece itself when it came in
    /// one piece, else `None` and the pieces joined in `self.text`. Text
    /// and CDATA pieces are the document's own bytes, UTF-8 as the whole
    /// document was checked to be (what `decode` would give).
    fn text(&mut self, el: &El<'a>) -> R<Option<Cow<'a, [u8]>>> {
        if el.empty {
            return Ok(Some(Cow::Borrowed(b"")));
        }
        let mut one: Option<Cow<'a, [u8]>> = None;
        let mut many = false;
        loop {
            let piece: Cow<'a, [u8]> = match self.next()? {
                Ev::Other(Event::Text(t)) => t.into_inner(),
                Ev::Other(Event::CData(t)) => t.into_inner(),
                Ev::Other(Event::GeneralRef(r)) => match resolve_ref(&r).map_err(|_| Bail)? {
                    Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
                    Cow::Owned(s) => Cow::Owned(s.into_bytes()),
                },
                Ev::Other(Event::End(_)) => break,
                Ev::Other(Event::Comment(_) | Event::PI(_)) => continue,
                _ => return Err(Bail),
            };
            if many {
                self.text.extend_from_slice(&piece);
            } else if let Some(first) = one.take() {
                self.text.clear();
                self.text.extend_from_slice(&first);
                self.text.extend_from_slice(&piece);
                many = true;
            } else {
                one = Some(piece);
            }
        }
        Ok(if many {
            None
        } else {
            Some(one.unwrap_or(Cow::Borrowed(b"")))
        })
    }

    /// Reads the members of open element `el` as an object of `shape` and
    /// writes it to `out` in unified order.
    fn object(&mut self, el: &El<'a>, shape: &'static Shape, out: &mut Vec<u8>) -> R<()> {
        let ns = shape.xml.map_or(UNBOUND, |(ns, _)| ns);
        let mut frame = self.frames.take_sized(shape.slots, self.reserve);
        self.reserve = NESTED_RESERVE;
        if !el.empty {
            let mut hint = 0;
            while let Some(c) = self.next_child()? {
                let nil = self.child(&c)?;
                let found = if c.ns == ns {
                    shape.find(hint, c.local())
                } else {
                    None
                };
                let Some(i) = found else {
                    self.report(&c)?;
                    self.skip(&c)?;
                    continue;
                };
                let m = &shape.members[i];
                hint = i + 1;
                let start = frame.buf.len();
                self.value(&c, nil, m, &mut frame.buf)?;
                frame.set(m.slot, start);
            }
        }
        frame.emit(shape, out);
        self.frames.give(frame);
        Ok(())
    }

    fn report(&mut self, el: &El<'a>) -> R<()> {
        let name = std::str::from_utf8(el.local()).map_err(|_| Bail)?;
        self.unknown.report(name);
        Ok(())
    }

    /// A member's value: `i:nil` is null, else its text as `m.kind`.
    fn value(&mut self, el: &El<'a>, nil: bool, m: &Member, out: &mut Vec<u8>) -> R<()> {
        if nil {
            self.skip(el)?;
            out.extend_from_slice(b"null");
            return Ok(());
        }
        let kind = match &m.kind {
            Kind::List(item) => {
                self.unknown.push(Seg::Name(m.name));
                self.list(el, item, out)?;
                self.unknown.pop();
                return Ok(());
            }
            k @ (Kind::Str | Kind::Num | Kind::Bool | Kind::Enum(_)) => k,
            // Not in any XML contract read here.
            Kind::Int | Kind::Labels | Kind::StrList | Kind::Object(_) => return Err(Bail),
        };
        let one = self.text(el)?;
        let bytes: &[u8] = match &one {
            Some(t) => t,
            None => &self.text,
        };
        if written_as_is(kind, bytes, out) {
            return Ok(());
        }
        let t = std::str::from_utf8(bytes).map_err(|_| Bail)?;
        match kind {
            Kind::Num => write_number(out, &Num::parse(t).ok_or(Bail)?.0),
            Kind::Bool => write_bool(out, parse_bool(t).ok_or(Bail)?),
            Kind::Enum(table) => match t.parse::<i64>() {
                Ok(c) => match table.iter().find(|(code, _)| *code == c) {
                    Some((_, name)) => write_str(out, name),
                    None => write_i64(out, c),
                },
                Err(_) => write_str(out, t),
            },
            _ => return Err(Bail),
        }
        Ok(())
    }

    /// A list member: items are `shape`'s element in its namespace; other
    /// elements and nil items are skipped and reported.
    fn list(&mut self, el: &El<'a>, shape: &'static Shape, out: &mut Vec<u8>) -> R<()> {
        let (ns, item) = shape.xml.ok_or(Bail)?;
        out.push(b'[');
        let mut count = 0;
        if !el.empty {
            while let Some(it) = self.next_child()? {
                let nil = self.child(&it)?;
                if count >= MAX_ITEMS {
                    return Err(Bail);
                }
                if it.ns != ns || it.local() != item.as_bytes() || nil {
                    self.report(&it)?;
                    self.skip(&it)?;
                    continue;
                }
                if count > 0 {
                    out.push(b',');
                }
                self.unknown.push(Seg::Index(count));
                self.object(&it, shape, out)?;
                self.unknown.pop();
                count += 1;
            }
        }
        out.push(b']');
        Ok(())
    }
}

/// Writes the common values that need no `&str` (so no second UTF-8
/// check of text the whole document was checked for) and no parse: any
/// text, a canonical integer, a bare `true`/`false`/`1`/`0`, an enum name.
/// Whether it wrote the value.
fn written_as_is(kind: &Kind, bytes: &[u8], out: &mut Vec<u8>) -> bool {
    match kind {
        Kind::Str => write_utf8(out, bytes),
        Kind::Num if canonical_int(bytes) => out.extend_from_slice(bytes),
        Kind::Bool => match bytes {
            b"true" | b"1" => write_bool(out, true),
            b"false" | b"0" => write_bool(out, false),
            _ => return false,
        },
        // Not a sign or a digit first: not an `i64`, so a name.
        Kind::Enum(_) if bytes.first().is_some_and(u8::is_ascii_alphabetic) => {
            write_utf8(out, bytes)
        }
        _ => return false,
    }
    true
}

/// Whether `b` is an integer as serde_json writes it (`0`, or an optional
/// `-` and up to 18 digits without a leading zero): `Num::parse` reads it as
/// an `i64` and it is written back as the same bytes.
fn canonical_int(b: &[u8]) -> bool {
    let digits = b.strip_prefix(b"-").unwrap_or(b);
    match digits {
        [b'0'] => b.len() == 1,
        [b'1'..=b'9', rest @ ..] => rest.len() < 18 && rest.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::canonical_int;
    use crate::backends::stream::text::write_number;
    use crate::unified::Num;
    use proptest::prelude::*;

    fn typed(t: &str) -> Option<Vec<u8>> {
        let n = Num::parse(t)?;
        let mut out = Vec::new();
        write_number(&mut out, &n.0);
        Some(out)
    }

    #[test]
    fn canonical_integers() {
        for t in [
            "0",
            "1",
            "-1",
            "42",
            "999999999999999999",
            "-999999999999999999",
        ] {
            assert!(canonical_int(t.as_bytes()), "{t}");
        }
        for t in [
            "",
            "-",
            "-0",
            "00",
            "01",
            "+1",
            " 1",
            "1 ",
            "1.0",
            "1e3",
            "9999999999999999999",
        ] {
            assert!(!canonical_int(t.as_bytes()), "{t}");
        }
    }

    proptest! {
        #[test]
        fn a_canonical_integer_is_written_as_itself(t in "-?[0-9]{1,20}|[-+ 0-9.e]{0,6}") {
            if canonical_int(t.as_bytes()) {
                prop_assert_eq!(typed(&t), Some(t.into_bytes()));
            }
        }
    }
}
