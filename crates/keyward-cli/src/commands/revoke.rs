//! `keyward revoke`: every key named is found first, so one typo revokes nothing; then each is
//! revoked and said, and the exit code follows the first failure.

use keyward_core::{Error, Keyward, Result};

use super::find_key;

pub async fn run(core: &Keyward, keys: &[String], account: Option<&str>) -> Result<()> {
    let ids = keys.iter().map(|k| find_key(core, k, account).map(|f| f.id)).collect::<Result<Vec<_>, Error>>()?;
    let outcomes = core.revoke_keys(&ids).await;
    let mut failed = 0;
    for o in &outcomes {
        match (&o.row, &o.error) {
            (Some(r), _) => eprintln!("Revoked {} “{}” on '{}'.", r.kind.label(), r.name, r.account_label),
            (None, Some(e)) => {
                failed += 1;
                eprintln!("Not revoked: “{}”: {}", o.name, e.message);
            }
            (None, None) => {}
        }
    }
    let total = outcomes.len();
    match outcomes.into_iter().find_map(|o| o.error) {
        None => Ok(()),
        Some(first) if total == 1 => Err(first),
        // The exit code follows the first failure; the lines above name each one.
        Some(first) => Err(Error::new(first.code, format!("{failed} of {total} keys were not revoked; see above."))),
    }
}
