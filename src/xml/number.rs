//! Numbers as .NET's `XmlConvert` writes them.

use crate::unified::Num;

/// Appends `n`: integers as digits, floats as .NET's round-trip ("R")
/// format: the shortest digits that read back to the same double,
/// positional for decimal exponents -4..=14 and scientific (`1E+20`,
/// `1.5E-05`) outside it, as .NET does (its "scale" -3..=15).
pub fn write_num(out: &mut Vec<u8>, n: &Num) {
    match n.as_f64() {
        Some(f) if !n.is_integer() => write_f64(out, f),
        _ => out.extend_from_slice(n.0.to_string().as_bytes()),
    }
}

/// See [`write_num`]. `f` is finite (a `Num` cannot hold NaN or infinity).
pub fn write_f64(out: &mut Vec<u8>, f: f64) {
    if f == 0.0 {
        out.extend_from_slice(if f.is_sign_negative() { b"-0" } else { b"0" });
        return;
    }
    // `{:e}` gives the shortest round-trip digits: "-1.5e-5", "1e20".
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (neg, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    let digits: Vec<u8> = mantissa.bytes().filter(|c| *c != b'.').collect();
    if neg {
        out.push(b'-');
    }
    if !(-4..15).contains(&exp) {
        out.push(digits[0]);
        if digits.len() > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits[1..]);
        }
        out.extend_from_slice(
            format!("E{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs()).as_bytes(),
        );
    } else if exp < 0 {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat_n(b'0', (-exp - 1) as usize));
        out.extend_from_slice(&digits);
    } else {
        let int_len = exp as usize + 1;
        if digits.len() <= int_len {
            out.extend_from_slice(&digits);
            out.extend(std::iter::repeat_n(b'0', int_len - digits.len()));
        } else {
            out.extend_from_slice(&digits[..int_len]);
            out.push(b'.');
            out.extend_from_slice(&digits[int_len..]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(v: f64) -> String {
        let mut out = Vec::new();
        write_f64(&mut out, v);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn like_dotnet_round_trip_format() {
        assert_eq!(f(1.1), "1.1");
        assert_eq!(f(11.1), "11.1");
        assert_eq!(f(1e20), "1E+20");
        assert_eq!(f(1.5e-5), "1.5E-05");
        assert_eq!(f(1e-5), "1E-05");
        assert_eq!(f(0.0001), "0.0001");
        assert_eq!(f(1e14), "100000000000000");
        assert_eq!(f(1e15), "1E+15");
        assert_eq!(f(-2.5), "-2.5");
        assert_eq!(f(123.456), "123.456");
        assert_eq!(f(1.2345e300), "1.2345E+300");
        assert_eq!(f(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(f(5.0), "5");
        assert_eq!(f(-0.0), "-0");
    }

    #[test]
    fn ints_stay_digits() {
        let mut out = Vec::new();
        write_num(&mut out, &Num::from(12));
        assert_eq!(out, b"12");
    }
}
