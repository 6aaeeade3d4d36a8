//! The config as one tree (the file, then the environment over it), and
//! where each of its keys came from: a line of the file or an environment
//! variable. Errors are named by key; [`Sources::locate`] puts the place in
//! front of each.

use super::de::{self, KeyPath};
use super::file_errors;
use super::load::ConfigErrors;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where a key was set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The file, at this byte offset (the key, or a list item).
    File(usize),
    /// This environment variable.
    Env(String),
}

/// The file a config was read from, and the origin of each key.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    file: Option<(PathBuf, String)>,
    origins: BTreeMap<KeyPath, Origin>,
    /// `RUST_LOG`, which wins over `logging.level`.
    pub rust_log: Option<String>,
}

impl Sources {
    /// The file's tree and the place of each key, or the syntax error.
    pub fn from_toml(path: &Path, text: &str) -> Result<(Value, Sources), String> {
        // The parser's own error quotes the offending line, which may hold
        // a secret: `file_errors::syntax` says where, never what.
        if let Err(e) = toml::from_str::<toml::Table>(text) {
            return Err(file_errors::syntax(path, text, &e));
        }
        let doc =
            toml::de::DeTable::parse(text).map_err(|e| file_errors::syntax(path, text, &e))?;
        let mut sources = Sources {
            file: Some((path.to_path_buf(), text.to_string())),
            ..Sources::default()
        };
        let mut problems = Vec::new();
        let map = table(doc.get_ref(), &mut Vec::new(), &mut sources, &mut problems);
        if let Some(first) = problems.into_iter().next() {
            return Err(sources.locate_one(first));
        }
        Ok((Value::Object(map), sources))
    }

    /// Sets `key` to `value` from environment variable `var`.
    pub fn set_env(
        &mut self,
        root: &mut Value,
        var: &str,
        key: &[String],
        value: Value,
    ) -> Result<(), String> {
        let Some((last, parents)) = key.split_last() else {
            return Err(format!("{var}: names no key"));
        };
        let mut at = root;
        let mut path = Vec::new();
        for seg in parents {
            let Value::Object(map) = at else {
                return Err(format!("{var}: {} is not a table", de::render(&path)));
            };
            path.push(seg.clone());
            at = map.entry(seg.clone()).or_insert_with(|| {
                self.origins
                    .insert(path.clone(), Origin::Env(var.to_string()));
                Value::Object(Map::new())
            });
        }
        let Value::Object(map) = at else {
            return Err(format!("{var}: {} is not a table", de::render(&path)));
        };
        // What the file had under this key is replaced.
        self.origins.retain(|k, _| !k.starts_with(key));
        self.origins
            .insert(key.to_vec(), Origin::Env(var.to_string()));
        if let Value::Array(items) = &value {
            for i in 0..items.len() {
                let mut p = key.to_vec();
                p.push(de::index(i));
                self.origins.insert(p, Origin::Env(var.to_string()));
            }
        }
        map.insert(last.clone(), value);
        Ok(())
    }

    /// Whether the value at `key` was set from the environment.
    pub fn is_env(&self, key: &[String]) -> bool {
        matches!(self.origins.get(key), Some(Origin::Env(_)))
    }

    /// Whether the value at `rel` below the first of `bases` that has it
    /// was set from the environment (a tenant's backend section merged
    /// over the top level's).
    pub fn is_env_below(&self, bases: &[&[String]], rel: &[String]) -> bool {
        for base in bases {
            let full: KeyPath = base.iter().chain(rel).cloned().collect();
            if let Some(o) = self.origins.get(&full) {
                return matches!(o, Origin::Env(_));
            }
        }
        false
    }

    /// Where `key`, or the nearest table holding it, was set:
    /// `file:line:column` or the environment variable.
    fn place(&self, key: &[String]) -> Option<(Option<usize>, String)> {
        let origin = (1..=key.len())
            .rev()
            .find_map(|n| self.origins.get(&key[..n]))?;
        match origin {
            Origin::File(offset) => {
                let (path, text) = self.file.as_ref()?;
                let (line, column) = file_errors::position(text, *offset);
                Some((Some(*offset), format!("{}:{line}:{column}", path.display())))
            }
            Origin::Env(var) => Some((None, var.clone())),
        }
    }

    /// `key: problem` -> `place: key: problem`, with the sort key (file
    /// offset) when the place is in the file.
    fn locate_sorted(&self, problem: String) -> (Option<usize>, String) {
        let key = problem
            .split_once(": ")
            .and_then(|(k, _)| de::parse_path(k));
        match key.and_then(|k| self.place(&k)) {
            Some((offset, place)) => (offset, format!("{place}: {problem}")),
            None => (None, problem),
        }
    }

    fn locate_one(&self, problem: String) -> String {
        self.locate_sorted(problem).1
    }

    /// Every problem with the place of its key in front (file, line and
    /// column, or the environment variable), problems in the file first in
    /// the file's order, each once.
    pub fn locate(&self, errors: ConfigErrors) -> ConfigErrors {
        let mut placed: Vec<(Option<usize>, String)> = Vec::new();
        for e in errors.0 {
            let p = self.locate_sorted(e);
            if !placed.iter().any(|(_, seen)| *seen == p.1) {
                placed.push(p);
            }
        }
        // Stable: problems with no place in the file keep their order.
        placed.sort_by_key(|(offset, _)| offset.map_or((1, 0), |o| (0, o)));
        ConfigErrors(placed.into_iter().map(|(_, e)| e).collect())
    }
}

/// A TOML table as JSON, recording where each key is.
fn table(
    t: &toml::de::DeTable<'_>,
    path: &mut KeyPath,
    sources: &mut Sources,
    problems: &mut Vec<String>,
) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, v) in t.iter() {
        path.push(k.get_ref().to_string());
        sources
            .origins
            .insert(path.clone(), Origin::File(k.span().start));
        if let Some(v) = value(v.get_ref(), path, sources, problems) {
            out.insert(k.get_ref().to_string(), v);
        }
        path.pop();
    }
    out
}

fn value(
    v: &toml::de::DeValue<'_>,
    path: &mut KeyPath,
    sources: &mut Sources,
    problems: &mut Vec<String>,
) -> Option<Value> {
    use toml::de::DeValue;
    Some(match v {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(i) => {
            if let Ok(n) = i64::from_str_radix(i.as_str(), i.radix()) {
                Value::from(n)
            } else if let Ok(n) = u64::from_str_radix(i.as_str(), i.radix()) {
                Value::from(n)
            } else {
                problems.push(format!("{}: integer out of range", de::render(path)));
                return None;
            }
        }
        DeValue::Float(f) => match f.as_str().parse::<f64>() {
            Ok(x) if x.is_finite() => Value::from(x),
            _ => {
                problems.push(format!(
                    "{}: not a finite number (nan and inf are not accepted)",
                    de::render(path)
                ));
                return None;
            }
        },
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(_) => {
            problems.push(format!(
                "{}: no key takes a date or time (quote it if it is text)",
                de::render(path)
            ));
            return None;
        }
        DeValue::Array(items) => {
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                path.push(de::index(i));
                sources
                    .origins
                    .insert(path.clone(), Origin::File(item.span().start));
                if let Some(v) = value(item.get_ref(), path, sources, problems) {
                    out.push(v);
                }
                path.pop();
            }
            Value::Array(out)
        }
        DeValue::Table(t) => Value::Object(table(t, path, sources, problems)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> KeyPath {
        de::parse_path(s).unwrap()
    }

    #[test]
    fn every_key_has_its_line() {
        let text = "[server]\nlisten = \"x\"\n\n[backends.vehizen]\nbase_url = \"sandbox\"\nlist = [1,\n  2]\n";
        let (v, s) = Sources::from_toml(Path::new("c.toml"), text).unwrap();
        assert_eq!(v["backends"]["vehizen"]["list"][1], 2);
        let at = |k: &str| s.place(&key(k)).map(|(_, p)| p);
        assert_eq!(at("server.listen").as_deref(), Some("c.toml:2:1"));
        assert_eq!(at("backends.vehizen").as_deref(), Some("c.toml:4:11"));
        assert_eq!(
            at("backends.vehizen.base_url").as_deref(),
            Some("c.toml:5:1")
        );
        assert_eq!(
            at("backends.vehizen.list[1]").as_deref(),
            Some("c.toml:7:3")
        );
        // A key not in the file: the nearest table that is.
        assert_eq!(at("server.port").as_deref(), Some("c.toml:1:2"));
        assert_eq!(at("admin.listen"), None);
    }

    #[test]
    fn environment_values_are_named_by_their_variable() {
        let (mut v, mut s) =
            Sources::from_toml(Path::new("c.toml"), "[server]\nlisten = \"x\"\n").unwrap();
        s.set_env(
            &mut v,
            "CROSSDOCK__SERVER__LISTEN",
            &key("server.listen"),
            "y".into(),
        )
        .unwrap();
        s.set_env(
            &mut v,
            "CROSSDOCK__AUTH__API_KEYS",
            &key("auth.api_keys"),
            serde_json::json!(["a", "b"]),
        )
        .unwrap();
        assert!(s.is_env(&key("server.listen")));
        assert!(s.is_env(&key("auth.api_keys[1]")));
        assert!(!s.is_env(&key("server")));
        let e = s.locate(ConfigErrors(vec![
            "auth.api_keys[1]: bad".into(),
            "server.listen: bad".into(),
            "server: bad".into(),
        ]));
        assert_eq!(
            e.0,
            [
                "c.toml:1:2: server: bad",
                "CROSSDOCK__AUTH__API_KEYS: auth.api_keys[1]: bad",
                "CROSSDOCK__SERVER__LISTEN: server.listen: bad",
            ]
        );
        let e = s.set_env(
            &mut v,
            "CROSSDOCK__SERVER__LISTEN__X",
            &key("server.listen.x"),
            "z".into(),
        );
        assert!(e.unwrap_err().contains("server.listen is not a table"));
    }
}
