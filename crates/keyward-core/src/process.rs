//! The process's own guard, the few facts about processes `keyward run` needs, and the priority
//! of background threads. Keyward holds account tokens and minted secrets in memory, and a
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

/// A process as the store remembers it: its pid and when it started, so a pid the system has
/// since given to another program is not taken for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcessMark {
    pub pid: u32,
    /// Linux: the start time in clock ticks since boot (`/proc/<pid>/stat`); elsewhere none,
    /// and the pid alone is compared.
    pub started: Option<i64>,
}

impl ProcessMark {
    /// This process.
    pub fn own() -> ProcessMark {
        ProcessMark::of(std::process::id()).unwrap_or(ProcessMark { pid: std::process::id(), started: None })
    }

    /// The running process `pid`, or `None` when there is none.
    pub fn of(pid: u32) -> Option<ProcessMark> {
        #[cfg(target_os = "linux")]
        {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // The command name (field 2) is in parentheses and may hold spaces or ')': the fields
            // after the last ')' start at field 3, so the start time (field 22) is the 20th.
            let (_, rest) = stat.rsplit_once(')')?;
            let fields: Vec<&str> = rest.split_whitespace().collect();
            // A zombie has exited: what it was started for is over.
            if fields.first() == Some(&"Z") {
                return None;
            }
            let started = fields.get(19)?.parse().ok()?;
            Some(ProcessMark { pid, started: Some(started) })
        }
        #[cfg(all(unix, not(target_os = "linux")))]
        {
            let pid_t = libc::pid_t::try_from(pid).ok()?;
            // SAFETY: signal 0 checks that the process exists and delivers nothing.
            let alive = unsafe { libc::kill(pid_t, 0) } == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM);
            alive.then_some(ProcessMark { pid, started: None })
        }
        #[cfg(not(unix))]
        {
            // No check here: the process is taken as running, and its keys end at their expiry.
            Some(ProcessMark { pid, started: None })
        }
    }

    /// Whether this very process is still running.
    pub fn is_running(&self) -> bool {
        ProcessMark::of(self.pid).is_some_and(|now| self.started.is_none() || now.started == self.started)
    }
}

/// Sends `signal` to process `pid` (unix), as `kill(2)` does; a process that is gone is no error.
#[cfg(unix)]
pub fn send_signal(pid: u32, signal: i32) -> std::io::Result<()> {
    let pid = libc::pid_t::try_from(pid).map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidInput))?;
    // SAFETY: kill takes two integers and touches no memory of ours.
    if unsafe { libc::kill(pid, signal) } != 0 {
        let e = std::io::Error::last_os_error();
        if e.raw_os_error() != Some(libc::ESRCH) {
            return Err(e);
        }
    }
    Ok(())
}

/// Asks a process to stop (SIGTERM on unix; Windows has no such request, so it is ended).
pub fn ask_to_stop(pid: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    return send_signal(pid, libc::SIGTERM);
    #[cfg(not(unix))]
    return end_now(pid);
}

/// Ends a process that did not stop when asked (SIGKILL on unix, `taskkill /F` on Windows).
pub fn end_now(pid: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    return send_signal(pid, libc::SIGKILL);
    #[cfg(not(unix))]
    return std::process::Command::new("taskkill").args(["/F", "/PID", &pid.to_string()]).status().map(|_| ());
}

/// Puts the calling thread at the lowest priority (nice 19), for work that must give way to the
/// rest of the process: a sync's page writes, which otherwise held up, on two cores, the wake-up
/// of the task sending the next request, a millisecond of every page's wall. Linux only, where a
/// nice value is a thread's own; elsewhere it is the whole process's, so nothing is changed.
pub fn lower_this_threads_priority() -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: gettid and setpriority take integers and touch no memory of ours; the tid is
        // this thread's, so only this thread changes.
        let tid = unsafe { libc::gettid() };
        let tid = libc::id_t::try_from(tid).map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidInput))?;
        if unsafe { libc::setpriority(libc::PRIO_PROCESS, tid, 19) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    #[cfg(target_os = "linux")]
    #[test]
    fn a_lowered_thread_runs_at_nice_19_and_the_rest_of_the_process_does_not() {
        fn own_nice() -> i32 {
            // SAFETY: as above; getpriority reads a number.
            let tid = unsafe { libc::gettid() } as libc::id_t;
            unsafe { libc::getpriority(libc::PRIO_PROCESS, tid) }
        }
        let before = own_nice();
        let lowered = std::thread::spawn(|| {
            super::lower_this_threads_priority().unwrap();
            own_nice()
        })
        .join()
        .unwrap();
        assert_eq!(lowered, 19);
        assert_eq!(own_nice(), before, "the calling thread keeps its priority");
    }

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

    #[test]
    fn a_process_is_known_by_its_pid_and_its_start() {
        let own = super::ProcessMark::own();
        assert!(own.is_running());
        #[cfg(target_os = "linux")]
        assert!(own.started.is_some(), "Linux says when a process started");
        let reused = super::ProcessMark { started: own.started.map(|s| s + 1), ..own };
        #[cfg(target_os = "linux")]
        assert!(!reused.is_running(), "the same pid, started at another time, is another process");
        let _ = reused;

        let mut child = std::process::Command::new("sleep").arg("30").spawn().unwrap();
        let mark = super::ProcessMark::of(child.id()).unwrap();
        assert!(mark.is_running());
        super::send_signal(child.id(), libc::SIGTERM).unwrap();
        child.wait().unwrap();
        assert!(!mark.is_running(), "a process that ended");
        super::send_signal(child.id(), libc::SIGTERM).expect("a process that is gone is no error");
    }
}
