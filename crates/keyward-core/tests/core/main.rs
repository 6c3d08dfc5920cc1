//! The core's integration tests, one binary: each module is one area, most against the sandbox
//! over real HTTP. One binary links once instead of sixteen times after each change to the core
//! (measured: 16 links took about 8 s of an 11 s rebuild on two cores). `keychain_absent` stays a
//! binary of its own: it changes the process's environment.
//!
//! `cargo test -p keyward-core --test core trust::` runs one module.

mod bad_input;
mod braintrust_sync;
mod cached_details;
mod create_keys;
mod env_vars;
mod error_matrix;
mod expiry;
mod faults;
mod gateway_access;
mod install_and_replace;
mod keychain;
mod keychain_mock;
mod openapi_conformance;
mod parsers;
mod runs;
mod store_recovery;
mod support;
mod sync_staging;
mod trust;
mod two_instances;
