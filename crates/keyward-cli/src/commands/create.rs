//! `keyward create …`: mint a key and either print its secret once on stdout or install it
//! straight from memory into the places named with --install-into. The subcommands per kind and
//! their flags are in `create_args`.

use keyward_core::model::secret::MintedSecret;
use keyward_core::model::KeyRow;
use keyward_core::ops::install::InstallTarget;
use keyward_core::{Error, Keyward, Result};

use super::find_key;
use crate::create_args::CreateCommand;
use crate::output;

pub async fn run(core: &Keyward, what: CreateCommand, install_into: &[String]) -> Result<()> {
    let project_id = match what.project_name() {
        Some(name) => {
            let account = core.find_account(what.account())?;
            Some(core.find_project(&account.id, name).await?.id)
        }
        None => None,
    };
    let (account, request) = what.into_request(project_id)?;
    let account = core.find_account(&account)?;
    // Every place is found, and known to take a secret, before anything is minted.
    let targets = install_into.iter().map(|t| find_key(core, t, None)).collect::<Result<Vec<_>>>()?;
    for t in &targets {
        if let Some(p) = core.validate_install(&InstallTarget::Existing { key_id: t.id.clone() })?.into_iter().next() {
            return Err(Error::invalid("install-into", format!("“{}”: {}", t.name, p.message)));
        }
    }
    let minted = core.create_key(&account.id, request).await?;
    let k = &minted.key;
    let expires = k.expires_at.map(|e| format!(", expires {}", e.format("%Y-%m-%d %H:%M UTC"))).unwrap_or_default();
    match &minted.secret {
        Some(secret) if !targets.is_empty() => {
            eprintln!("Created {} “{}” on '{}'{expires}.", k.kind.label(), k.name, account.label);
            install(core, secret, k, &targets).await
        }
        Some(secret) => {
            eprintln!("Created {} “{}” on '{}'{expires}. This is the only time its secret is shown:", k.kind.label(), k.name, account.label);
            output::secret(secret.expose()).map_err(|e| revocable(e, k))
        }
        None => {
            eprintln!("Created {} “{}” on '{}'. The secret you gave was sent and not kept.", k.kind.label(), k.name, account.label);
            Ok(())
        }
    }
}

/// The minted secret goes to each place from memory; if one fails, the secret is printed once
/// so it is not lost (its key exists already).
async fn install(core: &Keyward, secret: &MintedSecret, key: &KeyRow, targets: &[KeyRow]) -> Result<()> {
    let given = secret.for_install();
    for t in targets {
        match core.install_secret(&given, InstallTarget::Existing { key_id: t.id.clone() }, &key.name).await {
            Ok(done) if done.verified != Some(false) => eprintln!("Installed into {} “{}”: {}", done.key.kind.label(), done.key.name, done.check),
            outcome => {
                let why = match outcome {
                    Ok(done) => done.check,
                    Err(e) => e.message,
                };
                eprintln!("Installing into “{}” failed: {why} The secret is shown once here so it is not lost:", t.name);
                output::secret(secret.expose()).map_err(|e| revocable(e, key))?;
                return Err(Error::new(keyward_core::ErrorCode::Conflict, format!("Not installed into “{}”.", t.name)));
            }
        }
    }
    eprintln!("The secret was installed and is not printed.");
    Ok(())
}

/// Names the key an error left behind, where there is a revoke for it (a proxy credential only
/// expires).
fn revocable(e: Error, key: &KeyRow) -> Error {
    if key.kind.revocable() {
        e.leaving(&key.id)
    } else {
        e
    }
}
