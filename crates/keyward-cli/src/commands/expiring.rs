//! `keyward expiring`: the expiry centre, what expired or expires soon across every account.

use keyward_core::{Keyward, Result};

use crate::output;

pub fn run(core: &Keyward, json: bool) -> Result<()> {
    let centre = core.expiry_centre()?;
    eprintln!(
        "Needing attention: {} (expiry window {} days). Listed: what expired or expires in the next {} days.",
        output::count(centre.attention, "key", "keys"),
        centre.window_days,
        centre.horizon_days
    );
    output::keys(&centre.keys, json)
}
