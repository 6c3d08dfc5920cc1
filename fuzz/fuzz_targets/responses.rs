//! Any bytes as a listed object of any kind (the first byte picks the parser) or a Barndoor list:
//! never a panic, no secret-named field in the cached details, no string of the input quoted back.
#![no_main]

use keyward_core::providers::parse::{self, Parser};
use keyward_core::providers::SECRET_FIELDS;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if s.chars().count() >= 10 => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(m) => m.iter().for_each(|(k, x)| {
            if k.chars().count() >= 10 {
                out.push(k.clone());
            }
            strings(x, out)
        }),
        _ => {}
    }
}

fn secret_field(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.iter().any(|(k, x)| SECRET_FIELDS.contains(&k.as_str()) || secret_field(x)),
        Value::Array(a) => a.iter().any(secret_field),
        _ => false,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else { return };
    let mut quoted = Vec::new();
    if let Ok(v) = serde_json::from_slice::<Value>(body) {
        strings(&v, &mut quoted);
    }
    let index = pick as usize % (Parser::ALL.len() + 1);
    let message = match Parser::ALL.get(index) {
        Some(&parser) => match parse::item(parser, body) {
            Ok(Some(row)) => {
                assert!(!row.name.is_empty() && !row.provider_id.is_empty());
                assert!(!row.provider_id.contains('/'));
                assert!(!secret_field(&row.details), "a secret-named field reached the details");
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
