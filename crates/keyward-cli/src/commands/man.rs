//! `keyward man DIR`: the manual pages (roff) from the same command tree as `--help`: keyward(1)
//! and one page a command (keyward-run(1), keyward-accounts-add(1), …), so `man keyward-run`
//! says everything `keyward run --help` does. The package installs them.

use std::path::Path;

use clap::CommandFactory;
use keyward_core::{Error, ErrorCode, Result};

use crate::cli::Args;

pub fn run(dir: &Path) -> Result<()> {
    clap_mangen::generate_to(Args::command(), dir)
        .map_err(|e| Error::new(ErrorCode::Storage, format!("Could not write the manual pages into {} ({e}).", dir.display())))
}
