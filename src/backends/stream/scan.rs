//! A small JSON tokenizer for the fast path of the JSON driver
//! ([`super::fast`]): it reads the common case (keys without escapes,
//! integers of up to 18 digits, plain floats, strings with the usual
//! escapes) and gives up ([`GiveUp`]) on everything else, so that the
//! serde_json driver reads the document instead. It never accepts what
//! serde_json rejects: every token it takes is one serde_json takes, with
//! the same value.

use super::text::{escape_mask, first_byte, write_f64, write_utf8};

/// The fast path cannot read this document (it may still be valid JSON).
#[derive(Debug)]
pub struct GiveUp;

pub type Res<T> = Result<T, GiveUp>;

/// A string token: where its raw contents are, and whether they hold an
/// escape.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub escaped: bool,
}

/// A number token: its text, and whether it is an integer (no fraction or
/// exponent, at most 18 digits, not `-0`: its text is serde_json's).
#[derive(Debug, Clone, Copy)]
pub struct NumTok {
    pub start: usize,
    pub end: usize,
    pub int: bool,
}

#[derive(Debug)]
pub struct Scan<'a> {
    pub b: &'a [u8],
    pub i: usize,
    /// Unescaped string contents, reused.
    pub scratch: Vec<u8>,
}

impl<'a> Scan<'a> {
    pub fn new(b: &'a [u8]) -> Self {
        Scan {
            b,
            i: 0,
            scratch: Vec::new(),
        }
    }

    /// Skips JSON whitespace and returns the next byte, if any.
    /// After an element of an array or object: `,` (another element
    /// follows: false) or `close` (the end: true), whitespace skipped.
    pub fn closed(&mut self, close: u8) -> Res<bool> {
        match self.peek() {
            Some(b',') => {
                self.i += 1;
                Ok(false)
            }
            Some(c) if c == close => {
                self.i += 1;
                Ok(true)
            }
            _ => Err(GiveUp),
        }
    }

    pub fn peek(&mut self) -> Option<u8> {
        while let Some(&c) = self.b.get(self.i) {
            match c {
                b' ' | b'\n' | b'\t' | b'\r' => self.i += 1,
                _ => return Some(c),
            }
        }
        None
    }

    /// The next byte (after whitespace) must be `c`.
    pub fn eat(&mut self, c: u8) -> Res<()> {
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(GiveUp)
        }
    }

    /// Only whitespace is left.
    pub fn end(&mut self) -> Res<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(GiveUp),
        }
    }

    /// `word` (`true`, `false`, `null`) at the cursor.
    pub fn word(&mut self, word: &[u8]) -> Res<()> {
        let end = self.i + word.len();
        if self.b.get(self.i..end) == Some(word) {
            self.i = end;
            Ok(())
        } else {
            Err(GiveUp)
        }
    }

    /// `true` or `false` (after whitespace).
    pub fn boolean(&mut self) -> Res<bool> {
        match self.peek() {
            Some(b't') => self.word(b"true").map(|()| true),
            Some(b'f') => self.word(b"false").map(|()| false),
            _ => Err(GiveUp),
        }
    }

    /// A string (after whitespace): its raw span. Control characters
    /// (which serde_json rejects) give up; escapes are checked when the
    /// string is unescaped.
    pub fn string(&mut self) -> Res<Span> {
        self.eat(b'"')?;
        let start = self.i;
        let b = self.b;
        let mut i = start;
        let mut escaped = false;
        loop {
            if let Some(chunk) = b.get(i..i + 8) {
                let mut word = [0u8; 8];
                word.copy_from_slice(chunk);
                let mask = escape_mask(u64::from_le_bytes(word));
                if mask == 0 {
                    i += 8;
                    continue;
                }
                i += first_byte(mask);
            }
            match b.get(i) {
                Some(b'"') => break,
                Some(b'\\') => {
                    escaped = true;
                    i += 2;
                }
                Some(c) if *c < 0x20 => return Err(GiveUp),
                Some(_) => i += 1,
                None => return Err(GiveUp),
            }
        }
        self.i = i + 1;
        Ok(Span {
            start,
            end: i,
            escaped,
        })
    }

    /// The raw bytes of `s`.
    pub fn raw(&self, s: Span) -> &'a [u8] {
        self.b.get(s.start..s.end).unwrap_or_default()
    }

    /// `s` unescaped into `self.scratch`.
    pub fn unescape(&mut self, s: Span) -> Res<()> {
        let raw = self.raw(s);
        self.scratch.clear();
        let mut i = 0;
        while i < raw.len() {
            let Some(at) = raw[i..].iter().position(|&c| c == b'\\') else {
                self.scratch.extend_from_slice(&raw[i..]);
                break;
            };
            self.scratch.extend_from_slice(&raw[i..i + at]);
            i += at;
            let c = match raw.get(i + 1) {
                Some(b'"') => b'"',
                Some(b'\\') => b'\\',
                Some(b'/') => b'/',
                Some(b'b') => 0x08,
                Some(b'f') => 0x0C,
                Some(b'n') => b'\n',
                Some(b'r') => b'\r',
                Some(b't') => b'\t',
                Some(b'u') => {
                    let ch = hex4(raw.get(i + 2..i + 6)).ok_or(GiveUp)?;
                    let mut buf = [0u8; 4];
                    self.scratch
                        .extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                    i += 6;
                    continue;
                }
                _ => return Err(GiveUp),
            };
            self.scratch.push(c);
            i += 2;
        }
        Ok(())
    }

    /// `s` written as serde_json writes the string it holds.
    pub fn write_string(&mut self, s: Span, out: &mut Vec<u8>) -> Res<()> {
        if s.escaped {
            self.unescape(s)?;
            write_utf8(out, &self.scratch);
        } else {
            // No `"`, `\` or control character: serde_json writes it as is.
            out.push(b'"');
            out.extend_from_slice(self.raw(s));
            out.push(b'"');
        }
        Ok(())
    }

    /// A number (after whitespace).
    pub fn number(&mut self) -> Res<NumTok> {
        self.peek();
        let b = self.b;
        let start = self.i;
        let mut i = start;
        let neg = b.get(i) == Some(&b'-');
        if neg {
            i += 1;
        }
        let digits = i;
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
            }
            _ => return Err(GiveUp),
        }
        let n = i - digits;
        match b.get(i) {
            Some(b'.' | b'e' | b'E') => {
                while b
                    .get(i)
                    .is_some_and(|c| c.is_ascii_digit() || b".eE+-".contains(c))
                {
                    i += 1;
                }
                self.i = i;
                Ok(NumTok {
                    start,
                    end: i,
                    int: false,
                })
            }
            // A leading zero, `-0` and integers that may not fit an i64 are
            // left to serde_json.
            Some(b'0'..=b'9') => Err(GiveUp),
            _ if n > 18 || (neg && b.get(digits) == Some(&b'0')) => Err(GiveUp),
            _ => {
                self.i = i;
                Ok(NumTok {
                    start,
                    end: i,
                    int: true,
                })
            }
        }
    }

    /// The value of an integer token.
    pub fn int_of(&self, n: NumTok) -> Res<i64> {
        std::str::from_utf8(self.b.get(n.start..n.end).ok_or(GiveUp)?)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or(GiveUp)
    }

    /// Writes a number as serde_json writes what it parses it as (a
    /// `Number`, `serde_json::Value`'s number): an integer as its text, a
    /// float through serde_json's own parser and formatter.
    pub fn write_num(&self, n: NumTok, out: &mut Vec<u8>) -> Res<()> {
        let text = self.b.get(n.start..n.end).ok_or(GiveUp)?;
        if n.int {
            out.extend_from_slice(text);
            return Ok(());
        }
        let s = std::str::from_utf8(text).map_err(|_| GiveUp)?;
        let v: f64 = serde_json::from_str(s).map_err(|_| GiveUp)?;
        if !v.is_finite() {
            return Err(GiveUp);
        }
        write_f64(out, v);
        Ok(())
    }

    /// Skips a value (after whitespace), checking it as serde_json does;
    /// `depth` nested arrays and objects at most.
    pub fn skip(&mut self, depth: usize) -> Res<()> {
        match self.peek().ok_or(GiveUp)? {
            b'"' => {
                let s = self.string()?;
                if s.escaped {
                    self.unescape(s)?;
                }
                Ok(())
            }
            b'n' => self.word(b"null"),
            b't' | b'f' => self.boolean().map(drop),
            b'[' => {
                let depth = depth.checked_sub(1).ok_or(GiveUp)?;
                self.i += 1;
                if self.peek() == Some(b']') {
                    self.i += 1;
                    return Ok(());
                }
                loop {
                    self.skip(depth)?;
                    if self.closed(b']')? {
                        return Ok(());
                    }
                }
            }
            b'{' => {
                let depth = depth.checked_sub(1).ok_or(GiveUp)?;
                self.i += 1;
                if self.peek() == Some(b'}') {
                    self.i += 1;
                    return Ok(());
                }
                loop {
                    self.skip_string()?;
                    self.eat(b':')?;
                    self.skip(depth)?;
                    if self.closed(b'}')? {
                        return Ok(());
                    }
                }
            }
            _ => {
                let n = self.number()?;
                if !n.int {
                    // Checked as a float, so a finite one.
                    self.write_num(n, &mut Vec::new())?;
                }
                Ok(())
            }
        }
    }

    fn skip_string(&mut self) -> Res<()> {
        let s = self.string()?;
        if s.escaped {
            self.unescape(s)?;
        }
        Ok(())
    }
}

/// Four hex digits as a character; surrogates (halves of a pair, or lone)
/// are left to serde_json.
fn hex4(h: Option<&[u8]>) -> Option<char> {
    let mut v = 0u32;
    for &c in h? {
        v = v * 16 + char::from(c).to_digit(16)?;
    }
    char::from_u32(v)
}
