//! Logging setup: `logging.format` (json or text), `logging.level`, and
//! `RUST_LOG` over both.

use crate::config::{LogFormat, LoggingConfig};
use tracing::level_filters::LevelFilter;
use tracing_subscriber::EnvFilter;

/// The levels a bare directive may name.
const LEVELS: &str = "off, error, warn, info, debug, trace";

/// Parses a `logging.level` or `RUST_LOG` filter, refusing what tracing
/// would take silently but that cannot be meant: a directive that does not
/// parse, and a bare word that is not a level (tracing reads `infoo` as a
/// target name, and then logs nothing at all). A target is written
/// `target=level`. The message never quotes the filter.
pub fn filter(directives: &str) -> Result<EnvFilter, String> {
    let mut count = 0;
    for (i, d) in directives.split(',').map(str::trim).enumerate() {
        if d.is_empty() {
            continue;
        }
        count += 1;
        let bare = !d.contains(['=', '[']);
        if bare && d.parse::<LevelFilter>().is_err() {
            return Err(format!(
                "directive {} is neither a level ({LEVELS}) nor target=level",
                i + 1
            ));
        }
    }
    if count == 0 {
        return Err(format!("is empty; use a level ({LEVELS})"));
    }
    EnvFilter::builder()
        .with_regex(false)
        .parse(directives)
        .map_err(|e| {
            format!(
                "not a valid filter ({}); use a level ({LEVELS}) or directives such as info,crossdock=debug",
                reason(&e.to_string())
            )
        })
}

/// tracing-subscriber's reason, when it is one of its fixed texts (some of
/// its messages quote the input).
fn reason(text: &str) -> &'static str {
    if text.contains("level") {
        "invalid level"
    } else if text.contains("field") {
        "invalid field filter"
    } else {
        "invalid directive"
    }
}

pub fn init(cfg: &LoggingConfig) {
    // The plan checked both; a filter refused here falls back to `info`
    // rather than to nothing.
    let filter = match std::env::var("RUST_LOG") {
        Ok(v) if !v.trim().is_empty() => filter(&v),
        _ => filter(&cfg.level),
    }
    .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = match cfg.format {
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

#[cfg(test)]
mod tests {
    use super::filter;

    #[test]
    fn levels_and_target_directives_pass() {
        for ok in [
            "info",
            "DEBUG",
            "off",
            "warn,crossdock=debug",
            "crossdock::api=trace,tower_http=info",
            "[request]=debug",
        ] {
            assert!(filter(ok).is_ok(), "{ok}: {:?}", filter(ok).err());
        }
    }

    #[test]
    fn misspelt_levels_and_bad_directives_are_refused_without_quoting_them() {
        for bad in [
            "infoo",
            "info,debugg",
            "crossdock=infoo",
            "",
            " , ",
            "a=b=c",
        ] {
            let e = filter(bad).expect_err(bad);
            assert!(
                bad.trim().len() < 2 || !e.contains(bad.trim()),
                "{bad}: {e}"
            );
            assert!(e.contains("info"), "{bad}: {e}");
        }
        assert!(filter("info,debugg").unwrap_err().contains("directive 2"));
    }
}
