//! Reads a token without it ever being an argument (argv is visible to every user of the machine).

use std::io::{IsTerminal, Read};

use keyward_core::model::Service;
use keyward_core::{Error, Result};
use secrecy::SecretString;

pub fn read(service: Service) -> Result<SecretString> {
    read_secret(&format!("{} API key", service.display_name()), "token")
}

/// A secret from a hidden prompt, or all of stdin when it is piped (a JSON object may span lines).
pub fn read_secret(prompt: &str, field: &str) -> Result<SecretString> {
    let stdin = std::io::stdin();
    let text = if stdin.is_terminal() {
        rpassword::prompt_password(format!("{prompt}: ")).map_err(|e| Error::invalid(field, format!("Could not read it: {e}")))?
    } else {
        let mut all = String::new();
        stdin.lock().read_to_string(&mut all).map_err(|e| Error::invalid(field, format!("Could not read it from stdin: {e}")))?;
        all
    };
    Ok(SecretString::from(text.trim().to_string()))
}
