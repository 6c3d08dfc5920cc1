//! Any bytes as a listed object of any kind (the first byte picks the parser) or a Barndoor list:
//! never a panic, no secret-named field in the cached details, no string of the input quoted back.
#![no_main]

use keyward_core::providers::parse::{self, holds_secret_field, quotes, strings_in, LISTED};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else { return };
    let input = serde_json::from_slice::<Value>(body).ok();
    let index = pick as usize % (LISTED.len() + 1);
    // The error message this target's parser gives for some bytes, if it fails.
    let failure = |bytes: &[u8]| match LISTED.get(index) {
        Some(&parser) => parse::item(parser, bytes).err().map(|e| e.message),
        None => parse::barndoor_list(bytes).err().map(|e| e.message),
    };
    let message = match LISTED.get(index) {
        Some(&parser) => match parse::item(parser, body) {
            Ok(Some(row)) => {
                assert!(!row.name.is_empty() && !row.provider_id.is_empty());
                assert!(row.provider_id != "." && row.provider_id != "..");
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
    let Some(input) = input else { return };
    for s in strings_in(&input, 10) {
        assert!(!quotes(&message, &input, &s, failure), "the error quoted the input: {message}");
    }
});
