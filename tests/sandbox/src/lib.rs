//! keyward-sandbox: the three services Keyward talks to, stood in for on one loopback port.
//! Their paths do not collide (`/v1/...`, `/api/...`, `/api/llm-gateway/...`), so one port serves
//! all. Stateful, faithful to `tests/contracts/*/openapi.yaml`, with faults a test can switch on.

// Handlers return early with a ready `Response` as their error; its size does not matter here.
#![allow(clippy::result_large_err)]

mod barndoor;
mod braintrust;
mod braintrust_env;
mod control;
mod faults;
mod respan;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tokio::sync::oneshot;

pub use faults::Faults;

#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Bearer tokens the services accept.
    pub tokens: Vec<String>,
    pub seed_keys: usize,
    pub seed_respan_keys: usize,
    pub latency_ms: u64,
    pub port: u16,
    /// The live Braintrust answers an API key's request to create API keys with 403; a
    /// self-hosted deployment may allow it.
    pub allow_api_key_create: bool,
}

pub const DEFAULT_TOKEN: &str = "sandbox-braintrust-token";

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig { tokens: vec![DEFAULT_TOKEN.into()], seed_keys: 0, seed_respan_keys: 0, latency_ms: 0, port: 0, allow_api_key_create: false }
    }
}

/// Everything the services remember, behind one lock: requests are tiny and a test's load is small.
pub struct World {
    pub config: SandboxConfig,
    pub braintrust: braintrust::Braintrust,
    pub respan: respan::Respan,
    pub barndoor: barndoor::Barndoor,
    /// Proxy credentials handed out (the service keeps no list; tests count them here).
    pub proxy_credentials_issued: u64,
    /// The SHA-256 (hex) of every secret minted, newest last: a test compares what a process
    /// was handed with what was minted, without the sandbox keeping the secrets themselves.
    pub minted_digests: Vec<String>,
    /// The SHA-256 (hex) of each Braintrust env var's current value, by env var id: the value
    /// a caller gives is write-only, and this is how a test tells which one was installed.
    pub env_var_digests: std::collections::BTreeMap<String, String>,
    pub faults: Faults,
    pub requests: std::collections::BTreeMap<String, u64>,
    /// Every service request as sent, for tests that check them against the OpenAPI files.
    pub log: Vec<RecordedRequest>,
}

#[derive(Debug, Clone)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub body: Option<serde_json::Value>,
}

#[derive(Clone)]
pub struct Shared(Arc<Mutex<World>>);

impl Shared {
    pub fn lock(&self) -> MutexGuard<'_, World> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

pub fn app(config: SandboxConfig) -> (Router, Shared) {
    let world = World {
        braintrust: braintrust::Braintrust::seeded(config.seed_keys),
        respan: respan::Respan::seeded(config.seed_respan_keys),
        barndoor: barndoor::Barndoor::default(),
        proxy_credentials_issued: 0,
        minted_digests: Vec::new(),
        env_var_digests: Default::default(),
        faults: Faults { latency_ms: config.latency_ms, ..Default::default() },
        config,
        requests: Default::default(),
        log: Vec::new(),
    };
    let shared = Shared(Arc::new(Mutex::new(world)));
    let services = Router::new()
        .merge(braintrust::routes())
        .merge(respan::routes())
        .merge(barndoor::routes())
        .layer(middleware::from_fn_with_state(shared.clone(), faults::apply))
        .layer(middleware::from_fn_with_state(shared.clone(), record));
    let router = Router::new()
        .merge(services)
        .nest("/__sandbox", control::routes())
        .layer(middleware::from_fn_with_state(shared.clone(), count_requests))
        .with_state(shared.clone());
    (router, shared)
}

/// Keeps a copy of each service request; a body that is not JSON is kept as a string.
async fn record(State(shared): State<Shared>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1 << 20).await else {
        return (axum::http::StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response();
    };
    let json = (!bytes.is_empty())
        .then(|| serde_json::from_slice(&bytes).unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(&bytes).into())));
    shared.lock().log.push(RecordedRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        body: json,
    });
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes))).await
}

async fn count_requests(State(shared): State<Shared>, req: Request, next: Next) -> Response {
    let key = format!("{} {}", req.method(), req.uri().path());
    *shared.lock().requests.entry(key).or_default() += 1;
    next.run(req).await
}

/// The hex SHA-256 of a minted secret, as `sha256sum` prints it.
pub fn digest(secret: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(secret.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// A running sandbox. Dropping it stops the server.
pub struct SandboxHandle {
    pub base_url: String,
    pub addr: SocketAddr,
    pub shared: Shared,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl SandboxHandle {
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    /// The state, for tests that arrange or inspect it directly.
    pub fn world(&self) -> MutexGuard<'_, World> {
        self.shared.lock()
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Starts a sandbox on 127.0.0.1 (port 0 picks a free one).
pub async fn spawn(config: SandboxConfig) -> anyhow::Result<SandboxHandle> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", config.port)).await?;
    let addr = listener.local_addr()?;
    let (router, shared) = app(config);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
    Ok(SandboxHandle { base_url: format!("http://{addr}"), addr, shared, stop: Some(stop), task: Some(task) })
}
