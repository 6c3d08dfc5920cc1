//! The parsers of what the services answer, reachable without a network: for property tests
//! (`tests/parsers.rs`) and the fuzz targets (`fuzz/`). Every one takes arbitrary bytes and must
//! answer with a row or a named error, never panic, and never quote a value from the input.

use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::error::{Error, ErrorCode, Result};
use crate::model::Service;
use crate::store::RemoteKey;

/// One parser per kind of listed object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parser {
    BraintrustApiKey,
    BraintrustServiceToken,
    BraintrustAiSecret,
    RespanTempKey,
    RespanProvider,
    BarndoorGatewayKey,
    BarndoorCredential,
    BarndoorProvider,
}

impl Parser {
    pub const ALL: [Parser; 8] = [
        Parser::BraintrustApiKey,
        Parser::BraintrustServiceToken,
        Parser::BraintrustAiSecret,
        Parser::RespanTempKey,
        Parser::RespanProvider,
        Parser::BarndoorGatewayKey,
        Parser::BarndoorCredential,
        Parser::BarndoorProvider,
    ];

    fn service(self) -> Service {
        match self {
            Parser::BraintrustApiKey | Parser::BraintrustServiceToken | Parser::BraintrustAiSecret => Service::Braintrust,
            Parser::RespanTempKey | Parser::RespanProvider => Service::Respan,
            _ => Service::Barndoor,
        }
    }
}

/// One listed object, from the bytes of its JSON. `Ok(None)`: an object that is not inventory
/// (a Barndoor gateway key reported revoked).
pub fn item(parser: Parser, bytes: &[u8]) -> Result<Option<RemoteKey>> {
    let raw: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| super::unreadable(parser.service(), "an object", &e))?;
    match parser {
        Parser::BraintrustApiKey => super::braintrust::to_remote(raw).map(Some),
        Parser::BraintrustServiceToken => super::braintrust::service_token(raw).map(Some),
        Parser::BraintrustAiSecret => super::braintrust::ai_secret(raw).map(Some),
        Parser::RespanTempKey => super::respan::to_remote(raw).map(Some),
        Parser::RespanProvider => super::respan::provider(raw).map(Some),
        Parser::BarndoorGatewayKey => super::barndoor::gateway_key(raw),
        Parser::BarndoorCredential => super::barndoor::credential(raw).map(Some),
        Parser::BarndoorProvider => super::barndoor::provider_route(raw).map(Some),
    }
}

/// A Barndoor list answer: an array, or a named error.
pub fn barndoor_list(bytes: &[u8]) -> Result<Vec<serde_json::Value>> {
    let raw: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| super::unreadable(Service::Barndoor, "a list", &e))?;
    super::barndoor::array(raw, "key")
}

/// Respan's `next` link: only the page number is taken from it.
pub fn respan_next_page(url: &str) -> Option<u32> {
    super::respan::next_page(url)
}

/// An error answer's body as the one line a person is shown, and the wait it asks for.
pub fn error_body(text: &str) -> (String, Option<Duration>) {
    (super::http::body_message(text), super::http::body_retry_after(text))
}

/// A `Retry-After` header's wait, where it is a valid header value at all.
pub fn retry_after_header(bytes: &[u8]) -> Result<Option<Duration>> {
    let value = HeaderValue::from_bytes(bytes).map_err(|_| Error::new(ErrorCode::Provider, "not a header value"))?;
    Ok(super::http::parse_retry_after(Some(&value)))
}
