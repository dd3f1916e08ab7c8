//! Username transforms with fuzzed regexes, replacements and usernames.
//!
//! Input text: `regex \n replacement \n username`. The regex is compiled with the verifier's
//! size limits (`Transform::compile`), then every transform is applied to the username; the
//! regex engine is linear in the input, so no input may hang (libFuzzer's -timeout catches it).
#![no_main]

use albauth::claims::{apply_transforms, strip_domain, Transform};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\n');
    let (pattern, replace, username) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );

    let stripped = strip_domain(username);
    assert!(username.contains(stripped));
    assert!(!stripped.contains('\\'));
    let _ = Transform::Lowercase.apply(username);

    let Ok(regex) = Transform::compile(pattern) else {
        assert!(Transform::from_json(&json!({"regex": pattern, "replace": replace})).is_err());
        return;
    };
    let t = Transform::Regex {
        regex,
        replace: replace.to_string(),
    };
    let once = t.apply(username);
    let from_json = Transform::from_json(&json!({"regex": pattern, "replace": replace}))
        .expect("compiles as above");
    assert_eq!(from_json.apply(username), once);
    let _ = apply_transforms(&[Transform::StripDomain, t, Transform::Lowercase], username);
});
