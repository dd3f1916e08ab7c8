//! Token split and decode: `split`, `decode_segment`, `decode_signature`, `AlbHeader::parse`,
//! `parse_claims` and `is_uuid` on any text. Besides "never panics", checks the canonical
//! encoding rule: a segment that decodes is exactly the encoding of what it decodes to, so one
//! byte string has one accepted spelling.
#![no_main]

use albauth::token::{self, AlbHeader, B64URL};
use base64::Engine;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = AlbHeader::parse(data);
    let _ = token::parse_claims(data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = token::is_uuid(text);
    check_canonical(text);
    let Ok(parts) = token::split(text) else {
        return;
    };
    let signed_len = parts.header.len() + 1 + parts.payload.len();
    assert_eq!(parts.signing_input, &text.as_bytes()[..signed_len]);
    assert_eq!(&text[signed_len + 1..], parts.signature);
    for seg in [parts.header, parts.payload, parts.signature] {
        check_canonical(seg);
    }
    if let Ok(h) = token::decode_segment(parts.header) {
        let _ = AlbHeader::parse(&h);
    }
    if let Ok(p) = token::decode_segment(parts.payload) {
        let _ = token::parse_claims(&p);
    }
    if let Ok(sig) = token::decode_signature(parts.signature) {
        assert_eq!(B64URL.encode(sig), parts.signature.trim_end_matches('='));
    }
});

/// If `seg` decodes, it is the canonical encoding of its bytes (padded or not).
fn check_canonical(seg: &str) {
    let Ok(bytes) = token::decode_segment(seg) else {
        return;
    };
    let padded = albauth_fuzz::b64(&bytes, true);
    let unpadded = albauth_fuzz::b64(&bytes, false);
    assert!(
        seg == padded || seg == unpadded,
        "non-canonical segment accepted"
    );
}
