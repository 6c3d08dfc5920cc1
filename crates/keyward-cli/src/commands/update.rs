//! `keyward update`: change a key where its service allows it. The flags are one set for every
//! kind; each kind takes the ones its service can change.

use keyward_core::model::key_change::KeyUpdate;
use keyward_core::model::KeyKind;
use keyward_core::{Error, Keyward, Result};

use super::find_key;
use crate::cli::UpdateArgs;

pub async fn run(core: &Keyward, args: UpdateArgs) -> Result<()> {
    let UpdateArgs { key, account, name, expiry, no_expiry, test, disabled, prefix, base_url } = args;
    let found = find_key(core, &key, account.as_deref())?;
    let update = match found.kind {
        KeyKind::RespanTempKey => KeyUpdate::RespanTempKey { name, expiry_date: expiry, is_test: test, prefix },
        KeyKind::BarndoorGatewayKey => KeyUpdate::BarndoorGatewayKey { disabled, expires_at: expiry, clear_expiry: Some(no_expiry) },
        KeyKind::BarndoorCredential => {
            KeyUpdate::BarndoorCredential { name, base_url, auth_type: None, api_key: None, credentials: None, settings: None, change_note: None }
        }
        KeyKind::BraintrustAiSecret => KeyUpdate::BraintrustAiSecret { name, secret_type: None, secret: None, metadata: None },
        KeyKind::BraintrustEnvVar => KeyUpdate::BraintrustEnvVar { name, value: None },
        KeyKind::RespanProvider => KeyUpdate::RespanProvider { provider_name: name, api_key: None, extra_kwargs: None },
        other => return Err(Error::invalid("key", format!("{} cannot be changed; revoke it and create another.", other.label()))),
    };
    let row = core.update_key(&found.id, update).await?;
    eprintln!("Updated {} “{}”.", row.kind.label(), row.name);
    Ok(())
}
