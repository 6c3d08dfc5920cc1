//! What the package makes from the CLI itself (completions, manual pages), and `keyward notices
//! raise` when no notification service answers: said with its own exit code, never a panic.

use std::process::{Command, Output};

fn keyward(args: &[&str], env: &[(&str, &str)]) -> Output {
    let data = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_keyward")).args(args).env("KEYWARD_DATA_DIR", data.path()).envs(env.iter().copied()).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn completions_for_each_shell_know_every_command() {
    for (shell, marker) in [("bash", "complete -F _keyward"), ("zsh", "#compdef keyward"), ("fish", "complete -c keyward")] {
        let out = keyward(&["completions", shell], &[]);
        assert!(out.status.success(), "{shell}: {}", text(&out.stderr));
        let script = text(&out.stdout);
        assert!(script.contains(marker), "{shell}: {}", &script[..script.len().min(300)]);
        for command in ["notices", "run", "replace", "export", "--install-into"] {
            assert!(script.contains(command), "{shell} completion lacks {command}");
        }
    }
    let bad = keyward(&["completions", "tcsh"], &[]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("invalid value 'tcsh'"), "{}", text(&bad.stderr));
}

#[test]
fn the_manual_has_a_page_for_keyward_and_for_each_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = keyward(&["man", dir.path().to_str().unwrap()], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for page in ["keyward.1", "keyward-run.1", "keyward-notices-raise.1", "keyward-accounts-add.1", "keyward-completions.1"] {
        let roff = std::fs::read_to_string(dir.path().join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(roff.starts_with(".ie \\n(.g .ds Aq") || roff.contains(".TH"), "{page} is not a man page");
    }
    let run = std::fs::read_to_string(dir.path().join("keyward-run.1")).unwrap();
    assert!(run.contains("125"), "the run page gives Keyward's own exit codes");
    assert!(!dir.path().join("keyward-man.1").exists(), "the packaging command is not documented as a command");

    let missing = keyward(&["man", dir.path().join("no/such/dir").to_str().unwrap()], &[]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("Could not write the manual pages into"), "{}", text(&missing.stderr));
}

#[test]
fn no_notification_service_is_exit_3_and_nothing_is_raised() {
    let out = keyward(&["notices", "raise"], &[("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/keyward-test-bus")]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let said = text(&out.stderr);
    assert!(said.contains("Nothing was raised; the notices stay owed."), "{said}");
    assert!(!said.contains("panicked"), "{said}");
    assert!(out.stdout.is_empty());
}
