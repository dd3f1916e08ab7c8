//! Fetching key and JWKS endpoints: the [`Fetcher`] seam and the crate's HTTP client with
//! hard limits (timeouts, no redirects, a response size cap).

use std::time::Duration;

/// Fetches a URL's body. The crate's own is [`HttpFetcher`]; tests and embedders may supply
/// another.
pub trait Fetcher: Send + Sync {
    /// GET `url`; the body, or why not (no personal data).
    fn get(&self, url: &str) -> std::result::Result<Vec<u8>, String>;
}

/// ureq with connect/read timeouts, no redirects and a response size cap.
pub struct HttpFetcher {
    agent: ureq::Agent,
    max_bytes: u64,
}

impl HttpFetcher {
    /// A fetcher whose every phase times out after `timeout` and reads at most `max_bytes`.
    pub fn new(timeout: Duration, max_bytes: usize) -> HttpFetcher {
        let agent = ureq::config::Config::builder()
            .timeout_connect(Some(timeout))
            .timeout_recv_response(Some(timeout))
            .timeout_recv_body(Some(timeout))
            .timeout_global(Some(timeout * 2))
            .max_redirects(0)
            .http_status_as_error(true)
            .user_agent(crate::VERSION)
            .build()
            .new_agent();
        HttpFetcher {
            agent,
            max_bytes: max_bytes as u64,
        }
    }
}

impl Fetcher for HttpFetcher {
    fn get(&self, url: &str) -> std::result::Result<Vec<u8>, String> {
        let mut resp = self.agent.get(url).call().map_err(describe_ureq)?;
        resp.body_mut()
            .with_config()
            .limit(self.max_bytes)
            .read_to_vec()
            .map_err(describe_ureq)
    }
}

fn describe_ureq(e: ureq::Error) -> String {
    match e {
        ureq::Error::StatusCode(c) => format!("HTTP status {c}"),
        ureq::Error::Timeout(_) => "timed out".to_string(),
        ureq::Error::BodyExceedsLimit(n) => format!("response larger than {n} bytes"),
        ureq::Error::Io(io) => format!("I/O error: {}", io.kind()),
        ureq::Error::ConnectionFailed => "connection failed".to_string(),
        ureq::Error::HostNotFound => "host not found".to_string(),
        other => format!("request failed: {other}"),
    }
}
