//! Faults a test switches on: latency, 429 with Retry-After, 5xx, for the next N service calls.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::Shared;

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct Faults {
    pub latency_ms: u64,
    /// The next N service calls answer 429 with `Retry-After: retry_after_secs`.
    pub rate_limit_next: u32,
    pub retry_after_secs: u64,
    /// The next N service calls answer 500.
    pub error_500_next: u32,
}

pub async fn apply(State(shared): State<Shared>, req: Request, next: Next) -> Response {
    let (latency, injected) = {
        let mut world = shared.lock();
        let f = &mut world.faults;
        let injected = if f.rate_limit_next > 0 {
            f.rate_limit_next -= 1;
            Some(
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    [(header::RETRY_AFTER, f.retry_after_secs.to_string())],
                    "Too many requests, slow down",
                )
                    .into_response(),
            )
        } else if f.error_500_next > 0 {
            f.error_500_next -= 1;
            Some((StatusCode::INTERNAL_SERVER_ERROR, "Internal server error (injected)").into_response())
        } else {
            None
        };
        (f.latency_ms, injected)
    };
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    match injected {
        Some(response) => response,
        None => next.run(req).await,
    }
}
