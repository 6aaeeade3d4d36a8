//! Config file errors as one line each, without the file's text.
//!
//! A TOML parser's error quotes the source line under a caret, and serde's
//! type errors quote the value; either may be a token or password. These
//! say where (file, line, column, and the key when it is known) and what
//! was wrong, never what was written.

use std::path::Path;

/// A TOML syntax error: `path:line:column: reason (key a.b.c)`.
pub fn syntax(path: &Path, text: &str, e: &toml::de::Error) -> String {
    // The parser's reasons are fixed texts ("invalid basic string, expected
    // `\"`"), never the input.
    let reason = e.message().lines().collect::<Vec<_>>().join("; ");
    let Some(offset) = e.span().map(|s| s.start.min(text.len())) else {
        return format!("{}: {reason}", path.display());
    };
    let (line, column) = position(text, offset);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let key = match key_at(text, line_start) {
        Some(k) => format!(" (key {k})"),
        None => String::new(),
    };
    format!("{}:{line}:{column}: {reason}{key}", path.display())
}

/// The 1-based line and column (in characters) of byte `offset`.
pub fn position(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..line_start].matches('\n').count() + 1;
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

/// The dotted key of the line starting at `line_start`, when that line is
/// a `key = value` statement: everything before it parses (so the line is
/// not inside a multi-line string), the key is a plain dotted key, and the
/// table it sits in is one the text before it declared.
fn key_at(text: &str, line_start: usize) -> Option<String> {
    let before = &text[..line_start];
    let parsed: toml::Table = toml::from_str(before).ok()?;
    let line = text[line_start..].lines().next()?;
    let (key, _) = line.split_once('=')?;
    let key = plain_dotted(key)?;
    let table = before
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .and_then(|l| {
            let inner = l.trim_start_matches('[').split(']').next()?;
            plain_dotted(inner)
        });
    match table {
        None => Some(key),
        Some(t) => {
            // The header must be one the parsed text has: a `[name]` line
            // inside a multi-line string is not a header.
            let mut at = &parsed;
            for part in t.split('.') {
                at = match at.get(part)? {
                    toml::Value::Table(next) => next,
                    toml::Value::Array(items) => items.last()?.as_table()?,
                    _ => return None,
                };
            }
            Some(format!("{t}.{key}"))
        }
    }
}

/// `a.b . c` -> `a.b.c` when every part is a bare key (A-Z a-z 0-9 _ -).
fn plain_dotted(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split('.').map(str::trim).collect();
    let bare = |p: &&str| {
        !p.is_empty()
            && p.len() <= 64
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    };
    parts.iter().all(bare).then(|| parts.join("."))
}

/// `text` with line breaks folded, so a problem is one line.
pub fn one_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        let e = toml::from_str::<toml::Table>(text).unwrap_err();
        syntax(Path::new("c.toml"), text, &e)
    }

    #[test]
    fn syntax_errors_name_the_place_and_key_not_the_text() {
        let e = err("[a]\nx = 1\n[b.c]\ntoken = \"s3cret\n");
        assert!(e.starts_with("c.toml:4:"), "{e}");
        assert!(e.contains("(key b.c.token)"), "{e}");
        assert!(!e.contains("s3cret") && !e.contains('\n'), "{e}");
        let e = err("k = s3cret\n");
        assert!(e.starts_with("c.toml:1:5:") && e.contains("(key k)"), "{e}");
        assert!(!e.contains("s3cret"), "{e}");
    }

    #[test]
    fn a_line_inside_a_multi_line_string_names_no_key() {
        let e = err("a = \"\"\"\ns3cret = x \\q\n\"\"\"\n");
        assert!(e.starts_with("c.toml:2:"), "{e}");
        assert!(!e.contains("s3cret") && !e.contains("key"), "{e}");
    }
}
