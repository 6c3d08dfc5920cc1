//! The process's own guard. Keyward holds account tokens and minted secrets in memory, and a
//! release build aborts on panic: a core dump, or a same-user debugger, would carry them out.

/// Marks the process non-dumpable (Linux: no core file, no same-user ptrace, `/proc/<pid>/mem`
/// closed to others) and sets its core-size limit to 0 (every unix). Call it first in `main`,
/// before any secret is in memory.
///
/// Only the soft limit is lowered: it is inherited by child processes (the webview's, which
/// show a revealed secret, and any program the CLI starts), and a child that wants its own core
/// files can raise it again. The dumpable mark is not inherited across `exec`. Windows writes no
/// core files unless Windows Error Reporting is set up for it, which is the machine owner's call.
pub fn harden() -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: PR_SET_DUMPABLE takes one integer argument and touches no memory of ours.
        if unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: `limit` is a valid, writable rlimit for getrlimit and a valid one for setrlimit.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_CORE, &mut limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            limit.rlim_cur = 0;
            if libc::setrlimit(libc::RLIMIT_CORE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
        }
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    #[test]
    fn a_hardened_process_writes_no_core_dump() {
        super::harden().unwrap();
        #[cfg(target_os = "linux")]
        // SAFETY: PR_GET_DUMPABLE reads a flag and takes no pointer.
        assert_eq!(unsafe { libc::prctl(libc::PR_GET_DUMPABLE, 0, 0, 0, 0) }, 0, "not dumpable");
        let mut limit = libc::rlimit { rlim_cur: 1, rlim_max: 1 };
        // SAFETY: `limit` is a valid, writable rlimit.
        assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_CORE, &mut limit) }, 0);
        assert_eq!(limit.rlim_cur, 0, "no core file size allowed");
        super::harden().expect("a second call is harmless");
    }
}
