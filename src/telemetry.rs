//! Logging setup: `logging.format` (json or text), `logging.level`, and
//! `RUST_LOG` over both. Logs go to stdout: text with colour only on a
//! terminal, JSON one flat object per line. With `[telemetry.otlp]`, the
//! same `tracing` spans are exported too (`crate::trace::otlp`).

use crate::config::{LogFormat, LoggingConfig, OtlpConfig};
use crate::trace::otlp::Exporter;
use serde_json::{Map, Value};
use std::io::IsTerminal;
use tracing::field::{Field, Visit};
use tracing::level_filters::LevelFilter;
use tracing::Level;
use tracing::{Event, Subscriber};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::format::{FormatEvent, FormatFields, Writer};
use tracing_subscriber::fmt::time::{FormatTime, SystemTime};
use tracing_subscriber::fmt::{FmtContext, FormattedFields};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

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

/// Whether text logs may carry colour: only on a terminal (the fmt
/// subscriber writes to stdout), and never with `NO_COLOR` set. A file or a
/// pipe gets plain text.
fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The log filter: `RUST_LOG`, else `logging.level`. The plan checked
/// both; a filter refused here falls back to `info` rather than to nothing.
fn log_filter(cfg: &LoggingConfig) -> EnvFilter {
    match std::env::var("RUST_LOG") {
        Ok(v) if !v.trim().is_empty() => filter(&v),
        _ => filter(&cfg.level),
    }
    .unwrap_or_else(|_| EnvFilter::new("info"))
}

/// Logs as `cfg` says, and with `otlp` set, the spans of requests and
/// vendor calls exported over OTLP (sent on `rt`). Returns the exporter, to
/// shut down at exit. An exporter that cannot start is logged and the
/// gateway runs without it.
pub fn init_with(
    cfg: &LoggingConfig,
    otlp: Option<&OtlpConfig>,
    rt: &tokio::runtime::Handle,
) -> Option<Exporter> {
    let Some(otlp) = otlp else {
        init(cfg);
        return None;
    };
    let (exporter, tracer) = match Exporter::start(otlp, rt) {
        Ok(started) => started,
        Err(e) => {
            init(cfg);
            tracing::error!(error = %e, "no span export: the OTLP exporter cannot start");
            return None;
        }
    };
    // Logs as without OTLP, less the vendor call spans (exported only); the
    // exporter sees the gateway's spans whatever the log level.
    let logs = log_filter(cfg);
    let logs = match format!("{}=off", crate::trace::VENDOR_SPAN_TARGET).parse() {
        Ok(hide) => logs.add_directive(hide),
        Err(_) => logs,
    };
    let spans = tracing_opentelemetry::layer()
        .with_tracer(tracer)
        .with_location(false)
        .with_threads(false)
        .with_filter(Targets::new().with_target("crossdock", Level::INFO));
    let registry = tracing_subscriber::registry().with(spans);
    let _ = match cfg.format {
        LogFormat::Json => registry
            .with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .with_ansi(false)
                    .event_format(FlatJson)
                    .with_filter(logs),
            )
            .try_init(),
        LogFormat::Text => registry
            .with(
                tracing_subscriber::fmt::layer()
                    .with_ansi(colour())
                    .with_filter(logs),
            )
            .try_init(),
    };
    if let Ok(url) = otlp.traces_url() {
        tracing::info!(endpoint = %url, "exporting spans over OTLP");
    }
    Some(exporter)
}

pub fn init(cfg: &LoggingConfig) {
    let filter = log_filter(cfg);
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = match cfg.format {
        // JSON fields as JSON (the spans' too), each line flat.
        LogFormat::Json => builder
            .json()
            .with_ansi(false)
            .event_format(FlatJson)
            .try_init(),
        LogFormat::Text => builder.with_ansi(colour()).try_init(),
    };
}

/// One JSON object per line with every field at the top level: the
/// event's own, and those of the spans it is in (the request's method,
/// route, path, client, status, ...), so a log pipeline reads
/// `.route` rather than `.span.route`. Inner spans win over outer ones and
/// the event over its spans. Needs `JsonFields` as the field formatter
/// (`.json()` sets it), which keeps each span's fields as a JSON object.
pub struct FlatJson;

impl<S, N> FormatEvent<S, N> for FlatJson
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> std::fmt::Result {
        // The request's fields (and any other span's), then the event's.
        let mut fields = Map::new();
        let mut innermost = None;
        if let Some(scope) = ctx.event_scope() {
            for span in scope.from_root() {
                let ext = span.extensions();
                if let Some(f) = ext.get::<FormattedFields<N>>() {
                    if let Ok(Value::Object(own)) = serde_json::from_str::<Value>(&f.fields) {
                        fields.extend(own);
                    }
                }
                innermost = Some(span.name());
            }
        }
        event.record(&mut JsonVisitor(&mut fields));
        // Time, level and message first, as a person reads a line; the
        // rest in name order.
        let mut time = String::new();
        let _ = SystemTime.format_time(&mut Writer::new(&mut time));
        let meta = event.metadata();
        let mut head = vec![
            ("timestamp", Value::String(time)),
            ("level", meta.level().as_str().into()),
        ];
        if let Some(m) = fields.remove("message") {
            head.push(("message", m));
        }
        head.push(("target", meta.target().into()));
        if let Some(name) = innermost {
            head.push(("span", name.into()));
        }
        // Each key once: the line's own keys win over a field of the name.
        for (k, _) in &head {
            fields.remove(*k);
        }
        let mut first = true;
        writer.write_char('{')?;
        let head = head.into_iter().map(|(k, v)| (k.to_string(), v));
        for (k, v) in head.chain(fields) {
            if !first {
                writer.write_char(',')?;
            }
            first = false;
            // Writing JSON values to a String does not fail.
            let k = serde_json::to_string(&k).unwrap_or_default();
            let v = serde_json::to_string(&v).unwrap_or_default();
            write!(writer, "{k}:{v}")?;
        }
        writeln!(writer, "}}")
    }
}

/// An event's fields into a JSON object.
struct JsonVisitor<'a>(&'a mut Map<String, Value>);

impl Visit for JsonVisitor<'_> {
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.0.insert(field.name().into(), value.into());
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().into(), value.into());
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().into(), value.into());
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().into(), value.into());
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().into(), value.into());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0
            .insert(field.name().into(), format!("{value:?}").into());
    }
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
