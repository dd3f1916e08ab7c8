//! One listing page of each IdP connector (outside input: whatever the IdP's API, or
//! something posing as it, answers) through the connectors' page parsing: the item list at
//! the API's field, the next page (`@odata.nextLink`, `Link` headers, `nextPageToken`,
//! `PaginationToken`/`NextToken`, `first`/`max`), each item's mapping, and Cognito's error
//! envelope (`__type` JSON or `<Code>` XML).
//!
//! Input: one selector byte (connector = b % 5, page kind = (b / 5) % 3), then for Okta a
//! `Link` header value up to the first newline, then the body. Checks, for every input:
//! nothing panics; a mapped user has a non-empty IdP id and username; a next page stays on
//! the request's host; an error's text quotes no more than a field name.
#![no_main]

use albauth::directory::cognito::error_type;
use albauth::directory::connector::{parse_page, PageOf};
use albauth::directory::ConnectorKind;
use albauth::net::{Request, Response};
use libfuzzer_sys::fuzz_target;

const BASE: &str = "https://idp.example.com/api/list?first=0&max=100";

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let kind = ConnectorKind::ALL[(selector % 5) as usize];
    let what = PageOf::ALL[((selector / 5) % 3) as usize];
    let (headers, body) = match kind {
        ConnectorKind::Okta => {
            let cut = rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
            let link = String::from_utf8_lossy(&rest[..cut]).into_owned();
            let body = rest.get(cut + 1..).unwrap_or_default();
            (vec![("link".to_string(), link)], body)
        }
        _ => (Vec::new(), rest),
    };
    let request = match kind {
        ConnectorKind::Cognito => Request::post(BASE, "application/x-amz-json-1.1", "{}"),
        _ => Request::get(BASE),
    };
    let response = Response {
        status: 200,
        headers,
        body: body.to_vec(),
    };
    match parse_page(kind, what, &request, &response) {
        Ok(page) => {
            for u in &page.users {
                assert!(!u.idp_id.is_empty());
                assert!(!u.username.is_empty());
            }
            if let Some(next) = &page.next {
                assert!(on_request_host(next), "next page off the host");
            }
            assert!(page.users.len() + page.groups.len() <= page.items);
        }
        Err(e) => {
            // Field names are quoted at most 64 characters long; the text stays short.
            assert!(e.to_string().len() < 300, "a long error: {e}");
        }
    }
    if kind == ConnectorKind::Cognito {
        let error = Response {
            status: 400,
            headers: Vec::new(),
            body: body.to_vec(),
        };
        let _ = error_type(&error);
    }
});

/// Whether `url` is on `BASE`'s origin: scheme and host compare case-insensitively, as DNS and
/// URLs do, and `:443` is https's own port (a capitalised `Idp.example.com` is the same host).
fn on_request_host(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let authority = authority.to_ascii_lowercase();
    let host = authority.strip_suffix(":443").unwrap_or(&authority);
    scheme.eq_ignore_ascii_case("https") && host == "idp.example.com"
}
