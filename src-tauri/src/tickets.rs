//! What the window gets where the core has a secret: a ticket to a reveal slot (`reveal.rs`),
//! never the plaintext. These types are the shell's, exported to the UI like the core's.

use keyward_core::model::KeyRow;
use keyward_core::ops::replace::ReplaceReport;
use serde::Serialize;
use ts_rs::TS;

/// A key just minted, as the window sees it: the new row, and a ticket to its secret.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MintedKey {
    pub key: KeyRow,
    /// `None` when the user gave the secret (nothing to reveal).
    pub reveal: Option<RevealTicket>,
    /// "Use in a run…": how `keyward run` mints a key like this one for each process instead.
    pub run_hint: Option<keyward_core::model::run_spec::RunHint>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RevealTicket {
    pub id: String,
    /// For "Copy as .env line".
    pub env_var: String,
    /// How long a copy stays on the clipboard.
    pub clear_after_secs: u32,
}

/// The replace assistant's answer: the report, and a ticket to the replacement's secret should
/// the person want to see it once (it is already installed where they chose).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ReplaceOutcome {
    pub report: ReplaceReport,
    pub reveal: Option<RevealTicket>,
}
