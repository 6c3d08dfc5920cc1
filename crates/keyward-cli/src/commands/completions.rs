//! `keyward completions SHELL`: the shell's completion script for every command and flag, from
//! the command tree itself, so it cannot fall behind. The package installs one per shell.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;
use keyward_core::{Error, ErrorCode, Result};

use crate::cli::Args;

pub fn run(shell: Shell) -> Result<()> {
    // Into memory first: clap_complete panics on a failed write (`| head` closing the pipe).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Args::command(), "keyward", &mut script);
    match std::io::stdout().lock().write_all(&script) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::new(ErrorCode::Internal, format!("Could not write the completion script ({e}).")))
        }
        _ => Ok(()),
    }
}
