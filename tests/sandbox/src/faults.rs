//! Faults a test switches on: latency, 429 with Retry-After, 5xx, for the next N service calls.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Deserialize;

use crate::Shared;

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct Faults {
    pub latency_ms: u64,
    /// The next N service calls answer 429 with `Retry-After: retry_after_secs`.
    pub rate_limit_next: u32,
    pub retry_after_secs: u64,
    /// The next N service calls answer 500.
    pub error_500_next: u32,
    /// The next N POSTs do their work, then the connection drops before the answer arrives.
    pub drop_create_next: u32,
    /// The next N service calls answer 200 with a body that is not JSON.
    pub malformed_next: u32,
    /// This share of service calls (0–100) answers 503, at random.
    pub error_rate_percent: u8,
    /// Seeds the draw above, so a test sees the same failures on every run (0: a fresh seed).
    pub random_seed: u64,
    /// At most this many random 503s in a row (0: no cap): a test of retries states what it
    /// expects them to ride out, instead of failing whenever chance exceeds it.
    pub random_streak_max: u32,
    /// How many calls the random draw has failed so far.
    #[serde(skip)]
    pub random_failures: u64,
    /// The draw's state (public so tests can build `Faults { .., ..Default::default() }`).
    #[serde(skip)]
    pub random_streak: u32,
    #[serde(skip)]
    pub rng: Option<StdRng>,
    /// The next N service calls answer `status_code` with `status_body` (JSON if it parses).
    pub status_next: u32,
    pub status_code: u16,
    pub status_body: String,
    /// The next N calls pass untouched before the faults above apply: a fault mid-paging.
    pub pass_next: u32,
    /// The next N calls (any method) are answered, then the connection breaks mid-body.
    pub reset_next: u32,
    /// Every call whose "METHOD /path" starts with this answers `refuse_status` (a JSON error
    /// body): one operation of a flow fails while the rest works.
    pub refuse_prefix: String,
    pub refuse_status: u16,
    /// The next N POSTs do their work and answer 200, but with the minted secret (`key`,
    /// `api_key`) left out of the answer: a live key whose secret never arrives.
    pub strip_secret_next: u32,
    /// The next N POSTs are refused (400) quoting the secret the request carried (`credentials`,
    /// `api_key` or `secret`) first, so no cut can hide it: JSON-escaped in a JSON message when N
    /// is even, raw (multi-line) in a text body when it is odd. An echoing error page.
    pub echo_next: u32,
    /// The next N POSTs answer 307 to `redirect_to` (a base URL) with the same path: a 307
    /// keeps the method and the body, so a client that follows it sends the secret there.
    pub redirect_next: u32,
    pub redirect_to: String,
    /// While set, every GET first takes a permit from it and keeps it: a test lets reads through
    /// N at a time (`add_permits`), so a sync is held mid-listing for as long as the test needs,
    /// without a timer, while creates and revocations still go through.
    #[serde(skip)]
    pub gate: Option<std::sync::Arc<tokio::sync::Semaphore>>,
}

pub async fn apply(State(shared): State<Shared>, req: Request, next: Next) -> Response {
    let is_post = req.method() == axum::http::Method::POST;
    let call = format!("{} {}", req.method(), req.uri().path());
    if is_post {
        let (echo, escaped, redirect) = {
            let mut world = shared.lock();
            let f = &mut world.faults;
            let echo = f.echo_next > 0;
            let escaped = f.echo_next % 2 == 0;
            let redirect = (!echo && f.redirect_next > 0).then(|| f.redirect_to.clone());
            if echo {
                f.echo_next -= 1;
            } else if redirect.is_some() {
                f.redirect_next -= 1;
            }
            (echo, escaped, redirect)
        };
        if let Some(to) = redirect {
            let location = format!("{}{}", to.trim_end_matches('/'), req.uri().path());
            return (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, location)]).into_response();
        }
        if echo {
            let body = axum::body::to_bytes(req.into_body(), 1 << 20).await.unwrap_or_default();
            let sent: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
            let secret = ["credentials", "api_key", "secret"].iter().find_map(|f| sent.get(*f)).cloned().unwrap_or_default();
            let answer = if escaped {
                let quoted = serde_json::json!({ "error": { "message": format!("invalid credentials {secret}"), "type": "invalid_request_error" } });
                quoted.to_string()
            } else {
                let raw = match &secret {
                    serde_json::Value::Object(m) => m.values().filter_map(|v| v.as_str()).collect::<Vec<_>>().join("\n"),
                    other => other.as_str().unwrap_or_default().to_string(),
                };
                format!("invalid credentials:\n{raw}\n")
            };
            return (StatusCode::BAD_REQUEST, answer).into_response();
        }
    }
    let gate = shared.lock().faults.gate.clone().filter(|_| req.method() == axum::http::Method::GET);
    if let Some(gate) = gate {
        if let Ok(permit) = gate.acquire().await {
            permit.forget();
        }
    }
    let (latency, injected, drop_answer, strip) = {
        let mut world = shared.lock();
        let f = &mut world.faults;
        let refused = !f.refuse_prefix.is_empty() && call.starts_with(&f.refuse_prefix);
        let passing = f.pass_next > 0;
        if passing {
            f.pass_next -= 1;
        }
        let injected = if refused {
            let status = StatusCode::from_u16(f.refuse_status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let body = serde_json::json!({ "error": { "message": "Refused by the sandbox (injected)", "type": "api_error" }, "detail": "Refused by the sandbox (injected)" });
            Some((status, axum::Json(body)).into_response())
        } else if passing {
            None
        } else if f.rate_limit_next > 0 {
            f.rate_limit_next -= 1;
            Some(
                (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, f.retry_after_secs.to_string())], "Too many requests, slow down")
                    .into_response(),
            )
        } else if f.error_500_next > 0 {
            f.error_500_next -= 1;
            Some((StatusCode::INTERNAL_SERVER_ERROR, "Internal server error (injected)").into_response())
        } else if f.fails_at_random() {
            Some((StatusCode::SERVICE_UNAVAILABLE, "Service unavailable (injected at random)").into_response())
        } else if f.status_next > 0 {
            f.status_next -= 1;
            let status = StatusCode::from_u16(f.status_code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let kind = if serde_json::from_str::<serde_json::Value>(&f.status_body).is_ok() { "application/json" } else { "text/plain" };
            Some((status, [(header::CONTENT_TYPE, kind)], f.status_body.clone()).into_response())
        } else if f.malformed_next > 0 {
            f.malformed_next -= 1;
            Some(([(header::CONTENT_TYPE, "application/json")], "{\"objects\": [ this is not json").into_response())
        } else {
            None
        };
        let drop_answer = !passing && is_post && injected.is_none() && f.drop_create_next > 0;
        if drop_answer {
            f.drop_create_next -= 1;
        }
        let reset = !passing && !drop_answer && injected.is_none() && f.reset_next > 0;
        if reset {
            f.reset_next -= 1;
        }
        let drop_answer = drop_answer || reset;
        let strip = !passing && is_post && injected.is_none() && !drop_answer && f.strip_secret_next > 0;
        if strip {
            f.strip_secret_next -= 1;
        }
        (f.latency_ms, injected, drop_answer, strip)
    };
    let latency = Duration::from_millis(latency);
    // A read has no effect to delay: its answer is made first and sent when the latency is up,
    // as a service that answers in that time would, so the sandbox's own work on a page is not
    // counted as the client's. A write still happens only after the wait.
    if req.method() == axum::http::Method::GET && injected.is_none() && !drop_answer && !strip {
        let answer_at = tokio::time::Instant::now() + latency;
        let response = next.run(req).await;
        tokio::time::sleep_until(answer_at).await;
        return response;
    }
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match injected {
        Some(response) => response,
        None if drop_answer => cut_off(next.run(req).await),
        None if strip => without_secret(next.run(req).await).await,
        None => next.run(req).await,
    }
}

async fn without_secret(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    let mut value: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    if let Some(map) = value.as_object_mut() {
        map.remove("key");
        map.remove("api_key");
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(value.to_string()))
}

/// The work is done, but the answer's body fails mid-way, so the client sees a broken
/// connection instead of the created object.
fn cut_off(response: Response) -> Response {
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let failing = futures_util::stream::once(async { Err::<axum::body::Bytes, std::io::Error>(std::io::Error::other("dropped")) });
    Response::from_parts(parts, axum::body::Body::from_stream(failing))
}

impl Faults {
    fn fails_at_random(&mut self) -> bool {
        if self.error_rate_percent == 0 {
            return false;
        }
        let seed = self.random_seed;
        let rng = self.rng.get_or_insert_with(|| if seed == 0 { StdRng::from_os_rng() } else { StdRng::seed_from_u64(seed) });
        let drawn = rng.random_range(0..100u8) < self.error_rate_percent;
        let capped = self.random_streak_max > 0 && self.random_streak >= self.random_streak_max;
        if drawn && !capped {
            self.random_streak += 1;
            self.random_failures += 1;
            true
        } else {
            self.random_streak = 0;
            false
        }
    }
}
