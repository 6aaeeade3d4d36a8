//! How Vehizen DTOs meet DataContract XML, whatever the DTO: the
//! namespaces, the prefixes .NET picks, member tables (for each member its
//! XML name, how to write it and how to read it) and list members. The
//! tables themselves are in `xml.rs` (the group) and `xml_vehicle.rs`
//! (vehicles and their external interfaces).

use crate::unified::{Field, Num};
use crate::xml::read::parse_bool;
use crate::xml::{Child, UnknownPaths, XmlError, XmlReader, XmlWriter};

pub const NS_GROUP: &str =
    "http://schemas.datacontract.org/2004/07/Vehizen.Domain.Dto.CustomerGroup";
pub const NS_DTO: &str = "http://schemas.datacontract.org/2004/07/Vehizen.Domain.Dto";
pub const NS_EXT: &str =
    "http://schemas.datacontract.org/2004/07/Vehizen.Domain.Dto.ExternalInterface";

/// The prefixes .NET picks (`d{depth}p1`), which depend on where the group
/// sits: the document root, or inside `ResponseDto.Data`.
pub struct Prefixes {
    /// Prefix (with `:`) of the group's members.
    pub group: &'static str,
    /// `Vehicles`' namespace declaration and its items' prefix.
    pub veh_decl: &'static str,
    pub veh: &'static str,
    /// `ExternalInterfaces`' namespace declaration and its items' prefix.
    pub ext_decl: &'static str,
    pub ext: &'static str,
}

pub type WriteFn<T> = fn(&mut XmlWriter, &Prefixes, &T);
pub type ReadFn<T> = for<'a> fn(
    &mut XmlReader<'a>,
    &Child<'a>,
    &Prefixes,
    &mut T,
    &mut UnknownPaths,
) -> Result<(), XmlError>;

pub struct Member<T> {
    pub name: &'static str,
    pub write: WriteFn<T>,
    pub read: ReadFn<T>,
}

pub fn read_str<'a>(r: &mut XmlReader<'a>, el: &Child<'a>) -> Result<Field<String>, XmlError> {
    Ok(r.field_text(el)?.map(|t| t.into_owned()))
}

pub fn read_num<'a>(r: &mut XmlReader<'a>, el: &Child<'a>) -> Result<Field<Num>, XmlError> {
    r.field_parsed(el, "number", Num::parse)
}

pub fn read_bool<'a>(r: &mut XmlReader<'a>, el: &Child<'a>) -> Result<Field<bool>, XmlError> {
    r.field_parsed(el, "boolean", parse_bool)
}

/// One table entry. `$p` picks the member prefix from [`Prefixes`].
macro_rules! member {
    ($p:ident, $name:literal, $f:ident, str) => {
        $crate::backends::vehizen::xml_members::Member {
            name: $name,
            write: |w, p, v| w.str_field(p.$p, $name, &v.$f),
            read: |r, el, _, v, _| {
                v.$f = $crate::backends::vehizen::xml_members::read_str(r, el)?;
                Ok(())
            },
        }
    };
    ($p:ident, $name:literal, $f:ident, num) => {
        $crate::backends::vehizen::xml_members::Member {
            name: $name,
            write: |w, p, v| w.num_field(p.$p, $name, &v.$f),
            read: |r, el, _, v, _| {
                v.$f = $crate::backends::vehizen::xml_members::read_num(r, el)?;
                Ok(())
            },
        }
    };
    ($p:ident, $name:literal, $f:ident, bool) => {
        $crate::backends::vehizen::xml_members::Member {
            name: $name,
            write: |w, p, v| w.bool_field(p.$p, $name, &v.$f),
            read: |r, el, _, v, _| {
                v.$f = $crate::backends::vehizen::xml_members::read_bool(r, el)?;
                Ok(())
            },
        }
    };
    ($p:ident, $name:literal, $f:ident, enum $t:ident) => {
        $crate::backends::vehizen::xml_members::Member {
            name: $name,
            write: |w, p, v| w.field(p.$p, $name, v.$f.as_ref(), |w, e| w.text(&$t.xml_text(e))),
            read: |r, el, _, v, _| {
                v.$f = r.field_text(el)?.map(|t| $t.from_xml_text(&t));
                Ok(())
            },
        }
    };
}
pub(super) use member;

/// Writes every member of `v` in table order.
pub fn write_members<T>(w: &mut XmlWriter, p: &Prefixes, members: &[Member<T>], v: &T) {
    for m in members {
        (m.write)(w, p, v);
    }
}

/// Reads the members of `parent` in any order (the canonical order is the
/// fast path); unknown elements are skipped and reported.
pub fn read_members<'a, T: Default>(
    r: &mut XmlReader<'a>,
    parent: &Child<'a>,
    ns: &str,
    p: &Prefixes,
    members: &[Member<T>],
    u: &mut UnknownPaths,
) -> Result<T, XmlError> {
    let mut v = T::default();
    let mut next = 0;
    while let Some(el) = r.next_child(parent, ns)? {
        let name = el.name();
        let found = match members.get(next) {
            Some(m) if m.name.as_bytes() == name => Some(next),
            _ => members.iter().position(|m| m.name.as_bytes() == name),
        };
        match found {
            Some(i) => {
                (members[i].read)(r, &el, p, &mut v, u)?;
                next = i + 1;
            }
            None => {
                u.report(&el.report_name());
                r.skip(&el)?;
            }
        }
    }
    Ok(v)
}

/// Panics unless the members are in ordinal (name) order, as the .NET
/// reader wants each group of a table.
#[cfg(test)]
pub fn assert_ordinal<T>(members: &[Member<T>]) {
    for pair in members.windows(2) {
        assert!(
            pair[0].name.as_bytes() < pair[1].name.as_bytes(),
            "{} must come before {}",
            pair[1].name,
            pair[0].name
        );
    }
}

/// A list member: absent, `i:nil`, `<X decl />` when empty, else the items.
pub fn write_list<T>(
    w: &mut XmlWriter,
    (p, name, decl): (&str, &str, &str),
    list: &Field<Vec<T>>,
    mut item: impl FnMut(&mut XmlWriter, &T),
) {
    match list {
        Field::Absent => {}
        Field::Null => w.nil(p, name),
        Field::Value(v) if v.is_empty() => w.empty(p, name, decl),
        Field::Value(v) => {
            w.start(p, name, decl);
            v.iter().for_each(|x| item(w, x));
            w.end(p, name);
        }
    }
}

/// Reads a list member whose items are `item_name` in `item_ns`.
pub fn read_list<'a, T>(
    r: &mut XmlReader<'a>,
    el: &Child<'a>,
    (item_ns, item_name, member): (&str, &str, &'static str),
    u: &mut UnknownPaths,
    mut item: impl FnMut(&mut XmlReader<'a>, &Child<'a>, &mut UnknownPaths) -> Result<T, XmlError>,
) -> Result<Field<Vec<T>>, XmlError> {
    if el.nil {
        r.skip(el)?;
        return Ok(Field::Null);
    }
    let mut out = Vec::new();
    u.push_name(member);
    while let Some(it) = r.next_item(el, item_ns, out.len())? {
        if it.name() != item_name.as_bytes() || it.nil {
            u.report(&it.report_name());
            r.skip(&it)?;
            continue;
        }
        u.push_index(out.len());
        out.push(item(r, &it, u)?);
        u.pop();
    }
    u.pop();
    Ok(Field::Value(out))
}
