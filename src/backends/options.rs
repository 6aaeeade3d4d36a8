//! Request options a vendor takes from the unified request's query string
//! (`?companyId=`, `?validateVin=`), beside the unified body.
//!
//! Each vendor declares the options it reads ([`super::Vendor::options`]:
//! name and [`OptionKind`]). The API reads the query against every
//! vendor's declarations at once ([`read`]; an option no vendor declares is
//! refused), and hands the same [`QueryOptions`] to every backend of the
//! route; each adapter takes the options it declared
//! ([`QueryOptions::text`], ...) and ignores the others. An option left out
//! falls back to the backend's config default, which is the adapter's
//! business.

use crate::unified::{ErrorItem, Guid};

/// How an option's value is written in the query string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    /// Non-empty text, once.
    Text,
    /// A list: the parameter repeated and/or comma-separated
    /// (`?l=a,b&l=c` is `[a, b, c]`, items trimmed, empty ones dropped);
    /// `?l=` is the empty list, not the default.
    List,
    /// `true` or `false`, once.
    Bool,
    /// A GUID, once.
    Guid,
}

/// One option a vendor reads: its query parameter name and kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionSpec {
    pub name: &'static str,
    pub kind: OptionKind,
}

impl OptionSpec {
    pub const fn new(name: &'static str, kind: OptionKind) -> Self {
        OptionSpec { name, kind }
    }
}

/// A value given for an option, of its kind.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    Text(String),
    List(Vec<String>),
    Bool(bool),
    Guid(Guid),
}

/// The options a request gave, read and checked against their kinds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QueryOptions {
    values: Vec<(&'static str, OptionValue)>,
}

impl QueryOptions {
    fn get(&self, spec: &OptionSpec) -> Option<&OptionValue> {
        self.values
            .iter()
            .find(|(n, _)| *n == spec.name)
            .map(|(_, v)| v)
    }

    /// A [`OptionKind::Text`] option, when given.
    pub fn text(&self, spec: &OptionSpec) -> Option<&str> {
        match self.get(spec)? {
            OptionValue::Text(t) => Some(t),
            _ => None,
        }
    }

    /// A [`OptionKind::List`] option, when given (possibly empty).
    pub fn list(&self, spec: &OptionSpec) -> Option<&[String]> {
        match self.get(spec)? {
            OptionValue::List(l) => Some(l),
            _ => None,
        }
    }

    /// A [`OptionKind::Bool`] option, when given.
    pub fn bool(&self, spec: &OptionSpec) -> Option<bool> {
        match self.get(spec)? {
            OptionValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// A [`OptionKind::Guid`] option, when given.
    pub fn guid(&self, spec: &OptionSpec) -> Option<&Guid> {
        match self.get(spec)? {
            OptionValue::Guid(g) => Some(g),
            _ => None,
        }
    }

    /// These options with `spec` set to `value` (replacing a value given
    /// before); for callers and tests that build options by hand.
    pub fn with(mut self, spec: &OptionSpec, value: OptionValue) -> Self {
        self.values.retain(|(n, _)| *n != spec.name);
        self.values.push((spec.name, value));
        self
    }
}

fn invalid(name: &str, message: String) -> ErrorItem {
    ErrorItem::new("invalid_parameter", message).field(name)
}

/// Reads the query's `(name, value)` pairs (percent-decoded, in order)
/// against `accepted`. Refused, with one item each: a parameter not
/// accepted (`unknown_parameter`), a single-valued one given twice, a value
/// not of its kind (`invalid_parameter`).
pub fn read(
    pairs: &[(String, String)],
    accepted: &[&OptionSpec],
) -> Result<QueryOptions, Vec<ErrorItem>> {
    let mut o = QueryOptions::default();
    let mut errors = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (k, v) in pairs {
        let Some(spec) = accepted.iter().find(|s| s.name == k) else {
            let known: Vec<&str> = accepted.iter().map(|s| s.name).collect();
            errors.push(
                ErrorItem::new(
                    "unknown_parameter",
                    format!("unknown query parameter {k}; known: {}", known.join(", ")),
                )
                .field(k.clone()),
            );
            continue;
        };
        let name = spec.name;
        if spec.kind == OptionKind::List {
            let items = v
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned);
            match o.values.iter_mut().find(|(n, _)| *n == name) {
                Some((_, OptionValue::List(l))) => l.extend(items),
                _ => o.values.push((name, OptionValue::List(items.collect()))),
            }
            continue;
        }
        if seen.contains(&name) {
            errors.push(invalid(name, format!("{name} is given more than once")));
            continue;
        }
        seen.push(name);
        let value = match spec.kind {
            OptionKind::Text if v.trim().is_empty() => Err(format!("{name} must not be empty")),
            OptionKind::Text => Ok(OptionValue::Text(v.clone())),
            OptionKind::Bool => match v.as_str() {
                "true" => Ok(OptionValue::Bool(true)),
                "false" => Ok(OptionValue::Bool(false)),
                _ => Err(format!("{name} must be true or false")),
            },
            OptionKind::Guid => Guid::parse(v)
                .map(OptionValue::Guid)
                .ok_or_else(|| format!("{name} must be a GUID")),
            OptionKind::List => continue,
        };
        match value {
            Ok(value) => o.values.push((name, value)),
            Err(message) => errors.push(invalid(name, message)),
        }
    }
    if errors.is_empty() {
        Ok(o)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: OptionSpec = OptionSpec::new("who", OptionKind::Text);
    const LIST: OptionSpec = OptionSpec::new("ids", OptionKind::List);
    const FLAG: OptionSpec = OptionSpec::new("check", OptionKind::Bool);
    const GUID: OptionSpec = OptionSpec::new("companyId", OptionKind::Guid);
    const ALL: &[&OptionSpec] = &[&TEXT, &LIST, &FLAG, &GUID];

    fn pairs(q: &[(&str, &str)]) -> Vec<(String, String)> {
        q.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn every_kind_is_read() {
        let o = read(
            &pairs(&[
                ("who", "u 1"),
                ("ids", "a, b"),
                ("ids", "c"),
                ("check", "false"),
                ("companyId", "0f8fad5b-d9cb-469f-a165-70867728950e"),
            ]),
            ALL,
        )
        .unwrap();
        assert_eq!(o.text(&TEXT), Some("u 1"));
        assert_eq!(
            o.list(&LIST),
            Some(&["a".into(), "b".into(), "c".into()][..])
        );
        assert_eq!(o.bool(&FLAG), Some(false));
        assert!(o.guid(&GUID).is_some());
        // A kind asked as another is not given.
        assert_eq!(o.bool(&TEXT), None);
        assert_eq!(read(&[], ALL).unwrap(), QueryOptions::default());
        let empty = read(&pairs(&[("ids", "")]), ALL).unwrap();
        assert_eq!(empty.list(&LIST), Some(&[][..]));
    }

    #[test]
    fn bad_options_are_named_in_order() {
        let e = read(
            &pairs(&[
                ("check", "yes"),
                ("companyId", "x"),
                ("bogus", "1"),
                ("who", " "),
                ("who", "b"),
            ]),
            ALL,
        )
        .unwrap_err();
        let fields: Vec<_> = e.iter().filter_map(|i| i.field.as_deref()).collect();
        assert_eq!(fields, ["check", "companyId", "bogus", "who", "who"]);
        assert_eq!(e[2].code, "unknown_parameter");
        assert_eq!(
            e[2].message,
            "unknown query parameter bogus; known: who, ids, check, companyId"
        );
        assert_eq!(e[3].message, "who must not be empty");
        assert_eq!(e[4].message, "who is given more than once");
    }

    #[test]
    fn with_replaces() {
        let o = QueryOptions::default()
            .with(&FLAG, OptionValue::Bool(true))
            .with(&FLAG, OptionValue::Bool(false));
        assert_eq!(o.bool(&FLAG), Some(false));
    }
}
