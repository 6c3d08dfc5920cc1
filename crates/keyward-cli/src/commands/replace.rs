//! `keyward replace`: the rotation assistant, step by step on stderr as the core reports them.
//! A stop before the revocation is exit code 1, with the old key still active.

use keyward_core::install::InstallTarget;
use keyward_core::rotation::RotationReport;
use keyward_core::{Error, Keyward, Result};

use super::find_key;
use crate::output;

pub async fn run(core: &Keyward, key: &str, account: Option<&str>, install_into: &[String], print_secret: bool) -> Result<()> {
    let old = find_key(core, key, account)?;
    let targets = install_into.iter().map(|t| find_key(core, t, None).map(|k| InstallTarget::Rotate { key_id: k.id })).collect::<Result<Vec<_>>>()?;
    let shown = std::sync::Mutex::new(0usize);
    let progress = |r: &RotationReport| output::rotation_steps(r, &mut shown.lock().unwrap_or_else(|p| p.into_inner()));
    let rotation = core.rotate_assisted(&old.id, targets, &progress).await?;
    // The final report may settle steps no progress call showed (a stop skips the rest).
    output::rotation_steps(&rotation.report, &mut shown.lock().unwrap_or_else(|p| p.into_inner()));
    eprintln!("{}", rotation.report.summary);
    if let (true, Some(fresh)) = (rotation.report.replacement_unused, &rotation.report.new_key) {
        // Both keys carry the same name, so the id is what tells them apart.
        eprintln!("The replacement is installed nowhere; to put everything back as it was: keyward revoke {}", fresh.id);
    }
    if let (true, Some(secret)) = (print_secret, &rotation.secret) {
        println!("{}", secret.expose());
    }
    match rotation.report.completed {
        true => Ok(()),
        false => Err(Error::new(keyward_core::ErrorCode::Conflict, "The rotation stopped; the old key is still active (see above).")),
    }
}
