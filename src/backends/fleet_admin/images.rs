//! Category images: base64 checked (and its decoded size computed) without
//! decoding, as the gateway passes the text on unchanged.

use crate::backends::ImageRefusal;

fn is_alphabet(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

/// The decoded length of standard (RFC 4648 section 4), padded base64 text:
/// `A-Z a-z 0-9 + /`, length a multiple of 4, at most two `=` at the end,
/// no white space, not empty.
pub fn decoded_len(text: &str) -> Result<usize, String> {
    let b = text.as_bytes();
    if b.is_empty() {
        return Err("the text is empty".into());
    }
    if b.len() % 4 != 0 {
        return Err(format!(
            "the length ({}) is not a multiple of 4 (standard base64 is padded with '=')",
            b.len()
        ));
    }
    let pad = b.iter().rev().take_while(|c| **c == b'=').count();
    if pad > 2 {
        return Err("more than two '=' at the end".into());
    }
    if let Some(i) = b[..b.len() - pad].iter().position(|c| !is_alphabet(*c)) {
        return Err(format!(
            "character {} is not in the base64 alphabet (A-Z a-z 0-9 + /)",
            i + 1
        ));
    }
    Ok(b.len() / 4 * 3 - pad)
}

/// Checks `text` and its size against `max` bytes decoded.
pub fn check(text: &str, max: usize) -> Result<usize, ImageRefusal> {
    let bytes = decoded_len(text).map_err(ImageRefusal::Invalid)?;
    if bytes > max {
        return Err(ImageRefusal::TooLarge { bytes, max });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoded_lengths() {
        assert_eq!(decoded_len("TWFu"), Ok(3));
        assert_eq!(decoded_len("TWE="), Ok(2));
        assert_eq!(decoded_len("TQ=="), Ok(1));
        assert_eq!(decoded_len("iVBORw0KGgo="), Ok(8));
    }

    #[test]
    fn refusals() {
        for bad in [
            "",
            "TWF",
            "TW=u",
            "T===",
            "TW u",
            "TWFu\n",
            "data:image/png;base64,TWFu",
            "TW-_",
        ] {
            assert!(decoded_len(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            check("TWFuTWFu", 5),
            Err(ImageRefusal::TooLarge { bytes: 6, max: 5 })
        );
        assert_eq!(check("TWFuTWFu", 6), Ok(6));
    }
}
