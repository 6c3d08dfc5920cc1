//! `keyward replace`: the replace assistant, step by step on stderr as the core reports them.
//! A stop before the revocation is exit code 1, with the old key still active.

use keyward_core::ops::install::InstallTarget;
use keyward_core::ops::replace::ReplaceReport;
use keyward_core::{Error, Keyward, Result};

use super::find_key;
use crate::output;

pub async fn run(core: &Keyward, key: &str, account: Option<&str>, install_into: &[String], print_secret: bool) -> Result<()> {
    let old = find_key(core, key, account)?;
    let targets =
        install_into.iter().map(|t| find_key(core, t, None).map(|k| InstallTarget::Existing { key_id: k.id })).collect::<Result<Vec<_>>>()?;
    let shown = std::sync::Mutex::new(0usize);
    let progress = |r: &ReplaceReport| output::replace_steps(r, &mut shown.lock().unwrap_or_else(|p| p.into_inner()));
    let replacement = core.replace_key(&old.id, targets, &progress).await?;
    // The final report may settle steps no progress call showed (a stop skips the rest).
    output::replace_steps(&replacement.report, &mut shown.lock().unwrap_or_else(|p| p.into_inner()));
    eprintln!("{}", replacement.report.summary);
    if let (true, Some(fresh)) = (replacement.report.replacement_unused, &replacement.report.new_key) {
        // Both keys carry the same name, so the id is what tells them apart.
        eprintln!("The replacement is installed nowhere; to put everything back as it was: keyward revoke {}", fresh.id);
    }
    if let (true, Some(secret)) = (print_secret, &replacement.secret) {
        // Installed as the report says: the key is in use now, not one to revoke.
        output::secret(secret.expose())?;
    }
    match replacement.report.completed {
        true => Ok(()),
        false => Err(Error::new(keyward_core::ErrorCode::Conflict, "The replacement stopped; the old key is still active (see above).")),
    }
}
