//! `keyward sync`: every key of one account, or of all, fetched into the local store. One
//! account's failure is said and the others still sync; the exit code follows the last failure.

use keyward_core::model::SyncProgress;
use keyward_core::{Error, Keyward, Result};

pub async fn run(core: &Keyward, account: Option<&str>) -> Result<()> {
    let accounts = match account {
        Some(a) => vec![core.find_account(a)?],
        None => core.list_accounts()?,
    };
    let mut failed: Option<Error> = None;
    for account in accounts {
        let report = core.sync_account(&account.id, &|_p: SyncProgress| {}).await;
        match report {
            Ok(r) => {
                eprintln!("{}: {} keys ({} new, {} gone) in {} pages.", account.label, r.fetched, r.added, r.gone, r.pages);
                if r.skipped > 0 {
                    eprintln!(
                        "{}: {} listed object(s) could not be read and were skipped; nothing was marked gone this time.",
                        account.label, r.skipped
                    );
                }
            }
            Err(e) => {
                eprintln!("{}: {}", account.label, e.message);
                failed = Some(e);
            }
        }
    }
    failed.map_or(Ok(()), Err)
}
