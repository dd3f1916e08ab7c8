//! The one HTTP client every outbound call goes through: a timeout on every call, a body size
//! limit, no redirect to another host, and error responses kept whole (status, headers and
//! body), because the retry and paging layers need `Retry-After`, `X-Rate-Limit-Reset` and the
//! error JSON that ureq would otherwise drop.
//!
//! Errors ([`NetError`]) name the service's host and what went wrong, never a URL path or query
//! (they may hold a user's e-mail), a header value (an `Authorization` header) or a body.

use std::fmt;
use std::time::Duration;

use crate::error::{Error, Result};

/// What went wrong with a call, for callers that decide what to do next.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NetErrorKind {
    /// The URL is not an absolute `https` URL (or `http` to a loopback host).
    InvalidUrl,
    /// The host was not found or refused the connection.
    Connect,
    /// The call took longer than the client's timeout.
    Timeout,
    /// The response body is larger than the client's limit.
    TooLarge,
    /// A redirect (or a next-page link) pointed to another host, scheme or port.
    RedirectRefused,
    /// More same-host redirects than the client follows.
    TooManyRedirects,
    /// The service answered with a status the caller does not accept (the response is kept).
    HttpStatus,
    /// Retries stopped: the attempts or the total wait of the retry budget are spent.
    RetryBudgetExhausted,
    /// The response is not what the protocol promises (malformed JSON, a paging loop).
    BadResponse,
    /// A token endpoint refused to issue a token.
    Token,
    /// An I/O failure on an established connection (reset, closed early).
    Io,
    /// A TLS or HTTP protocol failure (a bad certificate, a malformed response): not retried.
    Protocol,
}

impl NetErrorKind {
    /// A stable snake_case name, e.g. `"redirect_refused"`.
    pub const fn code(self) -> &'static str {
        match self {
            NetErrorKind::InvalidUrl => "invalid_url",
            NetErrorKind::Connect => "connect",
            NetErrorKind::Timeout => "timeout",
            NetErrorKind::TooLarge => "too_large",
            NetErrorKind::RedirectRefused => "redirect_refused",
            NetErrorKind::TooManyRedirects => "too_many_redirects",
            NetErrorKind::HttpStatus => "http_status",
            NetErrorKind::RetryBudgetExhausted => "retry_budget_exhausted",
            NetErrorKind::BadResponse => "bad_response",
            NetErrorKind::Token => "token",
            NetErrorKind::Io => "io",
            NetErrorKind::Protocol => "protocol",
        }
    }

    /// Whether a retry may help (connect failures, timeouts, I/O errors).
    pub const fn is_transient(self) -> bool {
        matches!(
            self,
            NetErrorKind::Connect | NetErrorKind::Timeout | NetErrorKind::Io
        )
    }
}

impl fmt::Display for NetErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A failed call: its kind, the host it went to, a detail free of secrets and personal data,
/// and the last response when there was one (its body may hold the service's error JSON).
#[derive(Clone)]
pub struct NetError {
    kind: NetErrorKind,
    host: String,
    detail: String,
    response: Option<Box<Response>>,
}

impl NetError {
    /// An error of `kind` for a call to `host`. `detail` must hold no secret and no personal data.
    pub fn new(kind: NetErrorKind, host: impl Into<String>, detail: impl Into<String>) -> NetError {
        NetError {
            kind,
            host: host.into(),
            detail: detail.into(),
            response: None,
        }
    }

    /// An [`NetErrorKind::HttpStatus`] error keeping `response`.
    pub fn status(host: impl Into<String>, response: Response) -> NetError {
        let detail = format!("HTTP status {}", response.status);
        NetError::new(NetErrorKind::HttpStatus, host, detail).with_response(response)
    }

    /// This error, keeping `response` (for the caller to read the service's error body).
    pub fn with_response(mut self, response: Response) -> NetError {
        self.response = Some(Box::new(response));
        self
    }

    /// The kind.
    pub fn kind(&self) -> NetErrorKind {
        self.kind
    }

    /// The host the call went to (`host` or `host:port`), or `""` when the URL had none.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The detail (no secrets, no personal data).
    pub fn detail(&self) -> &str {
        &self.detail
    }

    /// The last response, for [`NetErrorKind::HttpStatus`] and an exhausted retry budget.
    pub fn response(&self) -> Option<&Response> {
        self.response.as_deref()
    }

    /// The last response's status, if any.
    pub fn http_status(&self) -> Option<u16> {
        self.response.as_ref().map(|r| r.status)
    }
}

impl fmt::Display for NetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.is_empty() {
            write!(f, "{}: {}", self.kind, self.detail)
        } else {
            write!(f, "{} ({}): {}", self.kind, self.host, self.detail)
        }
    }
}

impl fmt::Debug for NetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NetError")
            .field("kind", &self.kind)
            .field("host", &self.host)
            .field("detail", &self.detail)
            .field("status", &self.http_status())
            .finish()
    }
}

impl std::error::Error for NetError {}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
}

impl Method {
    /// `"GET"`, `"POST"`, ...
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// Header names whose values are never printed (`Debug` shows `***`).
const SECRET_HEADERS: [&str; 5] = [
    "authorization",
    "cookie",
    "x-amz-security-token",
    "x-api-key",
    "proxy-authorization",
];

/// A request: method, absolute URL, headers (in order, repeats allowed) and an optional body.
#[derive(Clone, PartialEq, Eq)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The absolute URL.
    pub url: String,
    /// Headers in the order sent; names as given (compared case-insensitively).
    pub headers: Vec<(String, String)>,
    /// The body, if any.
    pub body: Option<Vec<u8>>,
}

impl Request {
    /// A request without headers or body.
    pub fn new(method: Method, url: impl Into<String>) -> Request {
        Request {
            method,
            url: url.into(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// `GET url`.
    pub fn get(url: impl Into<String>) -> Request {
        Request::new(Method::Get, url)
    }

    /// `POST url` with `body` of `content_type`.
    pub fn post(url: impl Into<String>, content_type: &str, body: impl Into<Vec<u8>>) -> Request {
        Request::new(Method::Post, url)
            .header("content-type", content_type)
            .body(body)
    }

    /// Adds a header (keeping any earlier one of the same name).
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Request {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    /// Sets `name`, replacing every earlier header of that name.
    pub fn set_header(&mut self, name: &str, value: impl Into<String>) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_string(), value.into()));
    }

    /// The first value of header `name`.
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Request {
        self.body = Some(body.into());
        self
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                let secret = SECRET_HEADERS.iter().any(|s| n.eq_ignore_ascii_case(s));
                (n.as_str(), if secret { "***" } else { v.as_str() })
            })
            .collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("host", &origin_of(&self.url).map(|o| o.host_port()))
            .field("headers", &headers)
            .field("body_bytes", &self.body.as_ref().map(Vec::len))
            .finish()
    }
}

/// A response of any status: status, headers (lower-case names, in order, repeats kept) and
/// the body (at most the client's limit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Headers, names lower-cased; a header sent twice appears twice.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of header `name`, in order.
    pub fn headers_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// 200 to 299.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as JSON.
    pub fn json(&self) -> std::result::Result<serde_json::Value, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }
}

/// The client's limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpConfig {
    /// The whole call (connect, send, response, body) must finish within this.
    pub timeout: Duration,
    /// Responses larger than this are refused ([`NetErrorKind::TooLarge`]).
    pub max_body_bytes: usize,
    /// Same-host redirects followed before [`NetErrorKind::TooManyRedirects`]; redirects to
    /// another host are always refused.
    pub max_redirects: u8,
}

impl Default for HttpConfig {
    /// 10 s per call, 8 MiB bodies, 3 same-host redirects.
    fn default() -> HttpConfig {
        HttpConfig {
            timeout: Duration::from_secs(10),
            max_body_bytes: 8 * 1024 * 1024,
            max_redirects: 3,
        }
    }
}

/// A blocking HTTP client over ureq with the limits of [`HttpConfig`]. Cheap to clone (the
/// connection pool is shared).
#[derive(Clone)]
pub struct HttpClient {
    agent: ureq::Agent,
    config: HttpConfig,
    observer: Option<ResponseObserver>,
}

/// Called with every response [`HttpClient::send`] returns (after redirects): what a command
/// line's progress display counts. It sees the status only, never a body or header.
pub type ResponseObserver = std::sync::Arc<dyn Fn(u16) + Send + Sync>;

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("config", &self.config)
            .finish()
    }
}

impl HttpClient {
    /// A client with these limits.
    pub fn new(config: HttpConfig) -> HttpClient {
        let agent = ureq::config::Config::builder()
            .timeout_connect(Some(config.timeout))
            .timeout_global(Some(config.timeout))
            // Redirects are followed here, after the same-host check, never by ureq.
            .max_redirects(0)
            // 4xx/5xx are responses: their headers and bodies drive retries and error reports.
            .http_status_as_error(false)
            .user_agent(crate::VERSION)
            .build()
            .new_agent();
        HttpClient {
            agent,
            config,
            observer: None,
        }
    }

    /// This client, calling `observer` with the status of every response it returns.
    pub fn with_observer(mut self, observer: ResponseObserver) -> HttpClient {
        self.observer = Some(observer);
        self
    }

    /// The limits.
    pub fn config(&self) -> HttpConfig {
        self.config
    }

    /// Sends `req`. Any status is `Ok`; same-host redirects are followed (a 303, or a 301/302
    /// to a POST, becomes a GET without body), others refused.
    pub fn send(&self, req: &Request) -> std::result::Result<Response, NetError> {
        let mut origin = checked_origin(&req.url)?;
        let mut current = req.clone();
        let mut redirects = 0u8;
        loop {
            let resp = self.send_once(&current, &origin)?;
            let location = match resp.status {
                301 | 302 | 303 | 307 | 308 => resp.header("location"),
                _ => None,
            };
            let Some(location) = location else {
                if let Some(observe) = &self.observer {
                    observe(resp.status);
                }
                return Ok(resp);
            };
            let target = resolve(&current.url, location).ok_or_else(|| {
                NetError::new(
                    NetErrorKind::RedirectRefused,
                    origin.host_port(),
                    "redirect to an unusable location",
                )
            })?;
            let to = origin_of(&target);
            if to.as_ref() != Some(&origin) {
                return Err(NetError::new(
                    NetErrorKind::RedirectRefused,
                    origin.host_port(),
                    "redirect to another host refused",
                ));
            }
            if redirects >= self.config.max_redirects {
                return Err(NetError::new(
                    NetErrorKind::TooManyRedirects,
                    origin.host_port(),
                    format!("more than {} redirects", self.config.max_redirects),
                ));
            }
            redirects += 1;
            if resp.status == 303 || (current.method == Method::Post && resp.status <= 302) {
                current.method = Method::Get;
                current.body = None;
                current
                    .headers
                    .retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
            }
            current.url = target;
            origin = to.expect("checked above");
        }
    }

    fn send_once(&self, req: &Request, origin: &Origin) -> std::result::Result<Response, NetError> {
        let host = origin.host_port();
        let mut builder = ureq::http::Request::builder()
            .method(req.method.as_str())
            .uri(req.url.as_str());
        for (n, v) in &req.headers {
            builder = builder.header(n.as_str(), v.as_str());
        }
        let result = match &req.body {
            Some(body) => builder.body(body.as_slice()).map(|r| self.agent.run(r)),
            None => builder
                .body(ureq::SendBody::none())
                .map(|r| self.agent.run(r)),
        };
        let mut resp = result
            .map_err(|_| NetError::new(NetErrorKind::InvalidUrl, &host, "request not valid"))?
            .map_err(|e| from_ureq(e, &host))?;
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = resp
            .body_mut()
            .with_config()
            .limit(self.config.max_body_bytes as u64)
            .read_to_vec()
            .map_err(|e| from_ureq(e, &host))?;
        Ok(Response {
            status,
            headers,
            body,
        })
    }
}

/// Maps a ureq error without its text where that could hold a URL.
fn from_ureq(e: ureq::Error, host: &str) -> NetError {
    let (kind, detail) = match e {
        ureq::Error::Timeout(t) => (NetErrorKind::Timeout, format!("timed out ({t})")),
        ureq::Error::BodyExceedsLimit(n) => (
            NetErrorKind::TooLarge,
            format!("response larger than {n} bytes"),
        ),
        ureq::Error::HostNotFound => (NetErrorKind::Connect, "host not found".to_string()),
        ureq::Error::ConnectionFailed => (NetErrorKind::Connect, "connection failed".to_string()),
        ureq::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => {
                (NetErrorKind::Connect, "connection refused".to_string())
            }
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
                (NetErrorKind::Timeout, "timed out".to_string())
            }
            k => (NetErrorKind::Io, format!("I/O error: {k}")),
        },
        ureq::Error::BadUri(_) | ureq::Error::Http(_) => {
            (NetErrorKind::InvalidUrl, "URL not valid".to_string())
        }
        ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed => (
            NetErrorKind::RedirectRefused,
            "redirect refused".to_string(),
        ),
        // TLS failures name the certificate problem (no request data in them).
        e @ (ureq::Error::Tls(_) | ureq::Error::Rustls(_)) => {
            (NetErrorKind::Protocol, format!("TLS error: {e}"))
        }
        // Protocol errors may quote a header or the response (a token, a Location with an
        // e-mail): named by kind only.
        ureq::Error::Protocol(_) => (NetErrorKind::Protocol, "HTTP protocol error".to_string()),
        ureq::Error::LargeResponseHeader(..) => (
            NetErrorKind::Protocol,
            "response headers too large".to_string(),
        ),
        _ => (NetErrorKind::Protocol, "request failed".to_string()),
    };
    NetError::new(kind, host, detail)
}

/// Scheme, host and port of a URL: what "the same host" means for redirects and page links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Origin {
    https: bool,
    host: String,
    port: u16,
}

impl Origin {
    /// `host` or `host:port` when the port is not the scheme's default.
    pub(crate) fn host_port(&self) -> String {
        let default = if self.https { 443 } else { 80 };
        if self.port == default {
            self.host.clone()
        } else if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// The origin of an absolute `http`/`https` URL without userinfo.
pub(crate) fn origin_of(url: &str) -> Option<Origin> {
    let uri: ureq::http::Uri = url.parse().ok()?;
    let https = match uri.scheme_str()? {
        s if s.eq_ignore_ascii_case("https") => true,
        s if s.eq_ignore_ascii_case("http") => false,
        _ => return None,
    };
    let authority = uri.authority()?;
    if authority.as_str().contains('@') {
        return None;
    }
    let host = authority
        .host()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    if host.is_empty() {
        return None;
    }
    let port = authority.port_u16().unwrap_or(if https { 443 } else { 80 });
    Some(Origin { https, host, port })
}

/// The origin of `url`, refusing URLs that are not `https` (or `http` to loopback).
fn checked_origin(url: &str) -> std::result::Result<Origin, NetError> {
    let origin = origin_of(url).ok_or_else(|| {
        NetError::new(NetErrorKind::InvalidUrl, "", "not an absolute http(s) URL")
    })?;
    if !origin.https && !crate::config::url::is_loopback(&origin.host) {
        return Err(NetError::new(
            NetErrorKind::InvalidUrl,
            origin.host_port(),
            "https is required (http only for loopback hosts)",
        ));
    }
    Ok(origin)
}

/// Resolves a `Location` (or a next-page link) against the URL it came from: absolute URLs,
/// `//host` references, absolute paths and relative paths.
pub(crate) fn resolve(base: &str, location: &str) -> Option<String> {
    let location = location.trim();
    if location.is_empty() {
        return None;
    }
    if location.contains("://") {
        return Some(location.to_string());
    }
    let (scheme, rest) = base.split_once("://")?;
    if let Some(net_path) = location.strip_prefix("//") {
        return Some(format!("{scheme}://{net_path}"));
    }
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    if location.starts_with('/') {
        return Some(format!("{scheme}://{authority}{location}"));
    }
    let path = &rest[authority_end..];
    let path = &path[..path.find(['?', '#']).unwrap_or(path.len())];
    if location.starts_with('?') {
        return Some(format!("{scheme}://{authority}{path}{location}"));
    }
    let dir = &path[..path.rfind('/').map(|i| i + 1).unwrap_or(0)];
    let dir = if dir.is_empty() { "/" } else { dir };
    Some(format!("{scheme}://{authority}{dir}{location}"))
}

/// Checks a configured service URL: absolute, `https` (`http` only for loopback hosts, for
/// tests and local emulators), a host, no userinfo or fragment. The error names `field`.
pub fn check_url(field: &str, url: &str) -> Result<()> {
    crate::config::url::check_url_template(url, field, false)?;
    if origin_of(url).is_none() {
        return Err(Error::config(format!("`{field}`: not a valid URL")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_url_allows_https_and_loopback_http_only() {
        assert!(check_url("graph_url", "https://graph.microsoft.com").is_ok());
        assert!(check_url("graph_url", "http://127.0.0.1:8080/x").is_ok());
        assert!(check_url("graph_url", "http://localhost:1").is_ok());
        assert!(check_url("graph_url", "http://[::1]:1/").is_ok());
        for bad in [
            "http://graph.microsoft.com",
            "ftp://x.example",
            "graph.microsoft.com",
            "https://user:pw@x.example/",
            "https://x.example/#frag",
            "https:///path",
        ] {
            let e = check_url("graph_url", bad).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::ConfigInvalid, "{bad}");
            assert!(e.to_string().contains("`graph_url`"), "{e}");
        }
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        let a = origin_of("https://Example.COM/a").unwrap();
        assert_eq!(a, origin_of("https://example.com:443/b?c").unwrap());
        assert_ne!(a, origin_of("http://example.com/a").unwrap());
        assert_ne!(a, origin_of("https://example.com:8443/a").unwrap());
        assert_ne!(a, origin_of("https://evil.example/a").unwrap());
        assert_eq!(origin_of("https://u:p@example.com/"), None);
        assert_eq!(a.host_port(), "example.com");
        assert_eq!(
            origin_of("http://127.0.0.1:99/").unwrap().host_port(),
            "127.0.0.1:99"
        );
    }

    #[test]
    fn resolves_locations() {
        let b = "https://h.example:8443/a/b?q=1";
        assert_eq!(
            resolve(b, "https://o.example/x").unwrap(),
            "https://o.example/x"
        );
        assert_eq!(resolve(b, "//o.example/x").unwrap(), "https://o.example/x");
        assert_eq!(resolve(b, "/x?y").unwrap(), "https://h.example:8443/x?y");
        assert_eq!(resolve(b, "c").unwrap(), "https://h.example:8443/a/c");
        assert_eq!(
            resolve(b, "?p=2").unwrap(),
            "https://h.example:8443/a/b?p=2"
        );
        assert_eq!(
            resolve("https://h.example", "c").unwrap(),
            "https://h.example/c"
        );
        assert_eq!(resolve(b, "  "), None);
    }

    #[test]
    fn request_debug_hides_secret_headers_and_paths() {
        let r = Request::get("https://h.example/users/alice@example.com?x=1")
            .header("Authorization", "Bearer sekrit")
            .header("X-Amz-Security-Token", "tok")
            .header("Accept", "application/json");
        let d = format!("{r:?}");
        assert!(
            !d.contains("sekrit") && !d.contains("tok\"") && !d.contains("alice"),
            "{d}"
        );
        assert!(
            d.contains("application/json") && d.contains("h.example"),
            "{d}"
        );
    }

    #[test]
    fn http_to_a_remote_host_is_refused_before_any_connection() {
        let c = HttpClient::new(HttpConfig::default());
        let e = c.send(&Request::get("http://example.com/")).unwrap_err();
        assert_eq!(e.kind(), NetErrorKind::InvalidUrl);
        let e = c.send(&Request::get("not a url")).unwrap_err();
        assert_eq!(e.kind(), NetErrorKind::InvalidUrl);
    }
}
