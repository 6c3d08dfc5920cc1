//! Runs a shell script against a sandbox in its own private keychain session (a nested
//! `tests/with-keychain.sh`), so a test may lock or kill that keychain without disturbing the rest.

use std::process::Command;

use keyward_sandbox::{spawn, SandboxConfig, DEFAULT_TOKEN};

/// What the script printed on stdout; `KEYWARD`, `DATA`, `HOST` and `TOKEN` are set for it.
pub struct Said(String);

impl Said {
    /// The rest of the first line starting with `tag`.
    pub fn line(&self, tag: &str) -> String {
        self.0.lines().find_map(|l| l.strip_prefix(tag)).map(str::trim).unwrap_or_default().to_string()
    }
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `None` outside `make test` (no real Secret Service to nest a session in).
pub async fn in_own_keychain(script: &str, seed_keys: usize) -> Option<Said> {
    if std::env::var_os("KEYWARD_REAL_KEYCHAIN").is_none() {
        eprintln!("KEYWARD_REAL_KEYCHAIN is not set: run through `make test` to use the real Secret Service");
        return None;
    }
    let sb = spawn(SandboxConfig { seed_keys, ..Default::default() }).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let wrapper = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/with-keychain.sh");
    let out = Command::new(wrapper)
        .args(["bash", "-c", script])
        .env("KEYWARD", env!("CARGO_BIN_EXE_keyward"))
        .env("DATA", dir.path())
        .env("HOST", &sb.base_url)
        .env("TOKEN", DEFAULT_TOKEN)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{said}\n{}", String::from_utf8_lossy(&out.stderr));
    Some(Said(said))
}
