//! Text rules shared by every field a person types: the account checks (`account_rules`), the key
//! checks (`new_key`) and the quoting of typed text in messages (`clip`). A leaf, so that `host`
//! and `account_rules` (which checks hosts) need not import each other.

use crate::error::{Error, Result};

/// Names and other one-line text a person types stay under this many characters.
const MAX_NAME: usize = 200;

/// Characters that change how text is shown without being seen: control characters and the
/// bidirectional controls (marks, embeddings, overrides, isolates) that can make one name look
/// like another. The one rule for every text field a person types.
pub(crate) fn is_hidden_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// What a person typed, as an error message may quote it: short, and with control and
/// text-direction characters shown as '?' so the message reads as written.
pub(crate) fn clip(s: &str) -> String {
    let shown = |c: char| if is_hidden_control(c) { '?' } else { c };
    let mut out: String = s.chars().take(60).map(shown).collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out
}

/// One line of text a person types: not blank when required, short, nothing hidden in it.
pub(crate) fn text(field: &str, value: Option<&String>, required: bool) -> Result<()> {
    let v = value.map(|s| s.trim()).unwrap_or("");
    if v.is_empty() {
        return if required { Err(Error::invalid(field, "This cannot be empty.")) } else { Ok(()) };
    }
    if v.chars().count() > MAX_NAME {
        return Err(Error::invalid(field, format!("Keep this under {MAX_NAME} characters.")));
    }
    if v.chars().any(is_hidden_control) {
        return Err(Error::invalid(field, "This contains control or text-direction characters."));
    }
    Ok(())
}
