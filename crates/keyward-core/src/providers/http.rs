//! The HTTP layer every provider shares: bearer auth, timeouts, retries of idempotent calls with
//! jittered exponential backoff that honours `Retry-After`, and error bodies turned into messages.
//! It follows no redirect (a hop could carry the token or a secret body elsewhere) and reads no
//! answer beyond `MAX_BODY`.

use std::time::Duration;

use backon::{ExponentialBuilder, Retryable};
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret;
use serde::de::DeserializeOwned;

use super::redact::{given_secrets, looks_secret, Redactor};
use super::Connection;
use crate::error::{Error, ErrorCode, Result};
use crate::model::Service;

#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// Retries after the first attempt, for GET and DELETE only.
    pub max_retries: usize,
    pub min_backoff: Duration,
    pub max_backoff: Duration,
    /// A `Retry-After` longer than this is not waited for: the call fails with `rate_limited`.
    pub max_retry_after: Duration,
    pub page_size: u32,
    /// Built on first use, with the timeouts above.
    pub client: SharedClient,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_retries: 4,
            min_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(60),
            page_size: 100,
            client: SharedClient::default(),
        }
    }
}

/// No answer Keyward reads is near this size (a page is 100 keys); a bigger one is cut off
/// rather than held in memory whole.
pub const MAX_BODY: usize = 8 * 1024 * 1024;

/// A failed exchange, before it is turned into an `Error` for a person.
#[derive(Debug)]
pub(crate) struct Failure {
    status: Option<StatusCode>,
    retry_after: Option<Duration>,
    detail: String,
    /// The request never reached the service (no connection), so it certainly did nothing.
    unsent: bool,
    /// The answer went past `MAX_BODY`; it was received, so a create may have happened.
    too_large: bool,
    /// Where a 3xx pointed, by host alone: a path or query could hold anything.
    redirect_to: Option<String>,
}

/// Why a create failed: refused (nothing was made) or ambiguous (it may have been made).
pub enum PostError {
    Refused(Error),
    Ambiguous(Error),
}

impl Failure {
    /// A transport failure after the request went out, or a 5xx, may hide a completed create.
    fn ambiguous(&self) -> bool {
        match self.status {
            None => !self.unsent,
            Some(s) => s.is_server_error(),
        }
    }

    fn retryable(&self) -> bool {
        match self.status {
            None => true,
            Some(s) => s == StatusCode::TOO_MANY_REQUESTS || s.is_server_error(),
        }
    }
}

/// The HTTP client of one `Keyward` (its `HttpConfig` and every clone of it): building one
/// loads the system's root certificates, milliseconds each time (once per account, otherwise),
/// and one client's pool reuses connections. What is an account's own (its token, its headers)
/// goes with each request. Not shared wider than a `Keyward`: a pooled connection belongs to
/// the async runtime it was opened on.
#[derive(Clone, Default)]
pub struct SharedClient(std::sync::Arc<std::sync::OnceLock<reqwest::Client>>);

impl std::fmt::Debug for SharedClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SharedClient")
    }
}

fn shared_client(config: &HttpConfig) -> Result<reqwest::Client> {
    if let Some(client) = config.client.0.get() {
        return Ok(client.clone());
    }
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(config.connect_timeout)
        .timeout(config.request_timeout)
        .user_agent(concat!("Keyward/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| Error::new(ErrorCode::Internal, format!("Could not start the HTTP client: {e}")))?;
    Ok(config.client.0.get_or_init(|| client).clone())
}

pub struct Api {
    client: reqwest::Client,
    /// Headers of this account sent with each request (Braintrust's organization).
    headers: HeaderMap,
    service: Service,
    base: String,
    host_name: String,
    token: secrecy::SecretString,
    config: HttpConfig,
}

impl Api {
    pub fn new(conn: Connection, config: &HttpConfig) -> Result<Api> {
        let base = crate::model::host::normalize(&conn.host)?;
        let host_name = url::Url::parse(&base).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_else(|| base.clone());
        let mut headers = HeaderMap::new();
        if let Some(org) = &conn.org_name {
            if conn.service == Service::Braintrust {
                let value =
                    HeaderValue::from_str(org).map_err(|_| Error::invalid("org_name", "The organization name cannot be sent in a header."))?;
                headers.insert("x-bt-org-name", value);
            }
        }
        let client = shared_client(config)?;
        Ok(Api { client, headers, service: conn.service, base, host_name, token: conn.token, config: config.clone() })
    }

    pub fn service(&self) -> Service {
        self.service
    }

    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    /// GET with retries; the body is parsed leniently into `T`.
    pub async fn get_json<T: DeserializeOwned>(&self, path: &str, query: &[(&str, String)]) -> Result<T> {
        let body = self.idempotent(Method::GET, path, query).await?;
        self.parse(path, &body)
    }

    /// DELETE with retries (deleting twice is harmless).
    pub async fn delete(&self, path: &str) -> Result<()> {
        self.idempotent(Method::DELETE, path, &[]).await.map(|_| ())
    }

    /// A write that is never retried: a create retried blindly could mint twice.
    pub async fn send_json<T: DeserializeOwned>(&self, method: Method, path: &str, body: &serde_json::Value) -> Result<T, PostError> {
        match self.send(method, path, &[], Some(body)).await {
            Ok(text) => self.parse(path, &text).map_err(PostError::Ambiguous),
            Err(f) if f.ambiguous() => Err(PostError::Ambiguous(self.to_error(f))),
            Err(f) => Err(PostError::Refused(self.to_error(f))),
        }
    }

    /// An update: sent once like a create, but a lost answer changes nothing the next sync
    /// will not show, so it is simply reported.
    pub async fn write<T: DeserializeOwned>(&self, method: Method, path: &str, body: &serde_json::Value) -> Result<T> {
        self.send_json(method, path, body).await.map_err(|e| match e {
            PostError::Refused(e) | PostError::Ambiguous(e) => e,
        })
    }

    fn parse<T: DeserializeOwned>(&self, path: &str, body: &str) -> Result<T> {
        serde_json::from_str(body).map_err(|e| super::unreadable(self.service, &format!("an answer to {path}"), &e))
    }

    async fn idempotent(&self, method: Method, path: &str, query: &[(&str, String)]) -> Result<String> {
        let policy = ExponentialBuilder::default()
            .with_min_delay(self.config.min_backoff)
            .with_max_delay(self.config.max_backoff)
            .with_max_times(self.config.max_retries)
            .with_jitter();
        let max_wait = self.config.max_retry_after;
        let attempt = || self.send(method.clone(), path, query, None);
        attempt
            .retry(policy)
            .sleep(tokio::time::sleep)
            .when(|f: &Failure| f.retryable() && f.retry_after.is_none_or(|d| d <= max_wait))
            // The service's wait replaces the next backoff, but only while retries remain: once the
            // policy is spent (`None`), a Retry-After must not start another round, forever.
            .adjust(|f: &Failure, backoff| backoff.map(|b| f.retry_after.unwrap_or(b)))
            .await
            .map_err(|f| self.to_error(f))
    }

    async fn send(&self, method: Method, path: &str, query: &[(&str, String)], body: Option<&serde_json::Value>) -> Result<String, Failure> {
        let mut auth = HeaderValue::from_str(&format!("Bearer {}", self.token.expose_secret())).map_err(|_| Failure {
            status: Some(StatusCode::UNAUTHORIZED),
            detail: "the token cannot be sent in a header".into(),
            unsent: true,
            ..Failure::plain()
        })?;
        auth.set_sensitive(true);
        let url = format!("{}{path}", self.base);
        let mut request = self.client.request(method, &url).headers(self.headers.clone()).header(AUTHORIZATION, auth).query(query);
        if let Some(body) = body {
            request = request.json(body);
        }
        let transport = |e: reqwest::Error| Failure { unsent: e.is_connect(), detail: describe_transport(&e), ..Failure::plain() };
        let mut response = request.send().await.map_err(transport)?;
        let status = response.status();
        let retry_after = parse_retry_after(response.headers().get(RETRY_AFTER));
        if status.is_redirection() {
            let redirect_to = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .and_then(|l| response.url().join(l).ok())
                .and_then(|u| u.host_str().map(crate::model::rules::clip));
            return Err(Failure { status: Some(status), redirect_to, ..Failure::plain() });
        }
        let bytes = read_bounded(&mut response).await.map_err(|e| match e {
            Bounded::Transport(e) => transport(e),
            Bounded::TooLarge => Failure { too_large: true, ..Failure::plain() },
        })?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if status.is_success() {
            return Ok(text);
        }
        let retry_after = retry_after.or_else(|| body_retry_after(&text));
        // The token and every secret of this request, in each form an echo can take.
        let given = body.map(given_secrets).unwrap_or_default();
        let redactor = Redactor::new(std::iter::once(self.token.expose_secret()).chain(given.iter().map(|s| s.as_str())));
        Err(Failure { status: Some(status), retry_after, detail: body_message_redacted(&text, &redactor), ..Failure::plain() })
    }

    fn to_error(&self, f: Failure) -> Error {
        let name = self.service.display_name();
        if f.too_large {
            return Error::new(
                ErrorCode::Provider,
                format!("{name} at {} sent an answer larger than {} MB; Keyward stopped reading it.", self.host_name, MAX_BODY / (1024 * 1024)),
            );
        }
        let detail = if f.detail.is_empty() { String::new() } else { format!(": {}", f.detail) };
        let Some(status) = f.status else {
            return Error::new(
                ErrorCode::Network,
                format!("Could not reach {name} at {} ({}). Check the address and your connection.", self.host_name, f.detail),
            )
            .on_field("host");
        };
        let code = status.as_u16();
        if status.is_redirection() {
            let to = f.redirect_to.map(|h| format!(" to {h}")).unwrap_or_default();
            return Error::new(
                ErrorCode::Provider,
                format!("{name} at {} answered with a redirect ({code}){to}. Keyward follows no redirect, so nothing was sent on; check the account's address.", self.host_name),
            )
            .on_field("host");
        }
        match status {
            StatusCode::UNAUTHORIZED => Error::new(ErrorCode::Unauthorized, format!("This key was refused by {name} (401).")).on_field("token"),
            StatusCode::FORBIDDEN => Error::new(ErrorCode::Forbidden, format!("{name} refused the request (403){detail}")),
            StatusCode::NOT_FOUND => Error::new(ErrorCode::NotFound, format!("{name} has no such object (404){detail}")),
            StatusCode::CONFLICT => Error::new(ErrorCode::Conflict, format!("{name} reported a conflict (409){detail}")),
            StatusCode::TOO_MANY_REQUESTS => {
                let wait = f.retry_after.map(|d| format!(" Try again in {} s.", d.as_secs().max(1))).unwrap_or_default();
                Error::new(ErrorCode::RateLimited, format!("{name} is rate-limiting this account (429){}.{wait}", detail.trim_end_matches('.')))
            }
            s if s == StatusCode::BAD_REQUEST || s == StatusCode::UNPROCESSABLE_ENTITY => {
                Error::new(ErrorCode::InvalidInput, format!("{name} rejected the request ({code}){detail}"))
            }
            _ => Error::new(ErrorCode::Provider, format!("{name} answered with an error ({code}){detail}")),
        }
    }
}

/// `prefix`, the id as one percent-encoded path segment (the URL library's encoding: `/`, `%`,
/// `?`, `#`, spaces and the rest cannot change the path), then `suffix`. Both ends are Keyward's
/// own fixed text; the id is the service's.
pub(crate) fn with_id(prefix: &str, id: &str, suffix: &str) -> Result<String> {
    let mut url = url::Url::parse("http://segment.invalid/").map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
    url.path_segments_mut().map_err(|_| Error::new(ErrorCode::Internal, "no path"))?.push(id);
    let segment = &url.path()[1..];
    if segment.is_empty() || id == "." || id == ".." {
        return Err(Error::new(ErrorCode::InvalidInput, "This key's id cannot be put in a request."));
    }
    Ok(format!("{prefix}{segment}{suffix}"))
}

impl Failure {
    fn plain() -> Failure {
        Failure { status: None, retry_after: None, detail: String::new(), unsent: false, too_large: false, redirect_to: None }
    }
}

enum Bounded {
    Transport(reqwest::Error),
    TooLarge,
}

/// The body, chunk by chunk, refused as soon as it passes `MAX_BODY` (a `Content-Length` over it
/// is refused before a byte is read).
async fn read_bounded(response: &mut reqwest::Response) -> Result<Vec<u8>, Bounded> {
    if response.content_length().is_some_and(|n| n > MAX_BODY as u64) {
        return Err(Bounded::TooLarge);
    }
    let mut out = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(Bounded::Transport)? {
        if out.len() + chunk.len() > MAX_BODY {
            return Err(Bounded::TooLarge);
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

fn describe_transport(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else if e.is_body() || e.is_decode() {
        "the answer was cut off"
    } else {
        "request failed"
    };
    // The source chain says *why* (refused, DNS, TLS) without the URL's query.
    let mut cause = String::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        cause = s.to_string();
        source = s.source();
    }
    if cause.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}: {cause}")
    }
}

pub(crate) fn parse_retry_after(value: Option<&HeaderValue>) -> Option<Duration> {
    let text = value?.to_str().ok()?.trim();
    if let Ok(secs) = text.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(86_400.0)));
    }
    let when = chrono::DateTime::parse_from_rfc2822(text).ok()?;
    let secs = (when.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_milliseconds().max(0);
    Some(Duration::from_millis(secs as u64))
}

/// Respan puts the wait in the body: `{"detail": ..., "retry_after": seconds}`.
pub(crate) fn body_retry_after(text: &str) -> Option<Duration> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    let secs = v.get("retry_after")?.as_f64()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(86_400.0)))
}

/// Error bodies have no fixed shape: plain text, `{"error": "..."}`, `{"error": {"message"}}`,
/// `{"detail": ...}`, `{"message": ...}`. Whatever it is becomes one readable line.
pub(crate) fn body_message(text: &str) -> String {
    body_message_redacted(text, &Redactor::default())
}

/// The one line, with every secret `redactor` knows replaced on the raw text first, again on
/// what JSON decoding reveals, and again once whitespace is collapsed; only then is it cut.
/// A JSON answer with no message field is shown without its secret-looking fields.
pub(crate) fn body_message_redacted(text: &str, redactor: &Redactor) -> String {
    const MAX: usize = 300;
    let raw = redactor.apply(text.trim());
    let message = match serde_json::from_str::<serde_json::Value>(&raw) {
        Ok(v) => json_message(&v).unwrap_or_else(|| without_secret_names(v).to_string()),
        Err(_) => raw,
    };
    let message = redactor.apply(&message);
    let one_line = redactor.apply(&message.split_whitespace().collect::<Vec<_>>().join(" "));
    if one_line.chars().count() > MAX {
        let cut: String = one_line.chars().take(MAX).collect();
        format!("{cut}…")
    } else {
        one_line
    }
}

fn without_secret_names(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Object(m) => Value::Object(m.into_iter().filter(|(k, _)| !looks_secret(k)).map(|(k, x)| (k, without_secret_names(x))).collect()),
        Value::Array(a) => Value::Array(a.into_iter().map(without_secret_names).collect()),
        other => other,
    }
}

fn json_message(v: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(map) => ["message", "error", "detail", "msg"].iter().find_map(|k| map.get(*k).and_then(json_message)),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(json_message).collect();
            (!parts.is_empty()).then(|| parts.join("; "))
        }
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_of_every_shape_become_a_line() {
        assert_eq!(body_message("Invalid API key\n"), "Invalid API key");
        assert_eq!(body_message(r#"{"error":"bad limit"}"#), "bad limit");
        assert_eq!(body_message(r#"{"error":{"message":"nope","type":"x"}}"#), "nope");
        assert_eq!(body_message(r#"{"detail":[{"msg":"a"},{"msg":"b"}]}"#), "a; b");
        assert_eq!(body_message(r#"{"weird":1}"#), r#"{"weird":1}"#);
        assert_eq!(body_message(""), "");
        assert_eq!(body_message("null"), "null");
        assert!(body_message(&"x".repeat(5000)).chars().count() <= 301);
    }

    #[test]
    fn retry_after_in_header_or_body() {
        let h = HeaderValue::from_static("3");
        assert_eq!(parse_retry_after(Some(&h)), Some(Duration::from_secs(3)));
        let bad = HeaderValue::from_static("soon");
        assert_eq!(parse_retry_after(Some(&bad)), None);
        let neg = HeaderValue::from_static("-1");
        assert_eq!(parse_retry_after(Some(&neg)), None);
        assert_eq!(body_retry_after(r#"{"detail":"slow","retry_after":2.5}"#), Some(Duration::from_millis(2500)));
        assert_eq!(body_retry_after("nope"), None);
    }
}

#[cfg(test)]
mod id_path_tests {
    use super::*;

    #[test]
    fn any_id_is_one_encoded_segment() {
        assert_eq!(with_id("/v1/api_key/", "abc-123", "").unwrap(), "/v1/api_key/abc-123");
        assert_eq!(with_id("/keys/", "a b/../c?d#e%f", "/").unwrap(), "/keys/a%20b%2F..%2Fc%3Fd%23e%25f/");
        assert_eq!(with_id("/k/", "tk_01...", "/rotate").unwrap(), "/k/tk_01.../rotate");
        for bad in ["", ".", ".."] {
            assert!(with_id("/k/", bad, "").is_err(), "{bad:?}");
        }
    }
}

#[cfg(test)]
mod redaction_tests {
    use super::*;

    const TOKEN: &str = "bt-admin-token-0123456789abcdef";

    fn line(text: &str, secrets: &[&str]) -> String {
        body_message_redacted(text, &Redactor::new(secrets.iter().copied()))
    }

    #[test]
    fn a_token_straddling_the_cut_is_redacted_before_the_cut() {
        let text = format!("{}{TOKEN} and more", "x".repeat(290));
        let out = line(&text, &[TOKEN]);
        assert!(!out.contains(&TOKEN[..10]), "{out}");
        // Before the fix, the cut left the token's first characters in the message.
        assert!(!body_message(&text).contains(TOKEN));
    }

    #[test]
    fn multi_line_and_json_escaped_secrets_are_redacted() {
        let pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
        let echoed = serde_json::json!({ "error": format!("invalid credentials {pem}") }).to_string();
        let out = line(&echoed, &[pem]);
        assert!(!out.contains("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"), "{out}");
        let raw_text = format!("invalid credentials:\n{pem}\n");
        let out = line(&raw_text, &[pem]);
        assert!(!out.contains("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"), "{out}");
        let escaped_in_text = format!("bad {}", serde_json::to_string(pem).unwrap());
        assert!(!line(&escaped_in_text, &[pem]).contains("MIIEvQ"), "{}", line(&escaped_in_text, &[pem]));
    }

    #[test]
    fn a_json_body_without_a_message_is_shown_without_its_secret_fields() {
        let body = r#"{"status":"bad","apiKey":"sk-unknown-echo-1","nested":{"Authorization":"Bearer zzz-9999"}}"#;
        let out = line(body, &[]);
        assert!(!out.contains("sk-unknown-echo-1") && !out.contains("zzz-9999"), "{out}");
        assert!(out.contains("bad"), "{out}");
    }
}
