//! What a streaming read knows of an object: each vendor member's name,
//! the kind of its value and the slot it fills; and the unified members in
//! their order, each from a slot (or a few slots folded into one object).
//!
//! A member's value is written as unified JSON into the object's buffer as
//! it is read, in the vendor's order; when the object ends, its members are
//! copied out in the unified order. Buffers are reused per nesting level,
//! so a document costs a handful of allocations, not one per field.

/// The kind of a member's value, and so how it is read and written.
#[derive(Debug)]
pub enum Kind {
    /// Text (the unified `String`, `Guid`, `Timestamp`, text ids).
    Str,
    /// Any number, keeping its kind (`Num`).
    Num,
    /// A 64-bit integer (`i64`).
    Int,
    Bool,
    /// An enum: a name, or a code (a code with a name in the table is
    /// written as that name).
    Enum(&'static [(i64, &'static str)]),
    /// Fleet-admin's stringified JSON object, written as the object.
    Labels,
    /// A list of text.
    StrList,
    /// A list of objects.
    List(&'static Shape),
    /// An object.
    Object(&'static Shape),
}

/// One vendor member.
#[derive(Debug)]
pub struct Member {
    /// Its name at the vendor (JSON key, XML local name).
    pub name: &'static str,
    pub kind: Kind,
    /// The slot its value goes to.
    pub slot: u8,
}

/// A member of a table: `m("ID", Kind::Int, 0)`.
pub const fn m(name: &'static str, kind: Kind, slot: u8) -> Member {
    Member { name, kind, slot }
}

/// One unified member, in unified order.
#[derive(Debug)]
pub enum Out {
    /// `"key":` and the slot's value, when the vendor sent it.
    One(&'static str, u8),
    /// `"key":{...}` of the slots listed (each under its own key), when any
    /// of them was sent (an odometer from two vendor members).
    Group(&'static str, &'static [(&'static str, u8)]),
}

/// An object.
#[derive(Debug)]
pub struct Shape {
    /// Vendor members, in the order the vendor usually sends them (the
    /// reader looks at the next one first).
    pub members: &'static [Member],
    /// Unified members, in unified order.
    pub out: &'static [Out],
    /// The number of slots (one past the largest).
    pub slots: usize,
    /// XML only: the namespace of the members (an id of the reader's
    /// namespace table) and, for a list item, its element's local name.
    pub xml: Option<(u8, &'static str)>,
}

impl Shape {
    /// The index of the vendor member `name`, looking at `hint` first.
    pub fn find(&self, hint: usize, name: &[u8]) -> Option<usize> {
        match self.members.get(hint) {
            Some(m) if m.name.as_bytes() == name => Some(hint),
            _ => self.members.iter().position(|m| m.name.as_bytes() == name),
        }
    }
}

const ABSENT: (usize, usize) = (usize::MAX, usize::MAX);

/// The values of one object being read.
#[derive(Debug, Default)]
pub struct Frame {
    /// The values, written one after the other as they are read.
    pub buf: Vec<u8>,
    slots: Vec<(usize, usize)>,
}

impl Frame {
    pub fn is_set(&self, slot: u8) -> bool {
        self.slots
            .get(usize::from(slot))
            .is_some_and(|s| *s != ABSENT)
    }

    /// Slot `slot` holds what was written to `buf` since `start`. A slot
    /// set again holds the last value (XML's rule for a repeated member).
    pub fn set(&mut self, slot: u8, start: usize) {
        let end = self.buf.len();
        if let Some(s) = self.slots.get_mut(usize::from(slot)) {
            *s = (start, end);
        }
    }

    fn get(&self, slot: u8) -> Option<&[u8]> {
        match self.slots.get(usize::from(slot)) {
            Some(&(start, end)) if (start, end) != ABSENT => self.buf.get(start..end),
            _ => None,
        }
    }

    /// Writes the object in unified order to `dest`.
    pub fn emit(&self, shape: &Shape, dest: &mut Vec<u8>) {
        // Room for the values and, roughly, the keys: one growth at most.
        dest.reserve(self.buf.len() + 16 * shape.out.len() + 2);
        dest.push(b'{');
        let mut first = true;
        for o in shape.out {
            match o {
                Out::One(key, slot) => {
                    if let Some(v) = self.get(*slot) {
                        member(dest, &mut first, key, v);
                    }
                }
                Out::Group(key, parts) => {
                    if parts.iter().all(|(_, s)| !self.is_set(*s)) {
                        continue;
                    }
                    key_of(dest, &mut first, key);
                    dest.push(b'{');
                    let mut inner = true;
                    for (k, s) in *parts {
                        if let Some(v) = self.get(*s) {
                            member(dest, &mut inner, k, v);
                        }
                    }
                    dest.push(b'}');
                }
            }
        }
        dest.push(b'}');
    }
}

#[inline]
fn key_of(dest: &mut Vec<u8>, first: &mut bool, key: &str) {
    if !*first {
        dest.push(b',');
    }
    *first = false;
    dest.push(b'"');
    dest.extend_from_slice(key.as_bytes());
    dest.extend_from_slice(b"\":");
}

#[inline]
fn member(dest: &mut Vec<u8>, first: &mut bool, key: &str, value: &[u8]) {
    key_of(dest, first, key);
    dest.extend_from_slice(value);
}

/// Frames for reuse: one per nesting level in use, kept for the document.
#[derive(Debug, Default)]
pub struct Frames(Vec<Frame>);

impl Frames {
    /// An empty frame with `slots` slots, all absent.
    pub fn take(&mut self, slots: usize) -> Frame {
        self.take_sized(slots, 0)
    }

    /// [`Frames::take`] with room for `bytes` of values: a frame grown by
    /// doubling costs a reallocation and a copy each time.
    pub fn take_sized(&mut self, slots: usize, bytes: usize) -> Frame {
        let mut f = self.0.pop().unwrap_or_default();
        f.buf.clear();
        f.buf.reserve(bytes);
        f.slots.clear();
        f.slots.resize(slots, ABSENT);
        f
    }

    pub fn give(&mut self, f: Frame) {
        self.0.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static S: Shape = Shape {
        members: &[],
        out: &[
            Out::One("id", 0),
            Out::Group("odometer", &[("km", 1), ("reportedAt", 2)]),
            Out::One("name", 3),
        ],
        slots: 4,
        xml: None,
    };

    fn emit(values: &[(u8, &str)]) -> String {
        let mut frames = Frames::default();
        let mut f = frames.take(S.slots);
        for (slot, v) in values {
            let start = f.buf.len();
            f.buf.extend_from_slice(v.as_bytes());
            f.set(*slot, start);
        }
        let mut out = Vec::new();
        f.emit(&S, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn unified_order_groups_and_last_value_wins() {
        assert_eq!(emit(&[]), "{}");
        assert_eq!(
            emit(&[(3, "\"n\""), (0, "1"), (2, "null")]),
            r#"{"id":1,"odometer":{"reportedAt":null},"name":"n"}"#
        );
        assert_eq!(emit(&[(1, "5"), (1, "6")]), r#"{"odometer":{"km":6}}"#);
    }
}
