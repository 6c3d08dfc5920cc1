//! Any bytes as a listed object of any kind (the first byte picks the parser) or a Barndoor list:
//! never a panic, no secret-named field in the cached details, no string of the input quoted back.
#![no_main]

use keyward_core::providers::parse::{self, holds_secret_field, strings_in, LISTED};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else { return };
    let quoted = serde_json::from_slice::<Value>(body).map(|v| strings_in(&v, 10)).unwrap_or_default();
    let index = pick as usize % (LISTED.len() + 1);
    let message = match LISTED.get(index) {
        Some(&parser) => match parse::item(parser, body) {
            Ok(Some(row)) => {
                assert!(!row.name.is_empty() && !row.provider_id.is_empty());
                assert!(!row.provider_id.contains('/'));
                assert!(!holds_secret_field(&row.details), "a secret-named field reached the details");
                return;
            }
            Ok(None) => return,
            Err(e) => e.message,
        },
        None => match parse::barndoor_list(body) {
            Ok(_) => return,
            Err(e) => e.message,
        },
    };
    for s in quoted {
        assert!(!message.contains(&s), "the error quoted the input: {message}");
    }
});
