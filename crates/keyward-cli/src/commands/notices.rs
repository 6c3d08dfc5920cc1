//! `keyward notices raise`: the expiry notices owed now, raised through the desktop's
//! notification service. The notices timer runs it while the window is closed; the window and
//! this share one record of what was raised, so each notice comes once, whichever raises it.

use std::process::ExitCode;

use keyward_core::{Keyward, Result};

use crate::output;
use keyward_core::desktop_notices::Notifier;

/// No notification service answered: nothing was raised and nothing marked, so the window (or
/// the timer's next run) raises the notices later. The timer's unit counts it as a success.
pub const NO_SERVICE: u8 = 3;

pub fn raise(core: &Keyward, quiet: bool) -> Result<ExitCode> {
    if !core.settings().notify_expiry {
        if !quiet {
            eprintln!("Expiry notices are off in the settings: nothing raised.");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let notifier = match Notifier::connect() {
        Ok(n) => n,
        Err(e) => {
            eprintln!("keyward: {} Nothing was raised; the notices stay owed.", e.message);
            return Ok(ExitCode::from(NO_SERVICE));
        }
    };
    let notices = core.due_notices(chrono::Utc::now())?;
    let mut failed = 0;
    for notice in &notices {
        match notifier.show(&notice.title, &notice.body) {
            Ok(_) if quiet => {}
            Ok(_) => eprintln!("Raised: {}", notice.title),
            Err(e) => {
                failed += 1;
                eprintln!("keyward: {} ({})", e.message, notice.title);
            }
        }
    }
    if !quiet {
        eprintln!("{} raised.", output::count(notices.len() as u32 - failed, "expiry notice", "expiry notices"));
    }
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
