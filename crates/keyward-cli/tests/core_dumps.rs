//! `keyward` keeps its memory out of core files from its first line: a token read from stdin is
//! never in a process whose crash could be written to disk.

#![cfg(target_os = "linux")]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The soft "Max core file size" of a running process, from /proc.
fn core_limit(pid: u32) -> Option<String> {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max core file size"))?;
    line.split_whitespace().nth(4).map(str::to_string)
}

#[test]
fn the_cli_waiting_for_a_token_allows_no_core_file() {
    let hard = Command::new("sh").args(["-c", "ulimit -H -c"]).output().unwrap();
    let hard = String::from_utf8_lossy(&hard.stdout).trim().to_string();
    if hard == "0" {
        eprintln!("the hard core limit is already 0 here: nothing to tell apart");
        return;
    }
    let data = tempfile::tempdir().unwrap();
    // The soft limit raised to the hard one first, so a 0 can only come from keyward itself.
    let script = r#"ulimit -S -c "$(ulimit -H -c)" && exec "$0" accounts add --service respan --label L --host https://api.respan.ai"#;
    let mut child = Command::new("sh")
        .args(["-c", script, env!("CARGO_BIN_EXE_keyward")])
        .env("KEYWARD_DATA_DIR", data.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_keyward")).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = None;
    while Instant::now() < deadline && child.try_wait().unwrap().is_none() {
        // Once sh has become keyward, keyward is blocked reading the token from the open stdin.
        if std::fs::read_link(format!("/proc/{}/exe", child.id())).is_ok_and(|e| e == exe) {
            std::thread::sleep(Duration::from_millis(200));
            seen = core_limit(child.id());
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(seen.as_deref(), Some("0"), "keyward's soft core limit; stderr: {}", String::from_utf8_lossy(&out.stderr));
}
