//! A compact XML writer into a byte buffer: no declaration, no indentation.

use crate::unified::{Field, Num};

use super::number::write_num;

#[derive(Debug, Default)]
pub struct XmlWriter {
    pub buf: Vec<u8>,
}

impl XmlWriter {
    pub fn with_capacity(n: usize) -> Self {
        XmlWriter {
            buf: Vec::with_capacity(n),
        }
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    /// Appends markup as it is (the caller vouches for it).
    pub fn raw(&mut self, s: &str) {
        self.buf.extend_from_slice(s.as_bytes());
    }

    /// `<{p}{name}{attrs}>`; `attrs` is markup, starting with a space.
    pub fn start(&mut self, p: &str, name: &str, attrs: &str) {
        self.buf.push(b'<');
        self.raw(p);
        self.raw(name);
        self.raw(attrs);
        self.buf.push(b'>');
    }

    pub fn end(&mut self, p: &str, name: &str) {
        self.raw("</");
        self.raw(p);
        self.raw(name);
        self.buf.push(b'>');
    }

    /// `<{p}{name}{attrs} />`, the .NET shape of an empty element.
    pub fn empty(&mut self, p: &str, name: &str, attrs: &str) {
        self.buf.push(b'<');
        self.raw(p);
        self.raw(name);
        self.raw(attrs);
        self.raw(" />");
    }

    pub fn nil(&mut self, p: &str, name: &str) {
        self.empty(p, name, " i:nil=\"true\"");
    }

    /// Text content, escaped as .NET's XmlWriter does: `&`, `<`, `>`, and
    /// `\r` and other control characters as character references.
    pub fn text(&mut self, s: &str) {
        let bytes = s.as_bytes();
        let mut last = 0;
        for (i, &c) in bytes.iter().enumerate() {
            let rep: &[u8] = match c {
                b'&' => b"&amp;",
                b'<' => b"&lt;",
                b'>' => b"&gt;",
                b'\t' | b'\n' => continue,
                c if c < 0x20 => {
                    self.buf.extend_from_slice(&bytes[last..i]);
                    self.raw(&format!("&#x{c:X};"));
                    last = i + 1;
                    continue;
                }
                _ => continue,
            };
            self.buf.extend_from_slice(&bytes[last..i]);
            self.buf.extend_from_slice(rep);
            last = i + 1;
        }
        self.buf.extend_from_slice(&bytes[last..]);
    }

    /// A member: nothing when absent, `i:nil` when null, else the element
    /// with `content` written by `write`.
    pub fn field<T: ?Sized>(
        &mut self,
        p: &str,
        name: &str,
        f: Field<&T>,
        write: impl FnOnce(&mut Self, &T),
    ) {
        match f {
            Field::Absent => {}
            Field::Null => self.nil(p, name),
            Field::Value(v) => {
                self.start(p, name, "");
                write(self, v);
                self.end(p, name);
            }
        }
    }

    pub fn str_field(&mut self, p: &str, name: &str, f: &Field<String>) {
        self.field(p, name, f.as_ref().map(String::as_str), |w, v| w.text(v));
    }

    pub fn num_field(&mut self, p: &str, name: &str, f: &Field<Num>) {
        self.field(p, name, f.as_ref(), |w, v| write_num(&mut w.buf, v));
    }

    pub fn bool_field(&mut self, p: &str, name: &str, f: &Field<bool>) {
        self.field(p, name, f.as_ref(), |w, v| {
            w.raw(if *v { "true" } else { "false" })
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text() {
        let mut w = XmlWriter::default();
        w.text("a<&>\"'\r\n\tb\u{1}é");
        assert_eq!(
            String::from_utf8(w.buf).unwrap(),
            "a&lt;&amp;&gt;\"'&#xD;\n\tb&#x1;é"
        );
    }

    #[test]
    fn field_states() {
        let mut w = XmlWriter::default();
        w.str_field("d:", "A", &Field::Absent);
        w.str_field("d:", "B", &Field::Null);
        w.str_field("d:", "C", &Field::Value("x".into()));
        w.bool_field("", "D", &Field::Value(true));
        assert_eq!(
            String::from_utf8(w.buf).unwrap(),
            "<d:B i:nil=\"true\" /><d:C>x</d:C><D>true</D>"
        );
    }
}
