//! `Num`: a JSON number that keeps its kind (integer or floating point).
//!
//! Vendors send `1` and `1.1` in the same kind of member; a value read and
//! written back must keep its kind, so numbers are never coerced to `f64`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Num(pub serde_json::Number);

impl Num {
    /// Parses the text of a number as a vendor wrote it in XML or JSV:
    /// an integer when it is one, else a finite float.
    pub fn parse(text: &str) -> Option<Num> {
        let t = text.trim();
        if let Ok(i) = t.parse::<i64>() {
            // `-0` is how .NET writes the double -0.0 (an integer has no
            // negative zero): keep its sign and kind.
            if i == 0 && t.starts_with('-') {
                return serde_json::Number::from_f64(-0.0).map(Num);
            }
            return Some(Num(i.into()));
        }
        if let Ok(u) = t.parse::<u64>() {
            return Some(Num(u.into()));
        }
        let f: f64 = t.parse().ok()?;
        serde_json::Number::from_f64(f).map(Num)
    }

    pub fn is_integer(&self) -> bool {
        !self.0.is_f64()
    }

    pub fn as_i64(&self) -> Option<i64> {
        self.0.as_i64()
    }

    pub fn as_f64(&self) -> Option<f64> {
        self.0.as_f64()
    }
}

impl From<i64> for Num {
    fn from(v: i64) -> Self {
        Num(v.into())
    }
}

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_kind() {
        assert!(Num::parse("12").unwrap().is_integer());
        assert!(!Num::parse("1.1").unwrap().is_integer());
        assert_eq!(Num::parse("-3").unwrap().to_string(), "-3");
        assert_eq!(Num::parse("11.1").unwrap().to_string(), "11.1");
        assert!(Num::parse("NaN").is_none());
        assert!(Num::parse("abc").is_none());
        let z = Num::parse("-0").unwrap();
        assert!(!z.is_integer() && z.as_f64().unwrap().is_sign_negative());
        assert_eq!(serde_json::to_string(&z).unwrap(), "-0.0");
    }
}
