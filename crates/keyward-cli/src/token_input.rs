//! Reads a token without it ever being an argument (argv is visible to every user of the machine).

use std::io::{BufRead, IsTerminal};

use keyward_core::model::Service;
use keyward_core::{Error, Result};
use secrecy::SecretString;

pub fn read(service: Service) -> Result<SecretString> {
    let stdin = std::io::stdin();
    let line = if stdin.is_terminal() {
        rpassword::prompt_password(format!("{} API key: ", service.display_name()))
            .map_err(|e| Error::invalid("token", format!("Could not read the token: {e}")))?
    } else {
        let mut line = String::new();
        stdin
            .lock()
            .read_line(&mut line)
            .map_err(|e| Error::invalid("token", format!("Could not read the token from stdin: {e}")))?;
        line
    };
    Ok(SecretString::from(line.trim().to_string()))
}
