//! `keyward run` end to end: the real CLI, the real keychain (`make test`) and the sandbox. The
//! commands run are small shell scripts that write what they were handed (a SHA-256 of each
//! variable) to files, so a test compares it with what the sandbox minted.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use keyward_sandbox::{spawn, SandboxConfig, SandboxHandle, DEFAULT_TOKEN};

struct Rig {
    sb: SandboxHandle,
    root: tempfile::TempDir,
}

impl Rig {
    fn data(&self) -> PathBuf {
        self.root.path().join("data")
    }

    /// A folder for the commands to write into, and to run from.
    fn work(&self) -> PathBuf {
        let d = self.root.path().join("work");
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_keyward"));
        c.args(args).env("KEYWARD_DATA_DIR", self.data()).env("OUT", self.work()).current_dir(self.work());
        c.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        c
    }

    fn keyward(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = self.command(args).spawn().unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    }

    fn start(&self, args: &[&str]) -> Child {
        self.command(args).stdin(Stdio::null()).spawn().unwrap()
    }

    fn respan_left(&self) -> usize {
        self.sb.world().respan.keys.len()
    }

    fn gateway_live(&self) -> usize {
        self.sb.world().barndoor.api_keys.iter().filter(|k| k["revoked_at"].is_null()).count()
    }

    fn minted(&self) -> Vec<String> {
        self.sb.world().minted_digests.clone()
    }

    /// What a command wrote to `$OUT/name`, trimmed (sha256sum's " -" dropped).
    fn written(&self, name: &str) -> String {
        let text = std::fs::read_to_string(self.work().join(name)).unwrap_or_default();
        text.split_whitespace().next().unwrap_or_default().to_string()
    }

    fn wait_for_file(&self, name: &str) -> String {
        let started = Instant::now();
        while !self.work().join(name).exists() {
            assert!(started.elapsed() < Duration::from_secs(30), "{name} never appeared");
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(50));
        std::fs::read_to_string(self.work().join(name)).unwrap().trim().to_string()
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `None` outside `make test`, which provides the real Secret Service.
async fn rig() -> Option<Rig> {
    if std::env::var_os("KEYWARD_REAL_KEYCHAIN").is_none() {
        eprintln!("KEYWARD_REAL_KEYCHAIN is not set: run through `make test` to use the real Secret Service");
        return None;
    }
    let sb = spawn(SandboxConfig::default()).await.unwrap();
    let r = Rig { sb, root: tempfile::tempdir().unwrap() };
    for (service, label) in [("respan", "Gateway"), ("barndoor", "Platform"), ("braintrust", "Production")] {
        let add = r.keyward(&["accounts", "add", "--service", service, "--label", label, "--host", &r.sb.base_url], &format!("{DEFAULT_TOKEN}\n"));
        assert!(add.status.success(), "{}", text(&add.stderr));
    }
    Some(r)
}

const TEMPLATE: &str = "\
# keys for the test suite: names, never secrets
export OPENAI_BASE_URL=\"https://api.respan.ai/api/\"
RESPAN_KEY=respan-temp@Gateway?max_usage=100&spending_limit=5&ttl=1h
GATEWAY_KEY=barndoor-gateway-key@Platform?ttl=30m
PROXY_KEY=braintrust-proxy@Production?model=gpt-4o&ttl=15m
";

/// Writes each variable's SHA-256 to $OUT, prints the plain one, and exits with $CODE.
const RECORD: &str = r#"for v in RESPAN_KEY GATEWAY_KEY PROXY_KEY; do eval "printf %s \"\$$v\"" | sha256sum > "$OUT/$v"; done
echo "base url: $OPENAI_BASE_URL"; exit "${CODE:-0}""#;

#[tokio::test(flavor = "multi_thread")]
async fn the_command_gets_the_minted_keys_and_they_are_revoked_when_it_exits() {
    let Some(r) = rig().await else { return };
    std::fs::write(r.work().join(".env.keyward"), TEMPLATE).unwrap();
    let out = r.keyward(&["run", "--", "sh", "-c", &format!("CODE=3; {RECORD}")], "");
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(3), "the command's code passes through: {stderr}");
    assert_eq!(stdout, "base url: https://api.respan.ai/api/\n", "stdout is the command's alone");
    assert!(stderr.contains("keyward: using ") && stderr.contains(".env.keyward"), "says which template: {stderr}");
    assert!(stderr.contains("keyward: minted 3 keys for sh: RESPAN_KEY (Temporary key on Respan 'Gateway', until "), "{stderr}");
    assert!(stderr.contains("keyward: revoked 2 keys"), "{stderr}");
    assert!(stderr.contains("cannot be revoked; it expires by itself"), "the proxy credential is named: {stderr}");

    let minted = r.minted();
    assert_eq!(minted.len(), 3);
    for v in ["RESPAN_KEY", "GATEWAY_KEY", "PROXY_KEY"] {
        assert!(minted.contains(&r.written(v)), "{v} is the secret the service minted");
    }
    assert_eq!((r.respan_left(), r.gateway_live()), (0, 0), "both revocable keys are revoked");
    for secretish in ["bdai_", "eyJhbGci"] {
        assert!(!stdout.contains(secretish) && !stderr.contains(secretish));
    }

    let listed = r.keyward(&["keys", "list", "--json", "--include-gone"], "");
    let rows: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let runs: Vec<&serde_json::Value> = rows.as_array().unwrap().iter().filter(|k| !k["run"].is_null()).collect();
    assert_eq!(runs.len(), 3);
    assert!(runs.iter().all(|k| k["run"]["command"] == "sh" && !k["run"]["ended_at"].is_null()), "{runs:?}");
    let audit = text(&r.keyward(&["audit", "--action", "run.end", "--json"], "").stdout);
    assert!(audit.contains("\"target\": \"sh\"") || audit.contains("\"target\":\"sh\""), "{audit}");

    let quiet = r.keyward(&["run", "--quiet", "-e", "K=respan-temp@Gateway?ttl=5m", "--", "true"], "");
    assert_eq!(quiet.status.code(), Some(0));
    assert_eq!(text(&quiet.stderr), "", "--quiet says nothing when all goes well");
    assert_eq!(r.respan_left(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_to_keyward_reaches_the_command_and_the_keys_are_revoked() {
    let Some(r) = rig().await else { return };
    let keyward = r.start(&["run", "-e", "GATEWAY_KEY=barndoor-gateway-key@Platform", "--", "sh", "-c", "echo $$ > \"$OUT/pid\"; exec sleep 30"]);
    let child: u32 = r.wait_for_file("pid").parse().unwrap();
    assert_eq!(r.gateway_live(), 1);
    keyward_core::process::send_signal(keyward.id(), SIGTERM).unwrap();
    let out = keyward.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(128 + SIGTERM), "the command was ended by the signal: {}", text(&out.stderr));
    assert!(keyward_core::process::ProcessMark::of(child).is_none(), "the command is gone");
    assert_eq!(r.gateway_live(), 0, "its key is revoked");
}

const SIGTERM: i32 = 15;

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_keyward_leaves_keys_that_the_next_start_revokes_once_the_command_is_gone() {
    let Some(r) = rig().await else { return };
    let mut keyward = r.start(&[
        "run",
        "-e",
        "GATEWAY_KEY=barndoor-gateway-key@Platform?ttl=1h",
        "-e",
        "RESPAN_KEY=respan-temp@Gateway",
        "--",
        "sh",
        "-c",
        "echo $$ > \"$OUT/pid\"; exec sleep 60",
    ]);
    let child: u32 = r.wait_for_file("pid").parse().unwrap();
    keyward.kill().unwrap(); // SIGKILL: nothing of keyward runs after it
    keyward.wait().unwrap();
    assert_eq!((r.gateway_live(), r.respan_left()), (1, 1), "nobody revoked them");

    let meanwhile = r.keyward(&["keys", "list"], "");
    assert!(meanwhile.status.success());
    assert_eq!((r.gateway_live(), r.respan_left()), (1, 1), "the command still runs: its keys stay");
    assert!(!text(&meanwhile.stderr).contains("revoked"), "{}", text(&meanwhile.stderr));

    keyward_core::process::send_signal(child, 9).unwrap();
    let started = Instant::now();
    while keyward_core::process::ProcessMark::of(child).is_some() {
        assert!(started.elapsed() < Duration::from_secs(10), "the command did not end");
        std::thread::sleep(Duration::from_millis(20));
    }
    let next = r.keyward(&["keys", "list"], "");
    let stderr = text(&next.stderr);
    assert!(next.status.success(), "{stderr}");
    assert!(stderr.contains("keyward: revoked 2 keys left by a run of sh"), "the start says what it did: {stderr}");
    assert_eq!((r.gateway_live(), r.respan_left()), (0, 0));
    let again = r.keyward(&["keys", "list"], "");
    assert!(!text(&again.stderr).contains("revoked"), "said once");
}

#[tokio::test(flavor = "multi_thread")]
async fn five_runs_at_once_each_get_their_own_keys_and_all_are_revoked() {
    let Some(r) = rig().await else { return };
    let runs: Vec<Child> = (0..5)
        .map(|i| {
            let script =
                format!("printf %s \"$RESPAN_KEY\" | sha256sum > \"$OUT/respan-{i}\"; printf %s \"$GATEWAY_KEY\" | sha256sum > \"$OUT/gateway-{i}\"");
            r.start(&[
                "run",
                "-e",
                "RESPAN_KEY=respan-temp@Gateway?ttl=10m",
                "-e",
                "GATEWAY_KEY=barndoor-gateway-key@Platform?ttl=10m",
                "--",
                "sh",
                "-c",
                &script,
            ])
        })
        .collect();
    for run in runs {
        let out = run.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    }
    let minted = r.minted();
    assert_eq!(minted.len(), 10);
    let mut seen: Vec<String> = (0..5).flat_map(|i| [r.written(&format!("respan-{i}")), r.written(&format!("gateway-{i}"))]).collect();
    assert!(seen.iter().all(|d| minted.contains(d)));
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 10, "each run had keys of its own");
    assert_eq!((r.respan_left(), r.gateway_live()), (0, 0));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_run_that_cannot_start_says_why_and_leaves_nothing_live() {
    let Some(r) = rig().await else { return };
    let started = |name: &str| r.work().join(name).exists();
    let template = r.work().join("bad.env");
    std::fs::write(&template, "# fine\nGOOD=1\nno equals sign here\n").unwrap();
    let bad_line = r.keyward(&["run", "--env-file", template.to_str().unwrap(), "--", "touch", "ran"], "");
    assert_eq!(bad_line.status.code(), Some(125));
    assert!(text(&bad_line.stderr).contains("bad.env:3: "), "names the file and line: {}", text(&bad_line.stderr));

    let typo = r.keyward(&["run", "-e", "K=respan-tmp@Gateway", "--", "touch", "ran"], "");
    assert_eq!(typo.status.code(), Some(125));
    assert!(text(&typo.stderr).contains("did you mean respan-temp?"), "a mistyped kind is not handed on as text: {}", text(&typo.stderr));

    let bad_limit = r.keyward(&["run", "-e", "K=respan-temp@Gateway?colour=red", "--", "touch", "ran"], "");
    assert_eq!(bad_limit.status.code(), Some(125));
    assert!(text(&bad_limit.stderr).contains("keyward: error: --env K: A Temporary key takes no “colour”"), "{}", text(&bad_limit.stderr));

    let nothing = r.keyward(&["run", "--", "touch", "ran"], "");
    assert_eq!(nothing.status.code(), Some(125));
    assert!(text(&nothing.stderr).contains(".env.keyward"), "{}", text(&nothing.stderr));

    let missing = r.keyward(&["run", "-e", "K=respan-temp@Gateway", "--", "no-such-command-here"], "");
    assert_eq!(missing.status.code(), Some(127), "{}", text(&missing.stderr));
    assert_eq!(r.respan_left(), 0, "the key minted for it is revoked");

    r.sb.world().barndoor.non_admin_tokens.push(DEFAULT_TOKEN.into());
    let refused = r.keyward(&["run", "-e", "K=respan-temp@Gateway", "-e", "G=barndoor-gateway-key@Platform", "--", "touch", "ran"], "");
    let stderr = text(&refused.stderr);
    assert_eq!(refused.status.code(), Some(125), "{stderr}");
    assert!(stderr.contains("keyward: error: --env G: ") && stderr.contains("The command was not started."), "{stderr}");
    assert_eq!(r.respan_left(), 0, "the key minted beside the refused one is revoked");
    assert_eq!(r.minted().len(), 2, "nothing else was minted");
    assert!(!started("ran"), "no command ever started");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_running_command_is_restarted_with_fresh_keys_before_they_expire() {
    let Some(r) = rig().await else { return };
    // The first start waits to be restarted; the second sees two keys written and exits.
    let script = r#"printf %s "$KEY" | sha256sum >> "$OUT/seen"; [ "$(wc -l < "$OUT/seen")" -ge 2 ] && exit 0; exec sleep 60"#;
    let out = r.keyward(&["run", "--restart-before-expiry", "-e", "KEY=respan-temp@Gateway?ttl=3s", "--", "sh", "-c", script], "");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("restarting sh with fresh keys"), "{stderr}");
    let seen = std::fs::read_to_string(r.work().join("seen")).unwrap();
    let digests: Vec<&str> = seen.lines().map(|l| l.split_whitespace().next().unwrap()).collect();
    assert_eq!(digests.len(), 2);
    assert_ne!(digests[0], digests[1], "the restart got a fresh key");
    assert!(digests.iter().all(|d| r.minted().contains(&d.to_string())));
    assert_eq!(r.respan_left(), 0, "both keys are revoked");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_key_that_cannot_be_revoked_is_named_the_exit_code_says_so_and_the_next_start_revokes_it() {
    let Some(r) = rig().await else { return };
    // The command waits until the service starts failing, then exits 0.
    let script = r#"touch "$OUT/started"; while [ ! -e "$OUT/go" ]; do sleep 0.02; done"#;
    let run = r.start(&["run", "-e", "K=respan-temp@Gateway?ttl=10m", "--", "sh", "-c", script]);
    r.wait_for_file("started");
    r.sb.world().faults = keyward_sandbox::Faults { error_500_next: 1_000, ..Default::default() };
    std::fs::write(r.work().join("go"), "").unwrap();
    let out = run.wait_with_output().unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(124), "{stderr}");
    assert!(stderr.contains("keyward: not revoked: Temporary key “K for sh (keyward run)”"), "{stderr}");
    assert!(stderr.contains("To revoke it: keyward revoke "), "{stderr}");
    assert!(stderr.contains("sh exited with 0; exiting with 124 because a key is still live"), "{stderr}");
    assert_eq!(r.respan_left(), 1, "still live at the service");

    r.sb.world().faults = keyward_sandbox::Faults::default();
    let next = r.keyward(&["keys", "list"], "");
    assert!(text(&next.stderr).contains("keyward: revoked 1 key left by a run of sh"), "{}", text(&next.stderr));
    assert_eq!(r.respan_left(), 0);
}
