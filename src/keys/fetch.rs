//! Fetching key and JWKS endpoints: the [`Fetcher`] seam and the crate's fetcher, an adapter
//! over the shared [`net::http`](crate::net::http) client with hard limits (a timeout on the
//! whole call, no redirects, a response size cap).

use std::time::Duration;

use crate::net::http::{HttpClient, HttpConfig, NetErrorKind, Request};

/// Fetches a URL's body. The crate's own is [`HttpFetcher`]; tests and embedders may supply
/// another.
pub trait Fetcher: Send + Sync {
    /// GET `url`; the body, or why not (no personal data).
    fn get(&self, url: &str) -> std::result::Result<Vec<u8>, String>;
}

/// GETs over [`HttpClient`]: every call times out, no redirect is followed (a key endpoint
/// that redirects is misconfigured), bodies are capped, and any status but 2xx is an error.
pub struct HttpFetcher {
    client: HttpClient,
}

impl HttpFetcher {
    /// A fetcher whose every call times out after `timeout` and reads at most `max_bytes`.
    pub fn new(timeout: Duration, max_bytes: usize) -> HttpFetcher {
        HttpFetcher {
            client: HttpClient::new(HttpConfig {
                timeout,
                max_body_bytes: max_bytes,
                max_redirects: 0,
            }),
        }
    }
}

impl Fetcher for HttpFetcher {
    fn get(&self, url: &str) -> std::result::Result<Vec<u8>, String> {
        let resp = self
            .client
            .send(&Request::get(url))
            .map_err(|e| match e.kind() {
                NetErrorKind::Timeout => "timed out".to_string(),
                NetErrorKind::TooManyRedirects | NetErrorKind::RedirectRefused => {
                    "redirect refused".to_string()
                }
                _ => e.detail().to_string(),
            })?;
        if !resp.is_success() {
            return Err(format!("HTTP status {}", resp.status));
        }
        Ok(resp.body)
    }
}
