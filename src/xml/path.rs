//! Paths of skipped (unknown) members, written as serde_ignored does for
//! JSON (`Vehicles.0.Foo`), so both formats report alike.

#[derive(Debug, Clone, Copy)]
enum Seg {
    Name(&'static str),
    Index(usize),
}

/// Collects the paths of members a reader skipped.
#[derive(Debug, Default)]
pub struct UnknownPaths {
    stack: Vec<Seg>,
    pub found: Vec<String>,
}

impl UnknownPaths {
    pub fn push_name(&mut self, name: &'static str) {
        self.stack.push(Seg::Name(name));
    }

    pub fn push_index(&mut self, i: usize) {
        self.stack.push(Seg::Index(i));
    }

    pub fn pop(&mut self) {
        self.stack.pop();
    }

    /// Records `name` under the current path.
    pub fn report(&mut self, name: &str) {
        let mut path = String::new();
        for seg in &self.stack {
            match seg {
                Seg::Name(n) => path.push_str(n),
                Seg::Index(i) => path.push_str(&i.to_string()),
            }
            path.push('.');
        }
        path.push_str(name);
        self.found.push(path);
    }
}
