//! `keyward recover`: the one command that runs without opening the store, since it is the one
//! that repairs it. Only a damaged store is moved aside; a locked or unreadable one is said as it is.

use std::path::Path;
use std::sync::Arc;

use keyward_core::vault::KeyringVault;
use keyward_core::{HttpConfig, Keyward, Recovery, Result};

pub fn run(data_dir: Option<&Path>) -> Result<()> {
    let dir = match data_dir {
        Some(d) => d.to_path_buf(),
        None => keyward_core::paths::default_data_dir()?,
    };
    match Keyward::recover_if_damaged(&dir, Arc::new(KeyringVault::default()), HttpConfig::default())? {
        Recovery::NotNeeded(_) => eprintln!("The local inventory opens fine; there is nothing to recover."),
        Recovery::Rebuilt(_, report) => eprintln!(
            "Moved the damaged inventory to {} and rebuilt it with {} account(s). Run `keyward sync` to fetch their keys.",
            report.moved_to, report.accounts_restored
        ),
    }
    Ok(())
}
