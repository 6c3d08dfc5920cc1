//! One module per service behind one trait: adding a fourth service is one more module here.

mod barndoor;
mod braintrust;
mod cached;
pub mod http;
pub mod parse;
mod redact;
mod respan;

use async_trait::async_trait;
use secrecy::SecretString;

use chrono::{DateTime, Utc};

use crate::error::{Error, ErrorCode, Result};
use crate::model::new_key::NewKey;
use crate::model::{KeyKind, Minted, RemoteKey, Service};

pub use http::HttpConfig;

/// Called after every page a listing fetches, with the pages so far and the keys this page
/// brought: the sync stages them while the next page is on the wire.
pub type PageProgress<'a> = &'a (dyn Fn(u32, &[RemoteKey]) + Send + Sync);

#[async_trait]
pub trait Provider: Send + Sync {
    /// Proves the token works; returns who it belongs to, as the service names it.
    async fn verify(&self) -> Result<Option<String>>;

    /// Every key of every kind the token may list, all pages.
    async fn list_keys(&self, progress: PageProgress<'_>) -> Result<Listing>;

    /// Mints a key (already checked by `NewKey::check`). A create is sent once, never retried.
    async fn create_key(&self, request: &NewKey) -> Result<Minted<RemoteKey>, CreateError> {
        Err(CreateError::Refused(unsupported(request.kind())))
    }

    /// After an ambiguous create: the key the service made for `request` since `since`, if any.
    async fn find_created(&self, request: &NewKey, since: DateTime<Utc>) -> Result<Option<RemoteKey>> {
        let _ = (request, since);
        Ok(None)
    }

    /// Fetches one key as the service describes it now; `None` when the service no longer has it.
    async fn get_key(&self, kind: KeyKind, provider_id: &str) -> Result<Option<RemoteKey>> {
        let _ = provider_id;
        Err(unsupported(kind))
    }

    /// Changes a key where the service allows it; returns it as the service now describes it.
    async fn update_key(&self, kind: KeyKind, provider_id: &str, update: &crate::model::key_change::KeyUpdate) -> Result<RemoteKey> {
        let _ = (provider_id, update);
        Err(unsupported(kind))
    }

    /// Issues a new secret for the same key (Barndoor gateway keys); the previous secret keeps
    /// working for `grace_period_secs` (0: it stops at once).
    async fn reissue_key(&self, kind: KeyKind, provider_id: &str, grace_period_secs: u32) -> Result<Minted<RemoteKey>, CreateError> {
        let _ = (provider_id, grace_period_secs);
        Err(CreateError::Refused(unsupported(kind)))
    }

    /// Asks the service whether a setup works before it is saved (Barndoor's AWS-role and Vertex checks).
    async fn validate(&self, check: &crate::model::setup_check::SetupCheck) -> Result<crate::model::setup_check::CheckOutcome> {
        Err(Error::invalid("kind", format!("{} has no such check.", check.service().display_name())))
    }

    /// The projects the token can see, to scope a Braintrust env var to one.
    async fn list_projects(&self) -> Result<Vec<crate::model::env_var::Project>> {
        Err(Error::invalid("account_id", "Only a Braintrust account has projects."))
    }

    /// Revokes (deletes) a key at the service.
    async fn delete_key(&self, kind: KeyKind, provider_id: &str) -> Result<()> {
        let _ = provider_id;
        Err(unsupported(kind))
    }
}

/// What a sync saw, and which kinds it saw completely: only those can have keys that vanished.
/// (A kind the token may not list, such as Braintrust service tokens for a user's API key, is
/// left as it was.)
pub struct Listing {
    pub keys: Vec<RemoteKey>,
    pub kinds: Vec<KeyKind>,
    /// Objects the service listed that could not be read at all: skipped, so one odd object
    /// does not blind the whole inventory. While any was skipped, nothing is marked gone.
    pub skipped: u32,
}

/// `Ambiguous`: the request went out and no clear answer came back; the key may exist.
pub enum CreateError {
    Refused(Error),
    Ambiguous(Error),
}

impl From<http::PostError> for CreateError {
    fn from(e: http::PostError) -> Self {
        match e {
            http::PostError::Refused(e) => CreateError::Refused(e),
            http::PostError::Ambiguous(e) => CreateError::Ambiguous(e),
        }
    }
}

/// A 404 on a single-object GET means the object is gone, which is an answer, not a failure.
pub(crate) fn found<T>(result: Result<T>) -> Result<Option<T>> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.code == ErrorCode::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Why a service's answer could not be read, without any value from it: serde quotes the
/// offending string ("invalid type: string \"sk-…\"") and an answer can hold a secret.
pub(crate) fn unreadable(service: Service, what: &str, e: &serde_json::Error) -> Error {
    // Serde quotes strings with '"' (Debug-escaped: an escaped quote stays inside) and names
    // (fields, variants) with '`': drop what is inside.
    let mut why = String::new();
    let mut open: Option<char> = None;
    let mut escaped = false;
    for c in e.to_string().chars() {
        match open {
            Some(_) if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            Some(q) if c == q => {
                open = None;
                why.push('…');
                why.push(c);
            }
            Some(_) => {}
            None if c == '"' || c == '`' => {
                open = Some(c);
                why.push(c);
            }
            None if c.is_control() => why.push(' '),
            None => why.push(c),
        }
    }
    if let Some(q) = open {
        why.push('…');
        why.push(q);
    }
    Error::new(ErrorCode::Provider, format!("{} sent {what} Keyward could not read ({why}).", service.display_name()))
}

/// A listed object's id, fit to be cached and put in a request path: any string a service uses
/// is usable, since ids reach a path only through `http::with_id`'s segment encoding. Only
/// what no encoding keeps as one segment is refused: nothing, `.` and `..` (which URL
/// normalisation drops, turning a DELETE of one key into one of its collection).
pub(crate) fn listed_id(service: Service, what: &str, id: String) -> Result<String> {
    if id.is_empty() || id == "." || id == ".." || id.len() > 1000 {
        return Err(Error::new(ErrorCode::Provider, format!("{} listed {what} with an id Keyward cannot use.", service.display_name())));
    }
    Ok(id)
}

fn unsupported(kind: KeyKind) -> Error {
    Error::new(ErrorCode::InvalidInput, format!("{} does not support this for a {}.", kind.service().display_name(), kind.label()))
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
        Service::Respan => Ok(Box::new(respan::Respan::new(api))),
        Service::Barndoor => Ok(Box::new(barndoor::Barndoor::new(api))),
    }
}
