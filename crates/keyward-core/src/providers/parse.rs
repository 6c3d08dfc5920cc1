//! The parsers of what the services answer, reachable without a network: for property tests
//! (`tests/core/parsers.rs`) and the fuzz targets (`fuzz/`). Every one takes arbitrary bytes and must
//! answer with a row or a named error, never panic, and never quote a value from the input.

use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::error::{Error, ErrorCode, Result};
use crate::model::{KeyKind, RemoteKey, Service};

/// The kinds services list (the fuzz targets and property tests run every parser of them).
pub const LISTED: [KeyKind; 9] = KeyKind::LISTED;

/// One listed object, from the bytes of its JSON. `Ok(None)`: an object that is not inventory
/// (a Barndoor gateway key reported revoked).
pub fn item(kind: KeyKind, bytes: &[u8]) -> Result<Option<RemoteKey>> {
    let raw: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| super::unreadable(kind.service(), "an object", &e))?;
    match kind {
        KeyKind::BraintrustApiKey => super::braintrust::to_remote(raw).map(Some),
        KeyKind::BraintrustServiceToken => super::braintrust::service_token(raw).map(Some),
        KeyKind::BraintrustAiSecret => super::braintrust::ai_secret(raw).map(Some),
        KeyKind::BraintrustEnvVar => super::braintrust::env_var(raw).map(Some),
        KeyKind::RespanTempKey => super::respan::to_remote(raw).map(Some),
        KeyKind::RespanProvider => super::respan::provider(raw).map(Some),
        KeyKind::BarndoorGatewayKey => super::barndoor::gateway_key(raw),
        KeyKind::BarndoorCredential => super::barndoor::credential(raw).map(Some),
        KeyKind::BarndoorProvider => super::barndoor::provider_route(raw).map(Some),
        KeyKind::BraintrustProxyCredential => Err(Error::invalid("kind", "Braintrust never lists proxy credentials.")),
    }
}

/// A Barndoor list answer: an array, or a named error.
pub fn barndoor_list(bytes: &[u8]) -> Result<Vec<serde_json::Value>> {
    let raw: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| super::unreadable(Service::Barndoor, "a list", &e))?;
    super::barndoor::array(raw, "key")
}

/// Respan's `next` link: only the page number is taken from it.
pub fn respan_next_page(url: &str) -> Option<u32> {
    super::respan::next_page(url)
}

/// An error answer's body as the one line a person is shown, and the wait it asks for.
pub fn error_body(text: &str) -> (String, Option<Duration>) {
    (super::http::body_message(text), super::http::body_retry_after(text))
}

/// A `Retry-After` header's wait, where it is a valid header value at all.
pub fn retry_after_header(bytes: &[u8]) -> Result<Option<Duration>> {
    let value = HeaderValue::from_bytes(bytes).map_err(|_| Error::new(ErrorCode::Provider, "not a header value"))?;
    Ok(super::http::parse_retry_after(Some(&value)))
}

/// Every string (and object key) of at least `min` characters in a value: what an error message
/// about it must never quote. For the property tests and the fuzz target.
pub fn strings_in(v: &serde_json::Value, min: usize) -> Vec<String> {
    fn walk(v: &serde_json::Value, min: usize, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) if s.chars().count() >= min => out.push(s.clone()),
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, min, out)),
            serde_json::Value::Object(m) => m.iter().for_each(|(k, x)| {
                if k.chars().count() >= min {
                    out.push(k.clone());
                }
                walk(x, min, out)
            }),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, min, &mut out);
    out
}

/// Whether an error `message` about `input` quotes the input's string `s` back, rather than
/// saying the same words itself ("…credential Keyward could not read…" holds any input string
/// that is a piece of it): the same parse with `s` swapped for other characters of its length
/// must then lose them. `reparse` gives the error message for other bytes, or `None` if they parse.
pub fn quotes(message: &str, input: &serde_json::Value, s: &str, reparse: impl Fn(&[u8]) -> Option<String>) -> bool {
    if !message.contains(s) {
        return false;
    }
    let other: String = s.chars().map(|c| if c == 'q' { 'z' } else { 'q' }).collect();
    match reparse(swap(input, s, &other).to_string().as_bytes()) {
        Some(again) => !again.contains(s),
        None => true,
    }
}

/// `v` with every string and object key equal to `from` replaced by `to`.
fn swap(v: &serde_json::Value, from: &str, to: &str) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::String(x) if x == from => Value::String(to.into()),
        Value::Array(a) => Value::Array(a.iter().map(|x| swap(x, from, to)).collect()),
        Value::Object(m) => Value::Object(m.iter().map(|(k, x)| (if k == from { to.into() } else { k.clone() }, swap(x, from, to))).collect()),
        other => other.clone(),
    }
}

/// Whether cached details hold a field whose name the cache's rule drops: one that looks secret
/// (key, secret, token, passw, credential, auth, header, …) at any depth, save the few top-level
/// names the contracts vouch for (`providers/cached.rs`).
pub fn holds_secret_field(v: &serde_json::Value) -> bool {
    super::cached::holds_secret_field(v)
}

/// The top-level fields a kind's cached details may hold.
pub fn cached_fields(kind: KeyKind) -> &'static [&'static str] {
    super::cached::allowed(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_words_are_not_a_quote_but_the_input_is() {
        let input = serde_json::json!("ntial Keyward coul");
        let fixed = |_: &[u8]| Some("Barndoor sent a credential Keyward could not read.".to_string());
        assert!(!quotes("Barndoor sent a credential Keyward could not read.", &input, "ntial Keyward coul", fixed));
        let echo = |b: &[u8]| Some(format!("bad value {}", String::from_utf8_lossy(b)));
        let secret = serde_json::json!({"key": "sk-secret-value-1"});
        assert!(quotes("bad value sk-secret-value-1", &secret, "sk-secret-value-1", echo));
        assert!(!quotes("no quote here", &input, "ntial Keyward coul", echo));
    }
}
