//! The real binary's logs, written to a pipe as a container runtime or a
//! log shipper reads them: no colour codes, and one access line per
//! request whose JSON fields are flat (client, bytes, user agent, path,
//! route, status, ...) and never hold the query string.

// Waits on the real binary, a child process, outside any runtime: real time.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const ID: &str = "e55ab6e7-1056-4ab3-bd03-247f4b0efdd1";
const QUERY_MARK: &str = "leak-query-5e1";

struct Gateway {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
    stderr: std::thread::JoinHandle<String>,
}

impl Gateway {
    /// Starts the binary on ephemeral ports with `format` logs, stdout and
    /// stderr piped.
    fn start(format: &str) -> Gateway {
        let path = std::env::temp_dir().join(format!(
            "crossdock-log-{}.toml",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::write(
            &path,
            format!(
                "[server]\nlisten = \"127.0.0.1:0\"\nreload_poll_ms = 0\n[admin]\nlisten = \"127.0.0.1:0\"\n\
                 [logging]\nformat = \"{format}\"\nlevel = \"info\"\n\
                 [backends.vehizen]\nbase_url = \"sandbox\"\nformat = \"xml\"\n"
            ),
        )
        .unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_crossdock"))
            .args(["--config", path.to_str().unwrap()])
            .env_remove("RUST_LOG")
            .env_remove("NO_COLOR")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut stderr = child.stderr.take().unwrap();
        let stderr = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = stderr.read_to_string(&mut s);
            s
        });
        Gateway {
            child,
            lines,
            seen: Vec::new(),
            stderr,
        }
    }

    /// The first stdout line (from now on) that `want` accepts.
    fn wait_for(&mut self, what: &str, want: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if want(&line) {
                        return line;
                    }
                }
                Err(_) => panic!("no {what} line in:\n{}", self.seen.join("\n")),
            }
        }
    }

    /// The public address, from the `crossdock listening` line.
    fn public(&mut self) -> std::net::SocketAddr {
        let line = self.wait_for("listening", |l| l.contains("crossdock listening"));
        let at = line.find("public").expect("public address");
        let rest = &line[at + "public".len()..];
        let addr: String = rest
            .trim_start_matches(['=', '"', ':'])
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ':')
            .collect();
        addr.parse()
            .unwrap_or_else(|_| panic!("no address in {line}"))
    }

    /// Stops the binary; everything it wrote to stdout and stderr.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let rest: Vec<String> = self.lines.iter().collect();
        let mut out = self.seen.join("\n");
        out.push('\n');
        out.push_str(&rest.join("\n"));
        out.push_str(&self.stderr.join().unwrap());
        out
    }
}

/// GET the group with a user agent and a query string; the status.
fn get(addr: std::net::SocketAddr) -> u16 {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET /v1/customer-groups/{ID}?note={QUERY_MARK} HTTP/1.1\r\nHost: a\r\n\
         User-Agent: probe/1.0 (tests)\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0)
}

#[test]
fn text_logs_to_a_pipe_carry_no_colour_codes() {
    let mut gw = Gateway::start("text");
    let addr = gw.public();
    assert_eq!(get(addr), 200);
    let line = gw.wait_for("access", |l| l.contains("request finished"));
    for want in [
        "client=127.0.0.1",
        "status=200",
        "route=\"/v1/customer-groups/{id}\"",
    ] {
        assert!(line.contains(want), "{want} not in {line}");
    }
    let out = gw.stop();
    assert!(!out.contains('\u{1b}'), "escape codes in:\n{out}");
    assert!(
        !out.contains(QUERY_MARK),
        "the query string is logged:\n{out}"
    );
}

#[test]
fn the_json_access_line_has_flat_fields() {
    let mut gw = Gateway::start("json");
    let addr = gw.public();
    assert_eq!(get(addr), 200);
    let line = gw.wait_for("access", |l| l.contains("request finished"));
    let out = gw.stop();
    assert!(!out.contains('\u{1b}'), "escape codes in:\n{out}");
    assert!(
        !out.contains(QUERY_MARK),
        "the query string is logged:\n{out}"
    );
    let v: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
    assert_eq!(v["message"], "request finished", "{v}");
    assert_eq!(v["level"], "INFO", "{v}");
    assert_eq!(v["client"], "127.0.0.1", "{v}");
    assert_eq!(v["user_agent"], "probe/1.0 (tests)", "{v}");
    assert_eq!(v["path"], format!("/v1/customer-groups/{ID}"), "{v}");
    assert_eq!(v["route"], "/v1/customer-groups/{id}", "{v}");
    assert_eq!(v["method"], "GET", "{v}");
    assert_eq!(v["status"], 200, "{v}");
    assert_eq!(v["backend"], "vehizen", "{v}");
    assert_eq!(v["tenant"], "default", "{v}");
    assert!(v["bytes"].as_u64().is_some_and(|b| b > 0), "{v}");
    assert!(v["latency_ms"].is_number(), "{v}");
    assert!(
        v["request_id"].as_str().is_some_and(|s| !s.is_empty()),
        "{v}"
    );
    // Flat: nothing nested under `span` or `fields`.
    assert!(v.get("fields").is_none(), "{v}");
    assert!(!v["span"].is_object(), "{v}");
    // Every line is JSON.
    for l in out.lines().filter(|l| !l.trim().is_empty()) {
        assert!(
            serde_json::from_str::<serde_json::Value>(l).is_ok(),
            "not JSON: {l}"
        );
    }
}
