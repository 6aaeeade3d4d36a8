//! The codec floor of a route in `bench/load.sh`: the time the bare
//! third-party parsers and writers take over the bytes the gateway reads
//! and writes for one request, in µs per request.
//!
//!   codec-floor [--ms N] STEP...
//!
//! where each STEP is `parse:FORMAT:FILE` or `write:FORMAT:FILE`, FORMAT
//! one of `xml`, `json`, `jsv`:
//!
//! - `parse:xml`: a quick-xml `NsReader` event pass with namespaces
//!   resolved, building nothing (the floor in `benches/vehizen_codec.rs`);
//! - `parse:json`: `serde_json::from_slice::<Value>`;
//! - `parse:jsv`: a byte scan counting the structural bytes (no JSV parser
//!   exists to compare with; the floor in `benches/codecs.rs`);
//! - `write:json`: `serde_json::to_vec` of the file's value, parsed before
//!   the timing;
//! - `write:xml`, `write:jsv`: a copy of the bytes (no bare writer to
//!   compare with: a writer must at least produce them).
//!
//! An empty FILE is a step of 0 µs (a `204` answer, a GET's request body).
//! Each step runs for `--ms` milliseconds (default 300) in 10 batches after
//! a warm-up; its time is the fastest batch's mean, since a floor should
//! not carry the noise of a shared machine. Prints each step on stderr and
//! the sum on stdout.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use quick_xml::events::Event;

#[derive(Clone, Copy)]
enum Format {
    Xml,
    Json,
    Jsv,
}

enum Step {
    ParseXml(Vec<u8>),
    ParseJson(Vec<u8>),
    ParseJsv(Vec<u8>),
    WriteJson(serde_json::Value),
    WriteCopy(Vec<u8>),
    Nothing,
}

fn xml_events(body: &[u8]) -> Result<usize, quick_xml::Error> {
    let mut r = quick_xml::NsReader::from_reader(body);
    let mut n = 0;
    loop {
        match r.read_resolved_event()? {
            (_, Event::Eof) => return Ok(n),
            _ => n += 1,
        }
    }
}

fn jsv_scan(body: &[u8]) -> usize {
    body.iter()
        .filter(|b| matches!(b, b'{' | b'}' | b'[' | b']' | b',' | b':'))
        .count()
}

impl Step {
    fn parse(arg: &str) -> Result<(Step, usize), String> {
        let mut parts = arg.splitn(3, ':');
        let (Some(op), Some(format), Some(file)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(format!("{arg}: expected parse|write:xml|json|jsv:FILE"));
        };
        let format = match format {
            "xml" => Format::Xml,
            "json" => Format::Json,
            "jsv" => Format::Jsv,
            other => return Err(format!("{arg}: unknown format {other}")),
        };
        let bytes = std::fs::read(file).map_err(|e| format!("{file}: {e}"))?;
        let len = bytes.len();
        if bytes.is_empty() {
            return Ok((Step::Nothing, 0));
        }
        let step = match (op, format) {
            ("parse", Format::Xml) => {
                xml_events(&bytes).map_err(|e| format!("{file}: not well-formed XML: {e}"))?;
                Step::ParseXml(bytes)
            }
            ("parse", Format::Json) => {
                serde_json::from_slice::<serde_json::Value>(&bytes)
                    .map_err(|e| format!("{file}: not JSON: {e}"))?;
                Step::ParseJson(bytes)
            }
            ("parse", Format::Jsv) => Step::ParseJsv(bytes),
            ("write", Format::Json) => Step::WriteJson(
                serde_json::from_slice(&bytes).map_err(|e| format!("{file}: not JSON: {e}"))?,
            ),
            ("write", Format::Xml | Format::Jsv) => Step::WriteCopy(bytes),
            (other, _) => return Err(format!("{arg}: unknown operation {other}")),
        };
        Ok((step, len))
    }

    /// One run; returns something that depends on the work.
    fn run(&self) -> usize {
        match self {
            Step::ParseXml(b) => xml_events(black_box(b)).unwrap_or(0),
            Step::ParseJson(b) => serde_json::from_slice::<serde_json::Value>(black_box(b))
                .map(|v| usize::from(v.is_object()))
                .unwrap_or(0),
            Step::ParseJsv(b) => jsv_scan(black_box(b)),
            Step::WriteJson(v) => serde_json::to_vec(black_box(v))
                .map(|b| b.len())
                .unwrap_or(0),
            Step::WriteCopy(b) => black_box(b).to_vec().len(),
            Step::Nothing => 0,
        }
    }

    /// µs per run: the fastest of 10 batches' means over `budget`.
    fn time(&self, budget: Duration) -> f64 {
        if matches!(self, Step::Nothing) {
            return 0.0;
        }
        let warm = Instant::now();
        let mut runs: u32 = 0;
        while warm.elapsed() < budget / 5 || runs < 10 {
            black_box(self.run());
            runs += 1;
        }
        // Runs per batch, so that a batch takes about a tenth of the budget.
        let per_run = warm.elapsed().as_secs_f64() / f64::from(runs);
        let batch = ((budget.as_secs_f64() / 10.0 / per_run) as u64).max(1);
        let mut best = f64::INFINITY;
        for _ in 0..10 {
            let start = Instant::now();
            for _ in 0..batch {
                black_box(self.run());
            }
            best = best.min(start.elapsed().as_secs_f64() / batch as f64);
        }
        best * 1e6
    }
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut budget = Duration::from_millis(300);
    if args.first().map(String::as_str) == Some("--ms") {
        match args.get(1).and_then(|v| v.parse::<u64>().ok()) {
            Some(ms) => budget = Duration::from_millis(ms),
            None => {
                eprintln!("codec-floor: --ms takes a number of milliseconds");
                return ExitCode::from(2);
            }
        }
        args.drain(..2);
    }
    if args.is_empty() {
        eprintln!("usage: codec-floor [--ms N] parse|write:xml|json|jsv:FILE...");
        return ExitCode::from(2);
    }
    let mut total = 0.0;
    for arg in &args {
        let (step, len) = match Step::parse(arg) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("codec-floor: {e}");
                return ExitCode::from(2);
            }
        };
        let us = step.time(budget);
        eprintln!("  {arg} ({len} B): {us:.3} µs");
        total += us;
    }
    println!("{total:.2}");
    ExitCode::SUCCESS
}
