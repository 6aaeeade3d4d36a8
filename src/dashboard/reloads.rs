//! The last config reloads, for the dashboard: when, whether the new
//! config took, and why not. Bounded: the newest [`KEEP`] only.

use serde::Serialize;
use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

/// How many reloads are kept.
pub const KEEP: usize = 20;

/// The longest error summary kept, in characters (the rest is cut, with
/// `…`). The gateway's config errors never hold a value from the file.
const MAX_ERROR_CHARS: usize = 400;

/// One reload.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reload {
    /// When it finished, in milliseconds since the Unix epoch.
    pub at_unix_ms: u64,
    /// Whether the new config is in force.
    pub ok: bool,
    /// Why it was refused (the running config stayed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The last [`KEEP`] reloads, oldest first.
#[derive(Debug, Default)]
pub struct ReloadHistory {
    entries: Mutex<VecDeque<Reload>>,
}

impl ReloadHistory {
    /// Adds the outcome of a reload that just finished.
    pub fn record(&self, outcome: &Result<(), String>) {
        let at_unix_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        let reload = Reload {
            at_unix_ms,
            ok: outcome.is_ok(),
            error: outcome.as_ref().err().map(|e| summary(e)),
        };
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() == KEEP {
            entries.pop_front();
        }
        entries.push_back(reload);
    }

    /// The kept reloads, newest first.
    pub fn newest_first(&self) -> Vec<Reload> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.iter().rev().cloned().collect()
    }
}

fn summary(error: &str) -> String {
    let mut chars = error.chars();
    let head: String = chars.by_ref().take(MAX_ERROR_CHARS).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_newest_and_cuts_long_errors() {
        let h = ReloadHistory::default();
        h.record(&Err("x".repeat(MAX_ERROR_CHARS + 10)));
        for i in 0..KEEP {
            h.record(&if i % 2 == 0 {
                Ok(())
            } else {
                Err(format!("bad {i}"))
            });
        }
        let list = h.newest_first();
        assert_eq!(list.len(), KEEP);
        assert_eq!(
            list[0].error.as_deref(),
            Some(&*format!("bad {}", KEEP - 1))
        );
        assert!(list[1].ok && list[1].error.is_none());
        assert!(list
            .iter()
            .all(|r| r.error.as_ref().is_none_or(|e| e.len() < 20)));
        assert!(list[0].at_unix_ms >= list[KEEP - 1].at_unix_ms);

        let h = ReloadHistory::default();
        h.record(&Err("é".repeat(MAX_ERROR_CHARS + 1)));
        let e = h.newest_first()[0].error.clone().unwrap();
        assert_eq!(e.chars().count(), MAX_ERROR_CHARS + 1);
        assert!(e.ends_with('…'));
    }
}
