//! Any bytes as an error body, a Retry-After header or a Respan next link: one trimmed line of at
//! most 301 characters, waits capped at a day, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (line, wait) = keyward_core::providers::parse::error_body(&text);
    assert!(!line.contains('\n') && !line.contains('\r'));
    assert!(line.chars().count() <= 301);
    assert_eq!(line.trim(), line);
    assert!(wait.is_none_or(|w| w.as_secs() <= 86_400));
    if let Ok(Some(w)) = keyward_core::providers::parse::retry_after_header(data) {
        assert!(w.as_secs() <= 86_400);
    }
    let _ = keyward_core::providers::parse::respan_next_page(&text);
});
