//! Paths of vendor members a streaming read skipped, written exactly as the
//! typed path writes them for the same document.

use std::fmt::Write;

/// How the typed path of a vendor writes a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `Vehicles.0.Foo`: Vehizen's JSON (`json::write_path`) and XML
    /// (`xml::UnknownPaths`) paths.
    Plain,
    /// `0.Children.?.1.Foo`: serde_ignored's own `Display`, with a `?` for
    /// every optional member descended into (fleet-admin).
    Serde,
}

/// One step of the path to where the reader is.
#[derive(Debug, Clone, Copy)]
pub enum Seg {
    Name(&'static str),
    Index(usize),
    /// Into the value of an optional member (`Field`).
    Opt,
}

/// The path stack and the paths found so far.
#[derive(Debug)]
pub struct Unknown {
    style: Style,
    stack: Vec<Seg>,
    pub found: Vec<String>,
}

impl Unknown {
    pub fn new(style: Style) -> Self {
        Unknown {
            style,
            stack: Vec::new(),
            found: Vec::new(),
        }
    }

    pub fn push(&mut self, seg: Seg) {
        self.stack.push(seg);
    }

    pub fn pop(&mut self) {
        self.stack.pop();
    }

    /// Records member `name` (its unescaped key or local name) under the
    /// current path.
    pub fn report(&mut self, name: &str) {
        let mut path = String::new();
        match self.style {
            Style::Plain => {
                // A `.` before a segment only once something is written,
                // as `json::write_path` does.
                for seg in &self.stack {
                    match seg {
                        Seg::Opt => continue,
                        Seg::Name(n) => {
                            dot(&mut path);
                            path.push_str(n);
                        }
                        Seg::Index(i) => {
                            dot(&mut path);
                            let _ = write!(path, "{i}");
                        }
                    }
                }
                dot(&mut path);
            }
            Style::Serde => {
                // Every parent but the root, then `.`.
                for seg in &self.stack {
                    match seg {
                        Seg::Opt => path.push('?'),
                        Seg::Name(n) => path.push_str(n),
                        Seg::Index(i) => {
                            let _ = write!(path, "{i}");
                        }
                    }
                    path.push('.');
                }
            }
        }
        path.push_str(name);
        self.found.push(path);
    }
}

fn dot(path: &mut String) {
    if !path.is_empty() {
        path.push('.');
    }
}
