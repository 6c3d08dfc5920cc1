//! The notices timer: a systemd user timer the package installs, which runs `keyward notices
//! raise` every quarter hour so a key cannot expire unnoticed while the window is closed. The
//! notices setting switches it on and off; the window brings it in line at start and after each
//! settings save. Without systemd, or with Keyward not installed from the package, there is no
//! timer and nothing to switch: that is said, not failed.

use std::ffi::OsString;
use std::process::{Command, Stdio};

use crate::model::settings::Settings;

pub const TIMER_UNIT: &str = "keyward-notices.timer";

/// Where the timer stands (logged by the window at start and after each save).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeTimerState {
    /// Enabled and started: notices come while the window is closed.
    On,
    Off,
    /// The unit is not installed (a build from source, not the package).
    NotInstalled,
    /// No systemd user manager answers (no systemd, or no user session).
    Unavailable,
}

pub struct NoticeTimer {
    systemctl: OsString,
}

impl Default for NoticeTimer {
    /// `systemctl`, or the program `KEYWARD_SYSTEMCTL` names (the tests' stand-in).
    fn default() -> Self {
        NoticeTimer { systemctl: std::env::var_os("KEYWARD_SYSTEMCTL").unwrap_or_else(|| "systemctl".into()) }
    }
}

impl NoticeTimer {
    pub fn with_program(systemctl: impl Into<OsString>) -> Self {
        NoticeTimer { systemctl: systemctl.into() }
    }

    pub fn state(&self) -> NoticeTimerState {
        let Some(out) = self.systemctl(&["show", "--property=LoadState,UnitFileState", TIMER_UNIT]) else {
            return NoticeTimerState::Unavailable;
        };
        let value = |name: &str| out.lines().find_map(|l| l.strip_prefix(name)?.strip_prefix('=')).unwrap_or("");
        match (value("LoadState"), value("UnitFileState")) {
            ("not-found", _) | ("", _) => NoticeTimerState::NotInstalled,
            (_, "enabled") => NoticeTimerState::On,
            _ => NoticeTimerState::Off,
        }
    }

    /// Switches the timer to what the settings say, when it is installed; returns where it stands.
    pub fn follow(&self, settings: &Settings) -> NoticeTimerState {
        let state = self.state();
        let wanted = if settings.notify_expiry { NoticeTimerState::On } else { NoticeTimerState::Off };
        if !matches!(state, NoticeTimerState::On | NoticeTimerState::Off) || state == wanted {
            return state;
        }
        let verb = if settings.notify_expiry { "enable" } else { "disable" };
        if self.systemctl(&[verb, "--now", TIMER_UNIT]).is_none() {
            tracing::warn!(verb, "the notices timer could not be switched");
        }
        self.state()
    }

    /// stdout of `systemctl --user ARGS` when it succeeds.
    fn systemctl(&self, args: &[&str]) -> Option<String> {
        let out = Command::new(&self.systemctl).arg("--user").args(args).stdin(Stdio::null()).stderr(Stdio::null()).output().ok()?;
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in systemctl: answers `show` from a state file and records every call.
    fn fake(dir: &std::path::Path, installed: bool, enabled: bool) -> NoticeTimer {
        let state = dir.join("state");
        std::fs::write(&state, if enabled { "enabled" } else { "disabled" }).unwrap();
        let load = if installed { "loaded" } else { "not-found" };
        let script = dir.join("systemctl");
        let text = dir.join("systemctl.sh");
        std::fs::write(
            &text,
            format!(
                "#!/bin/sh\necho \"$@\" >> '{calls}'\ncase \"$2\" in\n  show) echo LoadState={load}; echo UnitFileState=$(cat '{state}');;\n  enable) echo enabled > '{state}';;\n  disable) echo disabled > '{state}';;\n  *) exit 1;;\nesac\n",
                calls = dir.join("calls").display(),
                state = state.display()
            ),
        )
        .unwrap();
        // Copied into place by another process: a program this process wrote itself can fail to
        // start ("text file busy") while a test on another thread is between fork and exec with
        // the write still open.
        assert!(std::process::Command::new("install").args(["-m", "755"]).arg(&text).arg(&script).status().unwrap().success());
        NoticeTimer::with_program(script)
    }

    fn calls(dir: &std::path::Path) -> Vec<String> {
        std::fs::read_to_string(dir.join("calls")).unwrap_or_default().lines().map(str::to_string).collect()
    }

    fn with_notices(on: bool) -> Settings {
        Settings { notify_expiry: on, ..Settings::default() }
    }

    #[test]
    fn the_setting_switches_an_installed_timer_on_and_off_and_only_when_it_differs() {
        let dir = tempfile::tempdir().unwrap();
        let timer = fake(dir.path(), true, false);
        assert_eq!(timer.state(), NoticeTimerState::Off);
        assert_eq!(timer.follow(&with_notices(true)), NoticeTimerState::On);
        assert!(calls(dir.path()).contains(&format!("--user enable --now {TIMER_UNIT}")), "{:?}", calls(dir.path()));
        let before = calls(dir.path()).len();
        assert_eq!(timer.follow(&with_notices(true)), NoticeTimerState::On);
        assert!(calls(dir.path())[before..].iter().all(|c| c.starts_with("--user show")), "already on: only asked");
        assert_eq!(timer.follow(&with_notices(false)), NoticeTimerState::Off);
        assert!(calls(dir.path()).contains(&format!("--user disable --now {TIMER_UNIT}")));
    }

    #[test]
    fn no_unit_or_no_systemd_is_said_and_nothing_is_switched() {
        let dir = tempfile::tempdir().unwrap();
        let timer = fake(dir.path(), false, false);
        assert_eq!(timer.follow(&with_notices(true)), NoticeTimerState::NotInstalled);
        assert!(calls(dir.path()).iter().all(|c| c.starts_with("--user show")));
        let missing = NoticeTimer::with_program(dir.path().join("no-such-systemctl"));
        assert_eq!(missing.follow(&with_notices(true)), NoticeTimerState::Unavailable);
        let failing = NoticeTimer::with_program("false");
        assert_eq!(failing.state(), NoticeTimerState::Unavailable);
    }
}
