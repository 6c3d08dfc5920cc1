//! What the core's tests against the sandbox share: a core on a fresh data dir with quick
//! retries, the sandbox it talks to, and accounts on it.
#![allow(dead_code)] // each test file uses its own part

use std::sync::Arc;
use std::time::Duration;

use keyward_core::model::{NewAccount, Service};
use keyward_core::vault::MemoryVault;
use keyward_core::{HttpConfig, Keyward};
use keyward_sandbox::{spawn, SandboxConfig, SandboxHandle, DEFAULT_TOKEN};

pub struct Rig {
    pub core: Keyward,
    pub sandbox: SandboxHandle,
    pub dir: tempfile::TempDir,
}

pub async fn rig(config: SandboxConfig) -> Rig {
    let sandbox = spawn(config).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let http = HttpConfig { min_backoff: Duration::from_millis(5), max_backoff: Duration::from_millis(50), ..Default::default() };
    let core = Keyward::open(dir.path(), Arc::new(MemoryVault::default()), http).unwrap();
    Rig { core, sandbox, dir }
}

/// An account of `service` on the sandbox, labelled by the service; its id.
pub async fn account(r: &Rig, service: Service) -> String {
    let input = NewAccount {
        service,
        label: format!("{service:?}"),
        host: r.sandbox.base_url.clone(),
        org_name: None,
        token: DEFAULT_TOKEN.to_string().into(),
    };
    r.core.add_account(input).await.unwrap().id
}

/// Whether any file of the data dir holds `needle`.
pub fn on_disk(r: &Rig, needle: &str) -> bool {
    std::fs::read_dir(r.dir.path()).unwrap().any(|e| {
        let bytes = std::fs::read(e.unwrap().path()).unwrap();
        bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
    })
}
