//! The HTTP layer every provider shares: bearer auth, timeouts, retries of idempotent calls with
//! jittered exponential backoff that honours `Retry-After`, and error bodies turned into messages.

use std::time::Duration;

use backon::{ExponentialBuilder, Retryable};
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret;
use serde::de::DeserializeOwned;

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
        }
    }
}

/// A failed exchange, before it is turned into an `Error` for a person.
#[derive(Debug)]
pub(crate) struct Failure {
    status: Option<StatusCode>,
    retry_after: Option<Duration>,
    detail: String,
    /// The request never reached the service (no connection), so it certainly did nothing.
    unsent: bool,
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

pub struct Api {
    client: reqwest::Client,
    service: Service,
    base: String,
    host_name: String,
    token: secrecy::SecretString,
    config: HttpConfig,
}

impl Api {
    pub fn new(conn: Connection, config: &HttpConfig) -> Result<Api> {
        let base = crate::host::normalize(&conn.host)?;
        let host_name = url::Url::parse(&base)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_else(|| base.clone());
        let mut headers = HeaderMap::new();
        if let Some(org) = &conn.org_name {
            if conn.service == Service::Braintrust {
                let value = HeaderValue::from_str(org)
                    .map_err(|_| Error::invalid("org_name", "The organization name cannot be sent in a header."))?;
                headers.insert("x-bt-org-name", value);
            }
        }
        let client = reqwest::Client::builder()
            .default_headers(headers)
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .user_agent(concat!("Keyward/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::new(ErrorCode::Internal, format!("Could not start the HTTP client: {e}")))?;
        Ok(Api { client, service: conn.service, base, host_name, token: conn.token, config: config.clone() })
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
    pub async fn send_json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<T, PostError> {
        // A service that echoes the request must not put a secret the user gave into a message.
        let given = given_secrets(body);
        let scrub = |mut e: Error| {
            for secret in &given {
                e.message = e.message.replace(secret.as_str(), "[redacted]");
            }
            e
        };
        match self.send(method, path, &[], Some(body)).await {
            Ok(text) => self.parse(path, &text).map_err(PostError::Ambiguous),
            Err(f) if f.ambiguous() => Err(PostError::Ambiguous(scrub(self.to_error(f)))),
            Err(f) => Err(PostError::Refused(scrub(self.to_error(f)))),
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

    async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&serde_json::Value>,
    ) -> Result<String, Failure> {
        let mut auth = HeaderValue::from_str(&format!("Bearer {}", self.token.expose_secret())).map_err(|_| Failure {
            status: Some(StatusCode::UNAUTHORIZED),
            retry_after: None,
            detail: "the token cannot be sent in a header".into(),
            unsent: true,
        })?;
        auth.set_sensitive(true);
        let url = format!("{}{path}", self.base);
        let mut request = self.client.request(method, &url).header(AUTHORIZATION, auth).query(query);
        if let Some(body) = body {
            request = request.json(body);
        }
        let transport = |e: reqwest::Error| Failure {
            status: None,
            retry_after: None,
            unsent: e.is_connect(),
            detail: describe_transport(&e),
        };
        let response = request.send().await.map_err(transport)?;
        let status = response.status();
        let retry_after = parse_retry_after(response.headers().get(RETRY_AFTER));
        let text = response.text().await.map_err(transport)?;
        if status.is_success() {
            return Ok(text);
        }
        let retry_after = retry_after.or_else(|| body_retry_after(&text));
        Err(Failure { status: Some(status), retry_after, detail: self.redact(&body_message(&text)), unsent: false })
    }

    /// A service that echoes the request back must not put the token into a message.
    fn redact(&self, text: &str) -> String {
        let token = self.token.expose_secret();
        if token.len() >= 4 {
            text.replace(token, "[redacted]")
        } else {
            text.to_string()
        }
    }

    fn to_error(&self, f: Failure) -> Error {
        let name = self.service.display_name();
        let detail = if f.detail.is_empty() { String::new() } else { format!(": {}", f.detail) };
        let Some(status) = f.status else {
            return Error::new(
                ErrorCode::Network,
                format!("Could not reach {name} at {} ({}). Check the address and your connection.", self.host_name, f.detail),
            )
            .on_field("host");
        };
        let code = status.as_u16();
        match status {
            StatusCode::UNAUTHORIZED => {
                Error::new(ErrorCode::Unauthorized, format!("This key was refused by {name} (401).")).on_field("token")
            }
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

/// Every string under a secret-carrying field of a request body (`api_key`, `secret`,
/// `credentials`), long enough to be worth hiding.
fn given_secrets(body: &serde_json::Value) -> Vec<String> {
    fn leaves(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) if s.len() >= 4 => out.push(s.clone()),
            serde_json::Value::Object(m) => m.values().for_each(|x| leaves(x, out)),
            serde_json::Value::Array(a) => a.iter().for_each(|x| leaves(x, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(map) = body.as_object() {
        for field in ["api_key", "secret", "credentials"] {
            if let Some(v) = map.get(field) {
                leaves(v, &mut out);
            }
        }
    }
    out
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
    const MAX: usize = 300;
    let trimmed = text.trim();
    let message = match serde_json::from_str::<serde_json::Value>(trimmed) {
        Ok(v) => json_message(&v).unwrap_or_else(|| trimmed.to_string()),
        Err(_) => trimmed.to_string(),
    };
    let one_line: String = message.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > MAX {
        let cut: String = one_line.chars().take(MAX).collect();
        format!("{cut}…")
    } else {
        one_line
    }
}

fn json_message(v: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(map) => ["message", "error", "detail", "msg"]
            .iter()
            .find_map(|k| map.get(*k).and_then(json_message)),
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
