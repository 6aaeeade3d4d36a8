//! `TokenSource`: the OAuth2 bearer token a backend sends to its vendor,
//! fetched from the token endpoint of `[backends.<name>.oauth]`, cached,
//! and renewed before it runs out.
//!
//! - Renewal starts `min(30 s, expires_in / 4)` before expiry, with
//!   `grant_type=refresh_token` when the endpoint gave a refresh token (a
//!   refused refresh falls back to a new grant), else a new grant.
//! - Single flight: however many requests need a token at once, one token
//!   call is made; the others wait for it and share its result (a failure
//!   too, so a down endpoint is not hammered by a queue of retries). While
//!   a still-valid token is being renewed, requests keep using it.
//! - `invalidate` drops a token the vendor refused (401), so the next
//!   request gets a fresh one.
//!
//! Nothing here logs or prints a token, a refresh token, a password or the
//! client secret; `AuthError` never carries the endpoint's body.

use super::{BaseUrl, ConnectError, TlsFailure, VendorClient};
use super::{OAuthConfig, OAuthGrant, OutboundConfig};
use crate::secret::{sensitive_header, Secret};
use bytes::Bytes;
use http::header::{ACCEPT, CONTENT_TYPE};
use http::{HeaderValue, Method, StatusCode, Uri};
use http_body_util::{BodyExt, Full, Limited};
use serde::{Deserialize, Deserializer};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::time::Instant;

/// Largest token answer read (a Keycloak answer is ~3 KiB).
const MAX_ANSWER_BYTES: usize = 64 * 1024;
/// Lifetime assumed when the endpoint gives no `expires_in`.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(60);
/// Renewal starts at most this long before expiry.
const MAX_MARGIN: Duration = Duration::from_secs(30);
/// Longest lifetime taken from an answer (keeps `Instant` arithmetic sane).
const MAX_LIFETIME: Duration = Duration::from_secs(365 * 24 * 3600);

/// Why no token could be had. The exchange answers 502
/// `vendor_auth_failed`. Never carries the endpoint's body, a token or a
/// credential.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// The endpoint answered with an error status. `error` is the OAuth2
    /// error code when it is one of RFC 6749's (never free text).
    #[error(
        "the token endpoint refused the request (HTTP {}){}",
        .status.as_u16(),
        .error.map(|c| format!(": {c}")).unwrap_or_default()
    )]
    Refused {
        status: StatusCode,
        error: Option<&'static str>,
    },
    /// No connection, or it broke.
    #[error("could not reach the token endpoint")]
    Unreachable,
    /// No complete answer within the timeout.
    #[error("the token endpoint did not answer in time")]
    Timeout,
    /// TLS with the token endpoint failed.
    #[error("TLS with the token endpoint failed: {0}")]
    Tls(TlsFailure),
    /// An answer that is not a usable token.
    #[error("the token endpoint's answer is unreadable: {0}")]
    Unreadable(&'static str),
}

/// RFC 6749 §5.2 error codes, the only endpoint text ever repeated.
const OAUTH_ERRORS: &[&str] = &[
    "invalid_request",
    "invalid_client",
    "invalid_grant",
    "unauthorized_client",
    "unsupported_grant_type",
    "invalid_scope",
];

/// A bearer token source for one backend. Clones share the cache.
#[derive(Clone)]
pub struct TokenSource {
    inner: Arc<Inner>,
}

struct Inner {
    client: VendorClient,
    token_uri: Uri,
    grant: OAuthGrant,
    client_id: String,
    client_secret: Option<Secret>,
    username: Option<Secret>,
    password: Option<Secret>,
    scope: Option<String>,
    timeout: Duration,
    /// The token in use, read without waiting.
    current: Mutex<Option<Current>>,
    /// Held while a token call is in flight: the single flight.
    renewal: tokio::sync::Mutex<Renewal>,
    /// Token calls finished so far (success or not).
    finished: AtomicU64,
}

#[derive(Clone)]
struct Current {
    header: HeaderValue,
    renew_at: Instant,
    expires_at: Instant,
}

#[derive(Default)]
struct Renewal {
    refresh: Option<Refresh>,
    /// The last call's error, shared with the callers that waited for it.
    last_error: Option<AuthError>,
}

struct Refresh {
    token: Secret,
    /// `None`: the endpoint gave no expiry.
    expires_at: Option<Instant>,
}

/// The token endpoint's JSON answer (RFC 6749 §5.1; Keycloak adds keys,
/// which are ignored).
#[derive(Deserialize)]
struct Answer {
    access_token: Secret,
    #[serde(default)]
    token_type: Option<String>,
    #[serde(default, deserialize_with = "seconds")]
    expires_in: Option<u64>,
    #[serde(default)]
    refresh_token: Option<Secret>,
    #[serde(default, deserialize_with = "seconds")]
    refresh_expires_in: Option<u64>,
}

/// Seconds as a number or as digits in a string (some endpoints quote it).
fn seconds<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Number(n)) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64))
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom("not a number of seconds")),
        Some(serde_json::Value::String(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| serde::de::Error::custom("not a number of seconds")),
        Some(_) => Err(serde::de::Error::custom("not a number of seconds")),
    }
}

impl TokenSource {
    /// A source that asks `oauth.token_url` through `client`, each call
    /// bounded by `timeout`.
    pub fn new(
        oauth: &OAuthConfig,
        client: VendorClient,
        timeout: Duration,
    ) -> Result<TokenSource, ConnectError> {
        BaseUrl::parse(&oauth.token_url)
            .map_err(|e| ConnectError(format!("oauth.token_url: {e}")))?;
        let token_uri: Uri = oauth
            .token_url
            .parse()
            .map_err(|_| ConnectError("oauth.token_url: not a URL".into()))?;
        Ok(TokenSource {
            inner: Arc::new(Inner {
                client,
                token_uri,
                grant: oauth.grant,
                client_id: oauth.client_id.clone(),
                client_secret: oauth.client_secret.clone(),
                username: oauth.username.clone(),
                password: oauth.password.clone(),
                scope: oauth.scope.clone(),
                timeout,
                current: Mutex::new(None),
                renewal: tokio::sync::Mutex::new(Renewal::default()),
                finished: AtomicU64::new(0),
            }),
        })
    }

    /// The source of a backend with `[backends.<name>.oauth]` (`None`
    /// without one): its client is built for the token URL with the
    /// backend's `tls` and proxy settings, and calls are bounded by the
    /// backend's `timeout_ms`.
    pub fn for_backend(cfg: &OutboundConfig) -> Result<Option<TokenSource>, ConnectError> {
        let Some(oauth) = &cfg.oauth else {
            return Ok(None);
        };
        let target = BaseUrl::parse(&oauth.token_url)
            .map_err(|e| ConnectError(format!("oauth.token_url: {e}")))?;
        let client = VendorClient::new(cfg, &target)?;
        let timeout = Duration::from_millis(cfg.timeout_ms.max(1));
        TokenSource::new(oauth, client, timeout).map(Some)
    }

    /// The `Authorization` value to send (`Bearer <token>`, marked
    /// sensitive), from the cache or a token call.
    pub async fn bearer(&self) -> Result<HeaderValue, AuthError> {
        let inner = &*self.inner;
        let seen = inner.finished.load(Ordering::Acquire);
        if let Some(c) = self.current() {
            let now = Instant::now();
            if now < c.renew_at {
                return Ok(c.header);
            }
            if now < c.expires_at {
                // Renewal is due but the token still works: one caller
                // renews, the others go on with it meanwhile.
                let Ok(mut renewal) = inner.renewal.try_lock() else {
                    return Ok(c.header);
                };
                if let Some(fresh) = self.current().filter(|f| Instant::now() < f.renew_at) {
                    return Ok(fresh.header);
                }
                return match self.renew(&mut renewal).await {
                    Ok(h) => Ok(h),
                    Err(e) => {
                        tracing::warn!(error = %e, "token renewal failed; the current token is used until it expires");
                        Ok(c.header)
                    }
                };
            }
        }
        let mut renewal = inner.renewal.lock().await;
        // Whoever held the lock may have fetched a token, or failed to:
        // either way this caller shares that call's result.
        if let Some(c) = self.current() {
            if Instant::now() < c.expires_at {
                return Ok(c.header);
            }
        }
        if inner.finished.load(Ordering::Acquire) != seen {
            if let Some(e) = &renewal.last_error {
                return Err(e.clone());
            }
        }
        self.renew(&mut renewal).await
    }

    /// Forgets the cached token if it is still `used` (the vendor answered
    /// 401 to it); the next [`TokenSource::bearer`] gets a fresh one.
    pub fn invalidate(&self, used: &HeaderValue) {
        let mut current = self
            .inner
            .current
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if current.as_ref().is_some_and(|c| c.header == *used) {
            *current = None;
        }
    }

    fn current(&self) -> Option<Current> {
        self.inner
            .current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// One renewal, under the single-flight lock.
    async fn renew(&self, renewal: &mut Renewal) -> Result<HeaderValue, AuthError> {
        let result = self.fetch(renewal).await;
        renewal.last_error = result.as_ref().err().cloned();
        self.inner.finished.fetch_add(1, Ordering::AcqRel);
        result
    }

    async fn fetch(&self, renewal: &mut Renewal) -> Result<HeaderValue, AuthError> {
        let now = Instant::now();
        let refresh = renewal
            .refresh
            .take()
            .filter(|r| r.expires_at.is_none_or(|at| now < at));
        if let Some(refresh) = refresh {
            let form = self.refresh_form(&refresh.token);
            match self.call(&form).await {
                Ok((answer, sent)) => return self.store(answer, sent, renewal, Some(refresh)),
                Err(e @ AuthError::Refused { .. }) => {
                    tracing::debug!(error = %e, "refresh token refused; asking for a new grant");
                }
                Err(e) => {
                    renewal.refresh = Some(refresh);
                    return Err(e);
                }
            }
        }
        let form = self.grant_form();
        let (answer, sent) = self.call(&form).await?;
        self.store(answer, sent, renewal, None)
    }

    fn grant_form(&self) -> Vec<(&'static str, &str)> {
        let i = &*self.inner;
        let mut form = vec![
            ("grant_type", i.grant.as_str()),
            ("client_id", i.client_id.as_str()),
        ];
        if let Some(s) = &i.client_secret {
            form.push(("client_secret", s.expose()));
        }
        if i.grant == OAuthGrant::Password {
            if let Some(u) = &i.username {
                form.push(("username", u.expose()));
            }
            if let Some(p) = &i.password {
                form.push(("password", p.expose()));
            }
        }
        if let Some(scope) = &i.scope {
            form.push(("scope", scope.as_str()));
        }
        form
    }

    fn refresh_form<'a>(&'a self, token: &'a Secret) -> Vec<(&'static str, &'a str)> {
        let i = &*self.inner;
        let mut form = vec![
            ("grant_type", "refresh_token"),
            ("refresh_token", token.expose()),
            ("client_id", i.client_id.as_str()),
        ];
        if let Some(s) = &i.client_secret {
            form.push(("client_secret", s.expose()));
        }
        form
    }

    /// One token call; the answer and when the request left (lifetimes
    /// count from then, to err on the early side).
    async fn call(&self, form: &[(&str, &str)]) -> Result<(Answer, Instant), AuthError> {
        let inner = &*self.inner;
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let mut req = http::Request::builder()
            .method(Method::POST)
            .uri(inner.token_uri.clone())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .body(Full::new(Bytes::from(body)))
            .map_err(|_| AuthError::Unreachable)?;
        // Part of the request (and vendor call) that needed the token.
        crate::trace::inject(&tracing::Span::current(), req.headers_mut());
        let sent = Instant::now();
        let exchange = async {
            let resp = inner
                .client
                .request(req)
                .await
                .map_err(|e| unreachable_or_tls(&e))?;
            let status = resp.status();
            let body = Limited::new(resp.into_body(), MAX_ANSWER_BYTES)
                .collect()
                .await
                .map_err(|e| {
                    if e.is::<http_body_util::LengthLimitError>() {
                        AuthError::Unreadable("larger than 64 KiB")
                    } else {
                        unreachable_or_tls(&*e)
                    }
                })?
                .to_bytes();
            Ok::<_, AuthError>((status, body))
        };
        let (status, body) = tokio::time::timeout(inner.timeout, exchange)
            .await
            .map_err(|_| AuthError::Timeout)??;
        if !status.is_success() {
            return Err(AuthError::Refused {
                status,
                error: oauth_error_code(&body),
            });
        }
        let answer: Answer = serde_json::from_slice(&body)
            .map_err(|_| AuthError::Unreadable("not a JSON token answer"))?;
        Ok((answer, sent))
    }

    /// Caches a token answer and keeps its refresh token (or the one just
    /// used, when the endpoint sends no new one).
    fn store(
        &self,
        answer: Answer,
        sent: Instant,
        renewal: &mut Renewal,
        used_refresh: Option<Refresh>,
    ) -> Result<HeaderValue, AuthError> {
        if answer
            .token_type
            .as_deref()
            .is_some_and(|t| !t.eq_ignore_ascii_case("bearer"))
        {
            return Err(AuthError::Unreadable("token_type is not Bearer"));
        }
        if answer.access_token.is_empty() {
            return Err(AuthError::Unreadable("access_token is empty"));
        }
        let header = sensitive_header(&format!("Bearer {}", answer.access_token.expose())).ok_or(
            AuthError::Unreadable("access_token is not a valid header value"),
        )?;
        let valid_for = lifetime(answer.expires_in).unwrap_or(DEFAULT_LIFETIME);
        let margin = MAX_MARGIN.min(valid_for / 4);
        let current = Current {
            header: header.clone(),
            renew_at: sent + (valid_for - margin),
            expires_at: sent + valid_for,
        };
        renewal.refresh = match answer.refresh_token.filter(|t| !t.is_empty()) {
            Some(token) => Some(Refresh {
                token,
                expires_at: lifetime(answer.refresh_expires_in).map(|l| sent + l),
            }),
            None => used_refresh,
        };
        tracing::debug!(
            expires_in_secs = valid_for.as_secs(),
            refreshable = renewal.refresh.is_some(),
            "bearer token obtained"
        );
        *self
            .inner
            .current
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(current);
        Ok(header)
    }
}

/// A lifetime in seconds; 0 and absent mean "not given".
fn lifetime(secs: Option<u64>) -> Option<Duration> {
    secs.filter(|s| *s > 0)
        .map(|s| Duration::from_secs(s).min(MAX_LIFETIME))
}

fn unreachable_or_tls(e: &(dyn std::error::Error + 'static)) -> AuthError {
    TlsFailure::find(e).map_or(AuthError::Unreachable, AuthError::Tls)
}

/// The RFC 6749 `error` code of an error answer, when it is a known one.
fn oauth_error_code(body: &[u8]) -> Option<&'static str> {
    #[derive(Deserialize)]
    struct ErrorAnswer {
        error: String,
    }
    let answer: ErrorAnswer = serde_json::from_slice(body).ok()?;
    OAUTH_ERRORS.iter().copied().find(|c| *c == answer.error)
}

impl std::fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let i = &*self.inner;
        f.debug_struct("TokenSource")
            .field("token_host", &i.token_uri.authority().map(|a| a.as_str()))
            .field("grant", &i.grant)
            .field("client_id", &i.client_id)
            .field("client", &i.client)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keycloak_answer_is_read() {
        let body = br#"{"access_token":"eyJ.a.b","expires_in":300,"refresh_expires_in":1800,
            "refresh_token":"eyJ.r.s","token_type":"Bearer","not-before-policy":0,
            "session_state":"5f0c","scope":"profile email"}"#;
        let a: Answer = serde_json::from_slice(body).unwrap();
        assert_eq!(a.access_token.expose(), "eyJ.a.b");
        assert_eq!(a.expires_in, Some(300));
        assert_eq!(a.refresh_expires_in, Some(1800));
        assert_eq!(a.refresh_token.unwrap().expose(), "eyJ.r.s");
        let a: Answer =
            serde_json::from_slice(br#"{"access_token":"t","expires_in":"3600"}"#).unwrap();
        assert_eq!(a.expires_in, Some(3600));
        assert!(a.token_type.is_none());
    }

    #[test]
    fn only_known_error_codes_are_repeated() {
        assert_eq!(
            oauth_error_code(
                br#"{"error":"invalid_grant","error_description":"Invalid user credentials"}"#
            ),
            Some("invalid_grant")
        );
        assert_eq!(
            oauth_error_code(br#"{"error":"password hunter2 wrong"}"#),
            None
        );
        assert_eq!(oauth_error_code(b"<html>"), None);
        let e = AuthError::Refused {
            status: StatusCode::UNAUTHORIZED,
            error: Some("invalid_client"),
        };
        assert_eq!(
            e.to_string(),
            "the token endpoint refused the request (HTTP 401): invalid_client"
        );
    }

    #[test]
    fn lifetimes_are_bounded() {
        assert_eq!(lifetime(Some(0)), None);
        assert_eq!(lifetime(None), None);
        assert_eq!(lifetime(Some(300)), Some(Duration::from_secs(300)));
        assert_eq!(lifetime(Some(u64::MAX)), Some(MAX_LIFETIME));
    }
}
