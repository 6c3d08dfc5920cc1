//! `keyward keys show|list`: the cached inventory, and one key fetched fresh from its service.

use keyward_core::{Keyward, Result};

use super::{find_key, key_query};
use crate::cli::KeyFilter;
use crate::output;

pub async fn show(core: &Keyward, key: &str, account: Option<&str>) -> Result<()> {
    let found = find_key(core, key, account)?;
    let fresh = core.refresh_key(&found.id).await?;
    output::key_detail(&fresh, &core.key_details(&fresh.id)?)
}

pub fn list(core: &Keyward, json: bool, filter: KeyFilter) -> Result<()> {
    output::keys(&core.list_keys(&key_query(core, filter)?)?, json)
}
