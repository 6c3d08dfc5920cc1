//! Checks of what a person typed, before anything is sent or stored. Each problem names its field.

use secrecy::ExposeSecret;

use crate::error::{Error, Result};
use crate::model::host;
use crate::model::rules::is_hidden_control;
use crate::model::{FieldError, NewAccount};

const MAX_LABEL: usize = 100;
const MAX_ORG: usize = 200;
const MAX_TOKEN: usize = 8192;

pub fn label(raw: &str) -> Result<String> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(Error::invalid("label", "Give the account a name, e.g. \"Production\"."));
    }
    if value.chars().count() > MAX_LABEL {
        return Err(Error::invalid("label", format!("Keep the name under {MAX_LABEL} characters.")));
    }
    if value.chars().any(is_hidden_control) {
        return Err(Error::invalid("label", "The name contains control or text-direction characters."));
    }
    Ok(value.to_string())
}

pub fn org_name(raw: Option<&str>) -> Result<Option<String>> {
    let Some(value) = raw.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if value.chars().count() > MAX_ORG {
        return Err(Error::invalid("org_name", format!("Keep the organization name under {MAX_ORG} characters.")));
    }
    if value.chars().any(is_hidden_control) {
        return Err(Error::invalid("org_name", "The organization name contains control or text-direction characters."));
    }
    Ok(Some(value.to_string()))
}

/// A token goes into an HTTP header: it must be one line of visible ASCII.
pub fn token(raw: &str) -> Result<()> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(Error::invalid("token", "Paste the API key for this account."));
    }
    if value.len() > MAX_TOKEN {
        return Err(Error::invalid("token", "This is longer than any API key; check what was pasted."));
    }
    if !value.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::invalid("token", "An API key has no spaces, line breaks or non-ASCII characters; check what was pasted."));
    }
    Ok(())
}

/// Every problem with a new account at once, so a form can show them all.
pub fn new_account(input: &NewAccount) -> Vec<FieldError> {
    let checks = [
        label(&input.label).err(),
        host::normalize(&input.host).err(),
        org_name(input.org_name.as_deref()).err(),
        token(input.token.expose_secret()).err(),
    ];
    checks.into_iter().flatten().map(|e| FieldError { field: e.field.unwrap_or_default(), message: e.message }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Service;

    fn input(label: &str, host: &str, token: &str) -> NewAccount {
        NewAccount { service: Service::Braintrust, label: label.into(), host: host.into(), org_name: None, token: token.to_string().into() }
    }

    #[test]
    fn a_good_account_has_no_errors() {
        assert!(new_account(&input("Prod", "https://api.braintrust.dev", "sk-abc")).is_empty());
    }

    #[test]
    fn every_bad_field_is_named() {
        let errs = new_account(&input(" ", "http://example.com", "has space"));
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["label", "host", "token"]);
    }

    #[test]
    fn limits_and_control_characters() {
        assert!(label(&"x".repeat(101)).is_err());
        assert!(label("a\u{0007}b").is_err());
        assert_eq!(label("  مرحبا  ").unwrap(), "مرحبا");
        assert!(label("abc\u{202e}txt").is_err());
        assert!(token(&"a".repeat(10_000)).is_err());
        assert!(token("sk-é").is_err());
        assert!(token("sk\nabc").is_err());
        assert_eq!(org_name(Some("  ")).unwrap(), None);
        assert!(org_name(Some(&"o".repeat(201))).is_err());
    }

    #[test]
    fn token_errors_never_echo_the_token() {
        let secret = "sk-secret value";
        let err = token(secret).unwrap_err();
        assert!(!err.message.contains("secret"));
    }
}
