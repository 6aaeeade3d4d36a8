//! A fake OAuth2 token endpoint shaped like Keycloak's: form-encoded
//! grants (`password`, `client_credentials`, `refresh_token`), JSON
//! answers with short lifetimes, a call count, and switches to refuse.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Json;
use bytes::Bytes;
use http::StatusCode;
use serde_json::json;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The path the endpoint answers on (Keycloak's).
pub const TOKEN_PATH: &str = "/realms/bookmore-admin/protocol/openid-connect/token";

#[derive(Default)]
pub struct TokenEndpoint {
    /// Token calls answered (any outcome).
    pub calls: AtomicUsize,
    /// Every call's form, in order.
    pub forms: Mutex<Vec<HashMap<String, String>>>,
    /// `expires_in` of the tokens issued.
    pub lifetime_secs: AtomicU64,
    /// Issue refresh tokens.
    pub refresh: AtomicBool,
    /// Refuse every call (`invalid_client`).
    pub refuse_all: AtomicBool,
    /// Refuse refresh grants (`invalid_grant`, a revoked session).
    pub refuse_refresh: AtomicBool,
    /// Answer after this many milliseconds.
    pub delay_ms: AtomicU64,
    /// The credentials a password grant must carry.
    pub username: String,
    pub password: String,
    issued: AtomicUsize,
    refresh_tokens: Mutex<Vec<String>>,
}

impl TokenEndpoint {
    pub fn new(username: &str, password: &str, lifetime_secs: u64) -> Arc<TokenEndpoint> {
        let t = TokenEndpoint {
            username: username.into(),
            password: password.into(),
            ..TokenEndpoint::default()
        };
        t.lifetime_secs.store(lifetime_secs, Ordering::SeqCst);
        t.refresh.store(true, Ordering::SeqCst);
        Arc::new(t)
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    /// The `grant_type` of each call, in order.
    pub fn grants(&self) -> Vec<String> {
        self.forms
            .lock()
            .unwrap()
            .iter()
            .map(|f| f.get("grant_type").cloned().unwrap_or_default())
            .collect()
    }

    pub fn router(self: &Arc<Self>) -> axum::Router {
        axum::Router::new()
            .route(TOKEN_PATH, post(token))
            .with_state(self.clone())
    }
}

fn refused(status: StatusCode, error: &str) -> Response {
    (
        status,
        Json(json!({"error": error, "error_description": "refused by the test endpoint"})),
    )
        .into_response()
}

async fn token(
    State(t): State<Arc<TokenEndpoint>>,
    headers: http::HeaderMap,
    body: Bytes,
) -> Response {
    let form: HashMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    t.calls.fetch_add(1, Ordering::SeqCst);
    t.forms.lock().unwrap().push(form.clone());
    let delay = t.delay_ms.load(Ordering::SeqCst);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    assert_eq!(
        headers.get("content-type").unwrap(),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(headers.get("accept").unwrap(), "application/json");
    if t.refuse_all.load(Ordering::SeqCst) {
        return refused(StatusCode::UNAUTHORIZED, "invalid_client");
    }
    match form.get("grant_type").map(String::as_str) {
        Some("password") => {
            if form.get("username") != Some(&t.username)
                || form.get("password") != Some(&t.password)
            {
                return refused(StatusCode::UNAUTHORIZED, "invalid_grant");
            }
        }
        Some("client_credentials") => {
            if !form.contains_key("client_secret") {
                return refused(StatusCode::UNAUTHORIZED, "invalid_client");
            }
        }
        Some("refresh_token") => {
            let known = form
                .get("refresh_token")
                .is_some_and(|r| t.refresh_tokens.lock().unwrap().contains(r));
            if !known || t.refuse_refresh.load(Ordering::SeqCst) {
                return refused(StatusCode::BAD_REQUEST, "invalid_grant");
            }
        }
        _ => return refused(StatusCode::BAD_REQUEST, "unsupported_grant_type"),
    }
    let n = t.issued.fetch_add(1, Ordering::SeqCst) + 1;
    let mut answer = json!({
        "access_token": format!("access-T0KEN-{n}"),
        "token_type": "Bearer",
        "expires_in": t.lifetime_secs.load(Ordering::SeqCst),
        "not-before-policy": 0,
        "session_state": "5f0c",
        "scope": "profile email",
    });
    if t.refresh.load(Ordering::SeqCst) {
        let r = format!("refresh-T0KEN-{n}");
        t.refresh_tokens.lock().unwrap().push(r.clone());
        answer["refresh_token"] = json!(r);
        answer["refresh_expires_in"] = json!(1800);
    }
    Json(answer).into_response()
}
