//! `keyward accounts add|edit|list|remove`: the accounts whose tokens sit in the keychain. A token
//! is read from stdin or a hidden prompt here, never from argv.

use keyward_core::model::host;
use keyward_core::model::{AccountUpdate, NewAccount, Service};
use keyward_core::{Keyward, Result};

use crate::{output, token_input};

pub async fn add(core: &Keyward, service: Service, label: String, host: Option<String>, org_name: Option<String>) -> Result<()> {
    let host = host.unwrap_or_else(|| host::default_host(service));
    let token = token_input::read(service)?;
    let account = core.add_account(NewAccount { service, label, host, org_name, token }).await?;
    eprintln!("Added {} account '{}' ({}).", service.display_name(), account.label, account.id);
    output::line(&account.id)
}

pub async fn edit(
    core: &Keyward,
    account: &str,
    label: Option<String>,
    host: Option<String>,
    org_name: Option<String>,
    new_token: bool,
) -> Result<()> {
    let found = core.find_account(account)?;
    let token = if new_token { Some(token_input::read(found.service)?) } else { None };
    let update = AccountUpdate { label, host, org_name, token };
    let saved = core.update_account(&found.id, update).await?;
    eprintln!("Saved '{}' ({}, {}).", saved.label, saved.service.display_name(), saved.host);
    Ok(())
}

pub fn list(core: &Keyward, json: bool) -> Result<()> {
    output::accounts(&core.list_accounts()?, json)
}

pub fn remove(core: &Keyward, account: &str) -> Result<()> {
    let found = core.find_account(account)?;
    core.remove_account(&found.id)?;
    eprintln!("Removed '{}': its token left the keychain and its cached keys this computer.", found.label);
    Ok(())
}
