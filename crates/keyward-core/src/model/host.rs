//! Where each service lives, and the rule that a token only ever travels over https
//! (plain http is allowed for a loopback IP literal, where the sandbox runs: `localhost` is a
//! name NSS resolves, and /etc/hosts or a resolver can point it anywhere).

use std::net::IpAddr;

use url::Url;

use crate::error::{Error, Result};
use crate::model::{HostPreset, Service};

pub fn presets() -> Vec<HostPreset> {
    let p = |service, label: &str, url: &str, is_default| HostPreset { service, label: label.into(), url: url.into(), is_default };
    vec![
        p(Service::Braintrust, "Braintrust (US)", "https://api.braintrust.dev", true),
        p(Service::Braintrust, "Braintrust (EU)", "https://api-eu.braintrust.dev", false),
        p(Service::Respan, "Respan", "https://api.respan.ai", true),
        p(Service::Respan, "Respan (legacy Keywords AI host)", "https://api.keywordsai.co", false),
        p(Service::Barndoor, "Barndoor platform", "https://platform.barndoor.ai", true),
    ]
}

pub fn default_host(service: Service) -> String {
    presets().into_iter().find(|p| p.service == service && p.is_default).map(|p| p.url).unwrap_or_default()
}

/// Checks a host the user typed and returns it normalised (no trailing slash).
/// A URL with credentials, a query or a fragment is refused: those are where secrets leak.
pub fn normalize(raw: &str) -> Result<String> {
    let field = "host";
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(Error::invalid(field, "Enter the service's address, e.g. https://api.braintrust.dev."));
    }
    if trimmed.len() > 2048 {
        return Err(Error::invalid(field, "The address is longer than 2,048 characters."));
    }
    let url = Url::parse(trimmed).map_err(|e| {
        Error::invalid(field, format!("'{}' is not a URL ({e}). Use a form like https://api.example.com.", crate::model::rules::clip(trimmed)))
    })?;
    let Some(host) = url.host_str() else {
        return Err(Error::invalid(field, "The address has no host name."));
    };
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(host) => {}
        "http" => {
            return Err(Error::invalid(
                field,
                "Use https: a token is only sent over an encrypted connection (plain http is allowed for 127.0.0.1 and [::1] only).",
            ))
        }
        other => return Err(Error::invalid(field, format!("'{other}' addresses are not supported; use https."))),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid(field, "Leave user names and passwords out of the address; the token goes in its own field."));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::invalid(field, "The address must not have a query (?…) or fragment (#…)."));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

fn is_loopback(host: &str) -> bool {
    host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>().map(|ip| ip.is_loopback()).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_https_and_trims_slash() {
        assert_eq!(normalize(" https://api.braintrust.dev/ ").unwrap(), "https://api.braintrust.dev");
        assert_eq!(normalize("https://bt.example.com/dataplane/").unwrap(), "https://bt.example.com/dataplane");
    }

    #[test]
    fn http_only_for_loopback() {
        assert_eq!(normalize("http://127.0.0.1:8080").unwrap(), "http://127.0.0.1:8080");
        assert_eq!(normalize("http://127.9.8.7:1").unwrap(), "http://127.9.8.7:1");
        assert_eq!(normalize("http://[::1]:9/").unwrap(), "http://[::1]:9");
        // A name is resolved by NSS (/etc/hosts, a resolver), so it may not be loopback at all.
        for name in ["http://localhost:1", "http://LOCALHOST", "http://localhost.:1", "http://127.0.0.1.nip.io", "http://[::ffff:8.8.8.8]"] {
            assert_eq!(normalize(name).unwrap_err().field.as_deref(), Some("host"), "{name}");
        }
        let err = normalize("http://api.braintrust.dev").unwrap_err();
        assert_eq!(err.field.as_deref(), Some("host"));
        assert!(err.message.contains("https"));
    }

    #[test]
    fn refuses_what_is_not_a_plain_address() {
        for bad in ["", "   ", "api.braintrust.dev", "ftp://x.y", "https://u:p@x.y", "https://x.y/?a=1", "https://x.y/#f", "file:///etc/passwd"] {
            let err = normalize(bad).unwrap_err();
            assert_eq!(err.field.as_deref(), Some("host"), "{bad}");
        }
        assert!(normalize(&format!("https://{}.com", "a".repeat(3000))).is_err());
    }

    #[test]
    fn every_service_has_one_default() {
        for s in Service::ALL {
            assert_eq!(presets().iter().filter(|p| p.service == s && p.is_default).count(), 1);
            assert!(normalize(&default_host(s)).is_ok());
        }
    }
}
