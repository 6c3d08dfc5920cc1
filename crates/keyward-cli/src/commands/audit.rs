//! `keyward audit`: what Keyward did, newest first, as a table, JSON or CSV.

use keyward_core::ops::export;
use keyward_core::store::AuditQuery;
use keyward_core::{Keyward, Result};

use super::account_id;
use crate::cli::AuditArgs;
use crate::output;

pub fn run(core: &Keyward, args: AuditArgs) -> Result<()> {
    let AuditArgs { json, csv, account, action, since, until, limit } = args;
    let account_id = account_id(core, account.as_deref())?;
    let entries = core.audit(&AuditQuery { account_id, action, since, until, limit })?;
    if csv {
        return output::text(export::audit_csv(&entries)?);
    }
    output::audit(&entries, json)
}
