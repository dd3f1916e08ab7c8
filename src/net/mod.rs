//! The networking foundation shared by the IdP connectors (and the key fetcher): one blocking
//! HTTP client on ureq with hard limits ([`http`]), bounded retries that honour the services'
//! throttling signals ([`retry`]), paging as an iterator ([`paging`]), cached OAuth tokens and
//! secrets that never print ([`oauth`]), and AWS SigV4 signing for Cognito ([`sigv4`]).
//!
//! Blocking on purpose: albauth runs inside a JVM; an async runtime there would be a second
//! thread pool to size, shut down and debug, for a few calls per login or sync page.

pub mod http;
pub mod oauth;
pub mod paging;
pub mod retry;
pub mod sigv4;

pub use http::{
    check_url, HttpClient, HttpConfig, Method, NetError, NetErrorKind, Request, Response,
    ResponseObserver,
};
pub use oauth::{Secret, TokenCache};
pub use paging::{Page, Pages, Paging};
pub use retry::{Clock, Retrier, RetryPolicy, Sleeper, Throttle};
