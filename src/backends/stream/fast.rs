//! The JSON driver's fast path: the same reads as [`super::json`]'s
//! visitors, on [`super::scan`]'s tokenizer instead of serde_json's
//! deserializer (no visitor calls, no key copies, strings without escapes
//! copied as they are). It gives up on anything it does not read itself
//! (see [`super::scan`]) and on every error; [`super::json`] then reads
//! the document through serde_json, which decides.

use super::scan::{GiveUp, Res, Scan};
use super::shape::{Frames, Kind, Shape};
use super::text::{write_bool, write_i64, write_str};
use super::unknown::{Seg, Style, Unknown};
use super::ListJson;

/// Nested arrays and objects read before giving up (serde_json's own
/// limit is 128).
const MAX_DEPTH: usize = 100;

struct Fast<'a> {
    s: Scan<'a>,
    text: &'a str,
    frames: Frames,
    unknown: Unknown,
    depth: usize,
}

impl<'a> Fast<'a> {
    fn new(text: &'a str, style: Style) -> Self {
        Fast {
            s: Scan::new(text.as_bytes()),
            text,
            frames: Frames::default(),
            unknown: Unknown::new(style),
            depth: 0,
        }
    }

    fn enter(&mut self) -> Res<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(GiveUp);
        }
        Ok(())
    }

    /// An object of `shape` (after whitespace), written in unified order.
    fn object(&mut self, shape: &'static Shape, out: &mut Vec<u8>) -> Res<()> {
        self.s.eat(b'{')?;
        self.enter()?;
        let mut frame = self.frames.take(shape.slots);
        let mut hint = 0;
        if self.s.peek() == Some(b'}') {
            self.s.i += 1;
        } else {
            loop {
                let key = self.s.string()?;
                if key.escaped {
                    return Err(GiveUp);
                }
                self.s.eat(b':')?;
                match shape.find(hint, self.s.raw(key)) {
                    None => {
                        let name = self.text.get(key.start..key.end).ok_or(GiveUp)?;
                        self.unknown.report(name);
                        self.s.skip(MAX_DEPTH - self.depth)?;
                    }
                    Some(i) => {
                        let m = &shape.members[i];
                        hint = i + 1;
                        if frame.is_set(m.slot) {
                            return Err(GiveUp);
                        }
                        let start = frame.buf.len();
                        self.unknown.push(Seg::Name(m.name));
                        self.value(&m.kind, &mut frame.buf)?;
                        self.unknown.pop();
                        frame.set(m.slot, start);
                    }
                }
                if self.s.closed(b'}')? {
                    break;
                }
            }
        }
        frame.emit(shape, out);
        self.frames.give(frame);
        self.depth -= 1;
        Ok(())
    }

    /// A JSON array (after whitespace), written as read: `item` reads and
    /// writes element `i`; the brackets and commas are copied here.
    fn array(
        &mut self,
        out: &mut Vec<u8>,
        mut item: impl FnMut(&mut Self, &mut Vec<u8>, usize) -> Res<()>,
    ) -> Res<()> {
        self.s.eat(b'[')?;
        out.push(b'[');
        if self.s.peek() == Some(b']') {
            self.s.i += 1;
        } else {
            for i in 0.. {
                if i > 0 {
                    out.push(b',');
                }
                item(self, out, i)?;
                if self.s.closed(b']')? {
                    break;
                }
            }
        }
        out.push(b']');
        Ok(())
    }

    /// A list of objects of `shape` (after whitespace); `items` collects
    /// where each one is.
    fn list(
        &mut self,
        shape: &'static Shape,
        out: &mut Vec<u8>,
        mut items: Option<&mut Vec<(usize, usize)>>,
    ) -> Res<()> {
        self.enter()?;
        self.array(out, |f, out, i| {
            let start = out.len();
            f.unknown.push(Seg::Index(i));
            f.object(shape, out)?;
            f.unknown.pop();
            if let Some(items) = items.as_deref_mut() {
                items.push((start, out.len()));
            }
            Ok(())
        })?;
        self.depth -= 1;
        Ok(())
    }

    /// A member's value (`Field<T>`: null, or a `T` of `kind`).
    fn value(&mut self, kind: &'static Kind, out: &mut Vec<u8>) -> Res<()> {
        if self.s.peek() == Some(b'n') {
            self.s.word(b"null")?;
            out.extend_from_slice(b"null");
            return Ok(());
        }
        match kind {
            Kind::Str => {
                let sp = self.s.string()?;
                self.s.write_string(sp, out)
            }
            Kind::Num => {
                let n = self.s.number()?;
                self.s.write_num(n, out)
            }
            Kind::Int => {
                let n = self.s.number()?;
                if !n.int {
                    return Err(GiveUp);
                }
                self.s.write_num(n, out)
            }
            Kind::Bool => {
                let v = self.s.boolean()?;
                write_bool(out, v);
                Ok(())
            }
            Kind::Enum(table) => {
                if self.s.peek() == Some(b'"') {
                    let sp = self.s.string()?;
                    return self.s.write_string(sp, out);
                }
                let n = self.s.number()?;
                if !n.int {
                    return Err(GiveUp);
                }
                let c = self.s.int_of(n)?;
                match table.iter().find(|(code, _)| *code == c) {
                    Some((_, name)) => write_str(out, name),
                    None => write_i64(out, c),
                }
                Ok(())
            }
            Kind::Labels => {
                let sp = self.s.string()?;
                if sp.escaped {
                    self.s.unescape(sp)?;
                    labels(&self.s.scratch, out)
                } else {
                    labels(self.s.raw(sp), out)
                }
            }
            Kind::StrList => self.array(out, |f, out, _| {
                let sp = f.s.string()?;
                f.s.write_string(sp, out)
            }),
            Kind::List(shape) => {
                self.unknown.push(Seg::Opt);
                self.list(shape, out, None)?;
                self.unknown.pop();
                Ok(())
            }
            Kind::Object(shape) => {
                self.unknown.push(Seg::Opt);
                self.object(shape, out)?;
                self.unknown.pop();
                Ok(())
            }
        }
    }
}

/// Fleet-admin's `Labels` (the unescaped string `text`): a JSON object of
/// scalars, written compact with its members in order.
fn labels(text: &[u8], out: &mut Vec<u8>) -> Res<()> {
    let mut s = Scan::new(text);
    s.eat(b'{')?;
    out.push(b'{');
    if s.peek() == Some(b'}') {
        s.i += 1;
    } else {
        let mut first = true;
        loop {
            if !first {
                out.push(b',');
            }
            first = false;
            let k = s.string()?;
            s.write_string(k, out)?;
            s.eat(b':')?;
            out.push(b':');
            match s.peek().ok_or(GiveUp)? {
                b'"' => {
                    let v = s.string()?;
                    s.write_string(v, out)?;
                }
                b'n' => {
                    s.word(b"null")?;
                    out.extend_from_slice(b"null");
                }
                b't' | b'f' => {
                    let v = s.boolean()?;
                    write_bool(out, v);
                }
                _ => {
                    let n = s.number()?;
                    s.write_num(n, out)?;
                }
            }
            if s.closed(b'}')? {
                break;
            }
        }
    }
    out.push(b'}');
    s.end()
}

/// [`super::json::object`]'s read, or `None` to leave it to serde_json.
pub fn object(
    text: &str,
    shape: &'static Shape,
    style: Style,
    out: &mut Vec<u8>,
) -> Option<Vec<String>> {
    let mut f = Fast::new(text, style);
    f.object(shape, out).ok()?;
    f.s.end().ok()?;
    Some(f.unknown.found)
}

/// [`super::json::list`]'s read, or `None` to leave it to serde_json.
pub fn list(
    text: &str,
    shape: &'static Shape,
    style: Style,
    list: &mut ListJson,
) -> Option<Vec<String>> {
    let mut f = Fast::new(text, style);
    f.list(shape, &mut list.json, Some(&mut list.items)).ok()?;
    f.s.end().ok()?;
    Some(f.unknown.found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backends::fleet_admin::stream::{CATEGORY, VEHICLE};
    use crate::backends::vehizen::stream_json::GROUP;

    /// The bench's documents take the fast path (the agreement with the
    /// typed path is `tests/it/stream_reads.rs`'s).
    #[test]
    fn reads_the_samples_itself() {
        for (doc, shape) in [
            (
                include_str!("../../../tests/fixtures/fleet_admin/tree.json"),
                &CATEGORY,
            ),
            (
                include_str!("../../../tests/fixtures/fleet_admin/vehicles.json"),
                &VEHICLE,
            ),
        ] {
            let mut l = ListJson::default();
            assert!(list(doc, shape, Style::Serde, &mut l).is_some());
        }
        let doc = include_str!("../../../tests/fixtures/vehizen/get.json");
        assert!(object(doc, &GROUP, Style::Plain, &mut Vec::new()).is_some());
    }
}
