//! One module per service behind one trait: adding a fourth service is one more module here.

mod braintrust;
pub mod http;

use async_trait::async_trait;
use secrecy::SecretString;

use crate::error::Result;
use crate::model::{KeyKind, Service};
use crate::store::RemoteKey;

pub use http::HttpConfig;

/// Called after every page a listing fetches, with the number of objects so far.
pub type PageProgress<'a> = &'a (dyn Fn(u32, u32) + Send + Sync);

#[async_trait]
pub trait Provider: Send + Sync {
    /// Proves the token works; returns who it belongs to, as the service names it.
    async fn verify(&self) -> Result<Option<String>>;

    /// The kinds of key `list_keys` returns, so a sync knows what vanished.
    fn listed_kinds(&self) -> &'static [KeyKind];

    /// Every key of every listed kind, all pages.
    async fn list_keys(&self, progress: PageProgress<'_>) -> Result<Vec<RemoteKey>>;
}

/// Everything a provider needs to talk to one account.
pub struct Connection {
    pub service: Service,
    pub host: String,
    pub org_name: Option<String>,
    pub token: SecretString,
}

pub fn connect(conn: Connection, config: &HttpConfig) -> Result<Box<dyn Provider>> {
    let api = http::Api::new(conn, config)?;
    match api.service() {
        Service::Braintrust => Ok(Box::new(braintrust::Braintrust::new(api))),
        other => Err(crate::error::Error::new(
            crate::error::ErrorCode::InvalidInput,
            format!("{} accounts are not supported yet.", other.display_name()),
        )
        .on_field("service")),
    }
}
