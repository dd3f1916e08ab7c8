//! The networking layer's header parsers on hostile input: `Link` (RFC 8288, as Okta pages),
//! `Retry-After` (delta-seconds or HTTP-date), HTTP-dates and the server-wait choice between
//! `Retry-After` and Okta's `X-Rate-Limit-Reset`. Any bytes; split at NUL into several header
//! values. Nothing may panic, and the results must be self-consistent.
#![no_main]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use albauth::net::paging::{next_link, parse_link_header};
use albauth::net::retry::{parse_http_date, parse_retry_after, server_wait};
use albauth::net::Response;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let values: Vec<&str> = text.split('\0').collect();

    let links = parse_link_header(&values);
    if let Some(next) = next_link(&values) {
        assert!(links.iter().any(|l| l.target == next && l.has_rel("next")));
    }

    let now = UNIX_EPOCH + Duration::from_secs(1_796_226_349);
    for v in &values {
        if let Some(t) = parse_http_date(v) {
            assert!(t >= UNIX_EPOCH);
            assert!(parse_retry_after(v, now).is_some());
        }
        if let Some(d) = parse_retry_after(v, now) {
            let digits = !v.trim().is_empty() && v.trim().bytes().all(|b| b.is_ascii_digit());
            assert!(digits || parse_http_date(v).is_some());
            if !digits {
                assert!(now + d <= SystemTime::UNIX_EPOCH + Duration::from_secs(253_402_300_800));
            }
        }
    }

    let names = ["retry-after", "x-rate-limit-reset", "date", "link"];
    let resp = Response {
        status: 429,
        headers: values
            .iter()
            .enumerate()
            .map(|(i, v)| (names[i % names.len()].to_string(), v.to_string()))
            .collect(),
        body: Vec::new(),
    };
    let _ = server_wait(&resp, now);
});
