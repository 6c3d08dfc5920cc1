//! One file per noun of the command tree, so a command's body is found by its name. What several
//! commands share (opening the store, finding an account or a key by what a person typed) is here,
//! once; what they print is in `output`.

pub mod accounts;
pub mod audit;
pub mod check;
pub mod completions;
pub mod create;
pub mod expiring;
pub mod export;
pub mod keys;
pub mod man;
pub mod notices;
pub mod recover;
pub mod reissue;
pub mod replace;
pub mod revoke;
pub mod run;
pub mod sync;
pub mod update;

use std::path::Path;
use std::sync::Arc;

use keyward_core::model::{KeyQuery, KeyRow};
use keyward_core::vault::KeyringVault;
use keyward_core::{Error, HttpConfig, Keyward, Result};

use crate::cli::KeyFilter;

/// Every command but `recover` opens the store this way; a damaged one is not repaired here, the
/// error says which command does it.
pub fn open(data_dir: Option<&Path>) -> Result<Keyward> {
    let opened = match data_dir {
        Some(dir) => Keyward::open(dir, Arc::new(KeyringVault::default()), HttpConfig::default()),
        None => Keyward::open_default(),
    };
    opened.map_err(|e| match e.code {
        keyward_core::ErrorCode::StoreDamaged => Error::new(e.code, format!("{} Run `keyward recover` to do it.", e.message)),
        _ => e,
    })
}

/// The id of the account a person named by id or label, when they named one.
pub fn account_id(core: &Keyward, account: Option<&str>) -> Result<Option<String>> {
    account.map(|a| core.find_account(a).map(|a| a.id)).transpose()
}

/// A key named by its id, the service's id or its name, within one account when one is given.
pub fn find_key(core: &Keyward, key: &str, account: Option<&str>) -> Result<KeyRow> {
    core.find_key(key, account_id(core, account)?.as_deref())
}

/// Which cached keys a listing or an export covers, as the core's query.
pub fn key_query(core: &Keyward, filter: KeyFilter) -> Result<KeyQuery> {
    let account_id = account_id(core, filter.account.as_deref())?;
    Ok(KeyQuery { search: filter.search, account_id, include_gone: Some(filter.include_gone), ..Default::default() })
}
