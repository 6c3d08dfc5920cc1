//! A service's error answer can echo what it was sent: the account token in a header dump, a
//! given or minted secret in the body. Each is replaced on the raw text, before anything parses,
//! cuts or reflows it, in every form it can take there: as sent, JSON-escaped (a PEM's newlines
//! become `\n`), and with its whitespace collapsed as the one-line message collapses it.

use secrecy::zeroize::Zeroizing;

pub(crate) use super::cached::looks_secret;

/// Shorter values are not worth hiding and would blank ordinary words.
const MIN_SECRET: usize = 4;

pub(crate) const REDACTED: &str = "[redacted]";

/// The secrets of one request in flight and every form of them worth searching for.
#[derive(Default)]
pub(crate) struct Redactor {
    needles: Vec<Zeroizing<String>>,
}

impl Redactor {
    pub(crate) fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Redactor {
        let mut needles: Vec<Zeroizing<String>> = Vec::new();
        for secret in secrets {
            let escaped = Zeroizing::new(json_escaped(secret));
            let collapsed = Zeroizing::new(collapsed(secret));
            let escaped_collapsed = Zeroizing::new(json_escaped(&collapsed));
            for form in [Zeroizing::new(secret.to_string()), escaped, collapsed, escaped_collapsed] {
                if form.chars().count() >= MIN_SECRET && !needles.iter().any(|n| **n == *form) {
                    needles.push(form);
                }
            }
            // A multi-line secret (a PEM) can come back one line at a time.
            for line in secret.lines().map(str::trim).filter(|l| l.len() >= 16) {
                if !needles.iter().any(|n| n.as_str() == line) {
                    needles.push(Zeroizing::new(line.to_string()));
                }
            }
        }
        // Longest first, so a secret is not half-replaced by a shorter form of itself.
        needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
        Redactor { needles }
    }

    pub(crate) fn apply(&self, text: &str) -> String {
        let mut out = text.to_string();
        for needle in &self.needles {
            if out.contains(needle.as_str()) {
                out = out.replace(needle.as_str(), REDACTED);
            }
        }
        out
    }
}

fn json_escaped(s: &str) -> String {
    let quoted = serde_json::Value::String(s.to_string()).to_string();
    quoted[1..quoted.len() - 1].to_string()
}

fn collapsed(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every string under a secret-looking field of a request body, at any depth: what a service
/// that echoes the request must not put into a message.
pub(crate) fn given_secrets(body: &serde_json::Value) -> Vec<Zeroizing<String>> {
    fn leaves(v: &serde_json::Value, out: &mut Vec<Zeroizing<String>>) {
        match v {
            serde_json::Value::String(s) => out.push(Zeroizing::new(s.clone())),
            serde_json::Value::Object(m) => m.values().for_each(|x| leaves(x, out)),
            serde_json::Value::Array(a) => a.iter().for_each(|x| leaves(x, out)),
            _ => {}
        }
    }
    fn walk(v: &serde_json::Value, top: bool, out: &mut Vec<Zeroizing<String>>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    // The cache's rule: `auth_type` at the top names a method, not a secret.
                    if super::cached::secret_field(k, top) {
                        leaves(x, out);
                    } else {
                        walk(x, false, out);
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, false, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(body, true, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEM: &str = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n-----END PRIVATE KEY-----\n";

    #[test]
    fn every_form_of_a_secret_is_replaced() {
        let r = Redactor::new([PEM, "sk-live-0123456789"]);
        let escaped = serde_json::to_string(PEM).unwrap();
        for text in [
            format!("bad key {PEM} here"),
            format!("{{\"error\": {escaped}}}"),
            format!("bad key {} here", PEM.split_whitespace().collect::<Vec<_>>().join(" ")),
            "the line MIIEvQIBADANBgkqhkiG9w0BAQEFAASC alone".to_string(),
            "x sk-live-0123456789 y".to_string(),
        ] {
            let out = r.apply(&text);
            assert!(!out.contains("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"), "{out}");
            assert!(!out.contains("sk-live-0123456789"), "{out}");
            assert!(out.contains(REDACTED), "{out}");
        }
    }

    #[test]
    fn short_values_and_other_text_are_left_alone() {
        let r = Redactor::new(["ab", ""]);
        assert_eq!(r.apply("ab cd"), "ab cd");
        assert_eq!(Redactor::default().apply("plain"), "plain");
    }

    #[test]
    fn secret_names_in_any_spelling() {
        for name in ["apiKey", "api_key", "access_token", "secret_access_key", "Authorization", "PASSWORD", "credentials", "client_secret"] {
            assert!(looks_secret(name), "{name}");
        }
        for name in ["name", "id", "model", "created_at", "base_url"] {
            assert!(!looks_secret(name), "{name}");
        }
    }

    #[test]
    fn given_secrets_are_found_at_any_depth() {
        let body = serde_json::json!({
            "name": "OpenAI",
            "api_key": "sk-given-1",
            "extra_kwargs": {"headers": {"Authorization": "Bearer sk-given-2"}},
            "credentials": {"type": "service_account", "private_key": PEM},
            "list": [{"accessToken": "sk-given-3"}],
        });
        let found: Vec<String> = given_secrets(&body).iter().map(|s| s.to_string()).collect();
        for s in ["sk-given-1", "Bearer sk-given-2", "service_account", PEM, "sk-given-3"] {
            assert!(found.iter().any(|f| f == s), "{s} in {found:?}");
        }
        assert!(!found.iter().any(|f| f == "OpenAI"));
    }
}
