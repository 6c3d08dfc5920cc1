//! `keyward reissue`: a new secret for one key. Which way depends on its kind: a secret you give
//! (stdin or a prompt) for the kinds that hold one, a new one minted for a Barndoor gateway key.

use keyward_core::model::key_change::KeyUpdate;
use keyward_core::model::KeyKind;
use keyward_core::{Error, Keyward, Result};

use super::find_key;
use crate::{output, token_input};

pub async fn run(core: &Keyward, key: &str, account: Option<&str>, credentials_json: bool, grace: Option<u32>) -> Result<()> {
    let found = find_key(core, key, account)?;
    if let Some(grace) = grace {
        keyward_core::model::key_change::check_grace_period(found.kind, grace)?;
    }
    let given = |what: &str, field: &str| token_input::read_secret(what, field).map(Some);
    let update = match found.kind {
        KeyKind::BraintrustAiSecret => {
            Some(KeyUpdate::BraintrustAiSecret { name: None, secret_type: None, secret: given("New secret", "secret")?, metadata: None })
        }
        KeyKind::BraintrustEnvVar => Some(KeyUpdate::BraintrustEnvVar { name: None, value: given("New value", "value")? }),
        KeyKind::RespanProvider => {
            Some(KeyUpdate::RespanProvider { provider_name: None, api_key: given("New upstream API key", "api_key")?, extra_kwargs: None })
        }
        _ => None,
    };
    if let Some(update) = update {
        let row = core.update_key(&found.id, update).await?;
        eprintln!("Reissued {} “{}”: the service now holds the new secret.", row.kind.label(), row.name);
        return Ok(());
    }
    if found.kind == KeyKind::BarndoorCredential {
        let (api_key, credentials) = if credentials_json {
            (None, Some(token_input::read_secret("New credentials (JSON)", "credentials")?))
        } else {
            (Some(token_input::read_secret("New upstream API key", "api_key")?), None)
        };
        let update =
            KeyUpdate::BarndoorCredential { name: None, base_url: None, auth_type: None, api_key, credentials, settings: None, change_note: None };
        let row = core.update_key(&found.id, update).await?;
        eprintln!(
            "Reissued credential “{}”: Barndoor now holds the new secret (…{}).",
            row.name,
            row.preview.unwrap_or_default().trim_start_matches('…')
        );
        return Ok(());
    }
    let minted = core.reissue_key_with_grace(&found.id, grace.unwrap_or(0)).await?;
    let previous = match grace.filter(|g| *g > 0) {
        Some(g) => format!(" The previous secret keeps working for {}.", humantime::format_duration(std::time::Duration::from_secs(g.into()))),
        None => " The previous secret no longer works.".to_string(),
    };
    eprintln!("Reissued {} “{}”.{previous} This is the only time its new secret is shown:", minted.key.kind.label(), minted.key.name);
    if let Some(secret) = &minted.secret {
        output::secret(secret.expose()).map_err(|e| Error::new(e.code, format!("{} Reissue the key again for one that is shown.", e.message)))?;
    }
    Ok(())
}
