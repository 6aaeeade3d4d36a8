//! The Redis store: every replica sees every key.
//!
//! - `begin`: `SET key marker NX PX <in-flight ttl>`; when the key is taken,
//!   the same script returns its record (one round trip, atomic).
//! - `complete`: a script replaces the marker with the answer (`PX
//!   <window>`) only if the marker is still the caller's (its token).
//! - `abandon`: a script deletes the key only if the marker is the caller's.
//!
//! Records: a marker is `I<token> <fingerprint>`; an answer is
//! `D<json header>\n<body bytes>` (Redis values are binary safe).
//!
//! The connection is a [`ConnectionManager`] made lazily (a replica starts
//! while Redis is down) that reconnects on failure; every command has a
//! response timeout so a hung Redis answers 503 instead of hanging.

use super::{Begin, BoxFuture, Store, StoreError, StoredResponse, Token};
use crate::secret::Secret;
use ::redis::aio::{ConnectionManager, ConnectionManagerConfig};
use ::redis::{Client, Script};
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use std::time::Duration;

const BEGIN: &str = r"
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
return redis.call('GET', KEYS[1])
";

/// ARGV[1] is `I<token> `, the start of the caller's marker.
const COMPLETE: &str = r"
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, string.len(ARGV[1])) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
";

/// ARGV[1] is `I<token> `, the start of the caller's marker.
const ABANDON: &str = r"
local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, string.len(ARGV[1])) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

/// Prefix of every key the gateway writes.
pub const KEY_PREFIX: &str = "crossdock:idem:";

pub struct RedisStore {
    conn: ConnectionManager,
    window: Duration,
    in_flight_ttl: Duration,
    begin: Script,
    complete: Script,
    abandon: Script,
}

#[derive(Serialize, Deserialize)]
struct Header {
    fp: String,
    status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    ct: Option<String>,
}

/// Why a `redis_url` cannot be used; never holds the URL.
pub fn check_url(url: &Secret) -> Result<Client, String> {
    let u = url.expose();
    if !(u.starts_with("redis://") || u.starts_with("unix://") || u.starts_with("redis+unix://")) {
        return Err(
            "must start with redis:// (or unix:// for a socket); rediss:// (TLS) is not built in"
                .into(),
        );
    }
    // The redis crate's message may quote the URL (and its password): only
    // its kind is reported.
    Client::open(u).map_err(|e| {
        format!(
            "not a valid Redis URL ({:?}); expected redis://[:password@]host[:port][/db]",
            e.kind()
        )
    })
}

/// A connection to `url` made by the first command (a replica starts while
/// Redis is down) and made again after a failure; every command waits at
/// most `response_timeout`. Must run inside the Tokio runtime. Shared with
/// the rate limits (`api::rate_limit`).
pub fn connect_lazily(
    url: &Secret,
    response_timeout: Duration,
) -> Result<ConnectionManager, String> {
    let client = check_url(url)?;
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(Some(Duration::from_secs(1)))
        .set_response_timeout(Some(response_timeout))
        .set_number_of_retries(2)
        .set_max_delay(Duration::from_millis(500));
    ConnectionManager::new_lazy_with_config(client, config)
        .map_err(|e| format!("cannot set up the Redis connection ({:?})", e.kind()))
}

impl RedisStore {
    /// Does not connect: the first command does, and reconnects follow
    /// failures. Must run inside the Tokio runtime.
    pub fn new(
        url: &Secret,
        window: Duration,
        in_flight_ttl: Duration,
    ) -> Result<RedisStore, String> {
        let conn = connect_lazily(url, Duration::from_secs(1))?;
        Ok(RedisStore {
            conn,
            window,
            in_flight_ttl,
            begin: Script::new(BEGIN),
            complete: Script::new(COMPLETE),
            abandon: Script::new(ABANDON),
        })
    }

    fn key(key: &str) -> String {
        format!("{KEY_PREFIX}{key}")
    }
}

fn unavailable(e: ::redis::RedisError) -> StoreError {
    // The error's text can name the server; the kind is enough.
    StoreError::Unavailable(format!("{:?}", e.kind()))
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)
}

fn marker(token: &Token, fingerprint: &str) -> Vec<u8> {
    format!("I{} {fingerprint}", token.as_str()).into_bytes()
}

/// The start of every marker `token` holds.
fn holder(token: &Token) -> String {
    format!("I{} ", token.as_str())
}

fn encode(r: &StoredResponse) -> Vec<u8> {
    let header = Header {
        fp: r.fingerprint.clone(),
        status: r.status,
        ct: r.content_type.clone(),
    };
    let mut out = b"D".to_vec();
    // A struct of strings and a number always serializes.
    out.extend(serde_json::to_vec(&header).unwrap_or_default());
    out.push(b'\n');
    out.extend_from_slice(&r.body);
    out
}

fn decode(v: &[u8]) -> Result<Begin, StoreError> {
    match v.split_first() {
        Some((b'I', rest)) => {
            let text = std::str::from_utf8(rest).map_err(|_| StoreError::Corrupt)?;
            let (_token, fp) = text.split_once(' ').ok_or(StoreError::Corrupt)?;
            Ok(Begin::InFlight {
                fingerprint: fp.to_owned(),
            })
        }
        Some((b'D', rest)) => {
            let nl = rest
                .iter()
                .position(|b| *b == b'\n')
                .ok_or(StoreError::Corrupt)?;
            let header: Header =
                serde_json::from_slice(&rest[..nl]).map_err(|_| StoreError::Corrupt)?;
            Ok(Begin::Done(StoredResponse {
                fingerprint: header.fp,
                status: header.status,
                content_type: header.ct,
                body: Bytes::copy_from_slice(&rest[nl + 1..]),
            }))
        }
        _ => Err(StoreError::Corrupt),
    }
}

impl Store for RedisStore {
    fn begin<'a>(
        &'a self,
        key: &'a str,
        fingerprint: &'a str,
    ) -> BoxFuture<'a, Result<Begin, StoreError>> {
        Box::pin(async move {
            let token = Token::new();
            let mut conn = self.conn.clone();
            let found: Option<Vec<u8>> = self
                .begin
                .key(Self::key(key))
                .arg(marker(&token, fingerprint))
                .arg(millis(self.in_flight_ttl))
                .invoke_async(&mut conn)
                .await
                .map_err(unavailable)?;
            match found {
                None => Ok(Begin::New(token)),
                Some(v) => decode(&v),
            }
        })
    }

    fn complete<'a>(
        &'a self,
        key: &'a str,
        token: &'a Token,
        response: StoredResponse,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let done: i64 = self
                .complete
                .key(Self::key(key))
                .arg(holder(token))
                .arg(encode(&response))
                .arg(millis(self.window))
                .invoke_async(&mut conn)
                .await
                .map_err(unavailable)?;
            if done == 1 {
                Ok(())
            } else {
                Err(StoreError::MarkerLost)
            }
        })
    }

    fn abandon<'a>(
        &'a self,
        key: &'a str,
        token: &'a Token,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let mut conn = self.conn.clone();
            let _: i64 = self
                .abandon
                .key(Self::key(key))
                .arg(holder(token))
                .invoke_async(&mut conn)
                .await
                .map_err(unavailable)?;
            Ok(())
        })
    }

    fn kind(&self) -> &'static str {
        "redis"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip() {
        let r = StoredResponse {
            fingerprint: "abc".into(),
            status: 201,
            content_type: Some("application/json".into()),
            body: Bytes::from_static(b"{\"a\":\"x\ny\"}\n"),
        };
        assert_eq!(decode(&encode(&r)).unwrap(), Begin::Done(r));
        let t = Token::new();
        assert_eq!(
            decode(&marker(&t, "fp")).unwrap(),
            Begin::InFlight {
                fingerprint: "fp".into()
            }
        );
        assert!(matches!(decode(b"X"), Err(StoreError::Corrupt)));
        assert!(matches!(decode(b"D{}"), Err(StoreError::Corrupt)));
    }

    #[test]
    fn bad_urls_are_named_without_their_text() {
        for bad in ["http://h", "rediss://:pw@h", "redis://:pw@h:notaport", ""] {
            let e = check_url(&Secret::new(bad)).err().unwrap_or_default();
            assert!(!e.is_empty(), "{bad} accepted");
            assert!(!e.contains("pw"), "{e}");
        }
        assert!(check_url(&Secret::new("redis://:pw@127.0.0.1:6379/0")).is_ok());
    }

    fn resp(fp: &str, status: u16) -> StoredResponse {
        StoredResponse {
            fingerprint: fp.into(),
            status,
            content_type: Some("application/json".into()),
            body: Bytes::from_static(b"{\"data\":1}"),
        }
    }

    fn store(server: &testing::RedisServer, window: Duration) -> RedisStore {
        RedisStore::new(
            &Secret::new(server.url()),
            window,
            Duration::from_millis(300),
        )
        .unwrap()
    }

    #[tokio::test]
    async fn semantics_against_a_real_redis() {
        let Some(server) = testing::RedisServer::start().unwrap() else {
            return;
        };
        let s = store(&server, Duration::from_secs(60));
        let Begin::New(t) = s.begin("k", "fp").await.unwrap() else {
            panic!("new")
        };
        assert_eq!(
            s.begin("k", "other").await.unwrap(),
            Begin::InFlight {
                fingerprint: "fp".into()
            }
        );
        // Only the holder completes or releases.
        assert!(matches!(
            s.complete("k", &Token::new(), resp("fp", 200)).await,
            Err(StoreError::MarkerLost)
        ));
        s.abandon("k", &Token::new()).await.unwrap();
        s.complete("k", &t, resp("fp", 201)).await.unwrap();
        assert_eq!(
            s.begin("k", "fp").await.unwrap(),
            Begin::Done(resp("fp", 201))
        );
        s.abandon("k", &t).await.unwrap();
        assert!(matches!(s.begin("k", "fp").await.unwrap(), Begin::Done(_)));

        // Released: free again.
        let Begin::New(t2) = s.begin("k2", "fp").await.unwrap() else {
            panic!("new")
        };
        s.abandon("k2", &t2).await.unwrap();
        assert!(matches!(s.begin("k2", "fp").await.unwrap(), Begin::New(_)));

        // A stuck marker expires (in-flight ttl 300 ms); so does an answer.
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert!(matches!(s.begin("k2", "fp").await.unwrap(), Begin::New(_)));
        let short = store(&server, Duration::from_millis(100));
        let Begin::New(t3) = short.begin("k3", "fp").await.unwrap() else {
            panic!("new")
        };
        short.complete("k3", &t3, resp("fp", 200)).await.unwrap();
        assert!(matches!(
            short.begin("k3", "fp").await.unwrap(),
            Begin::Done(_)
        ));
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(matches!(
            short.begin("k3", "fp").await.unwrap(),
            Begin::New(_)
        ));
    }

    #[tokio::test]
    async fn concurrent_begins_admit_exactly_one() {
        let Some(server) = testing::RedisServer::start().unwrap() else {
            return;
        };
        let s = std::sync::Arc::new(store(&server, Duration::from_secs(60)));
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let s = s.clone();
                tokio::spawn(async move { s.begin("race", "fp").await.unwrap() })
            })
            .collect();
        let mut new = 0;
        for t in tasks {
            if let Begin::New(_) = t.await.unwrap() {
                new += 1;
            }
        }
        assert_eq!(new, 1);
    }

    #[tokio::test]
    async fn redis_down_is_an_error_not_a_pass_and_reconnects() {
        let Some(mut server) = testing::RedisServer::start().unwrap() else {
            return;
        };
        let s = store(&server, Duration::from_secs(60));
        assert!(matches!(s.begin("a", "fp").await.unwrap(), Begin::New(_)));
        let port = server.port;
        server.stop();
        assert!(matches!(
            s.begin("b", "fp").await,
            Err(StoreError::Unavailable(_))
        ));
        // Back on the same port: the manager reconnects.
        let mut child = std::process::Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut ok = false;
        for _ in 0..100 {
            tokio::time::sleep(Duration::from_millis(50)).await;
            if let Ok(Begin::New(_)) = s.begin("c", "fp").await {
                ok = true;
                break;
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        assert!(ok, "the store did not reconnect");
    }
}

/// A throwaway `redis-server` on a loopback port, for tests (this crate's
/// and the integration tests').
#[doc(hidden)]
pub mod testing {
    // Waits for a real redis-server process, outside any runtime: real time.
    #![allow(clippy::disallowed_types, clippy::disallowed_methods)]
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::process::{Child, Command, Stdio};
    use std::time::{Duration, Instant};

    /// Killed (by its own process handle) when dropped.
    pub struct RedisServer {
        child: Child,
        pub port: u16,
    }

    impl RedisServer {
        /// `Ok(None)` when `redis-server` is not installed and
        /// `CROSSDOCK_REQUIRE_REDIS` is not `1` (the caller skips, saying
        /// so); an error when it is required but missing, or will not start.
        pub fn start() -> Result<Option<RedisServer>, String> {
            let required = std::env::var("CROSSDOCK_REQUIRE_REDIS").is_ok_and(|v| v == "1");
            let found = Command::new("redis-server")
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if !found {
                return if required {
                    Err("redis-server is missing and CROSSDOCK_REQUIRE_REDIS=1".into())
                } else {
                    eprintln!("SKIPPED: redis-server is not installed (apt-get install redis-server; CI sets CROSSDOCK_REQUIRE_REDIS=1)");
                    Ok(None)
                };
            }
            let mut last = String::new();
            for _ in 0..5 {
                let port = TcpListener::bind("127.0.0.1:0")
                    .and_then(|l| l.local_addr())
                    .map_err(|e| e.to_string())?
                    .port();
                let child = Command::new("redis-server")
                    .args(["--port", &port.to_string()])
                    .args(["--bind", "127.0.0.1"])
                    .args(["--save", "", "--appendonly", "no"])
                    .arg("--dir")
                    .arg(std::env::temp_dir())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .map_err(|e| e.to_string())?;
                let mut server = RedisServer { child, port };
                if server.wait_ready(Duration::from_secs(5)) {
                    return Ok(Some(server));
                }
                last = format!("redis-server did not answer on port {port}");
                let _ = server.child.kill();
            }
            Err(last)
        }

        pub fn url(&self) -> String {
            format!("redis://127.0.0.1:{}/", self.port)
        }

        fn wait_ready(&mut self, within: Duration) -> bool {
            let start = Instant::now();
            while start.elapsed() < within {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return false;
                }
                if self.ping() {
                    return true;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            false
        }

        fn ping(&self) -> bool {
            let Ok(mut s) = TcpStream::connect(("127.0.0.1", self.port)) else {
                return false;
            };
            let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
            let mut buf = [0u8; 7];
            s.write_all(b"PING\r\n").is_ok()
                && s.read_exact(&mut buf).is_ok()
                && &buf == b"+PONG\r\n"
        }

        /// Stops the server (to test a Redis outage).
        pub fn stop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    impl Drop for RedisServer {
        fn drop(&mut self) {
            self.stop();
        }
    }
}
