//! Percent-encoding (RFC 3986) of path segments and query values.

/// Percent-encodes one path segment or query value: everything but RFC
/// 3986 unreserved (`A-Z a-z 0-9 - . _ ~`), upper-case hex.
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes a query value as a form does: `%XX` is the byte, `+` a space;
/// a `%` without two hex digits stays as it is. Bytes that are not UTF-8
/// become U+FFFD.
pub fn decode_query_value(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| char::from(c).to_digit(16);
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unreserved_bytes_stay() {
        assert_eq!(encode_component("aZ09-._~"), "aZ09-._~");
        assert_eq!(encode_component("a/b c?d"), "a%2Fb%20c%3Fd");
        assert_eq!(encode_component("é"), "%C3%A9");
        assert_eq!(encode_component("%"), "%25");
    }

    #[test]
    fn decoding_undoes_encoding() {
        for text in ["a/b c?d&e=f", "é+ü", "100%", ""] {
            assert_eq!(decode_query_value(&encode_component(text)), text);
        }
        assert_eq!(decode_query_value("a+b"), "a b");
        assert_eq!(decode_query_value("50%"), "50%");
        assert_eq!(decode_query_value("%zz"), "%zz");
    }
}
