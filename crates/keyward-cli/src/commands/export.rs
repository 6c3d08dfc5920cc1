//! `keyward export`: the inventory's metadata, to stdout or to a file only you can read.

use std::path::Path;

use keyward_core::ops::export::ExportFormat;
use keyward_core::{Keyward, Result};

use super::key_query;
use crate::cli::KeyFilter;
use crate::output;

pub fn run(core: &Keyward, format: ExportFormat, output: Option<&Path>, filter: KeyFilter) -> Result<()> {
    let query = key_query(core, filter)?;
    match output {
        None => output::text(core.export_keys(&query, format)?)?,
        Some(path) => {
            let report = core.export_keys_to(&query, format, path)?;
            eprintln!("Exported {} to {}.", output::count(report.rows, "key", "keys"), report.path);
        }
    }
    Ok(())
}
