//! albauth: verify the identity headers an AWS Application Load Balancer adds after OIDC
//! login, and resolve the user, for Jira and Confluence Data Center.
//!
//! The core is plain Rust ([`Verifier`]); the C ABI (`ffi`) and the JNI glue (`java`) are thin
//! bridges over it. See README.md for the protocol, the configuration and the contracts.
#![deny(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

#[cfg(all(feature = "aws-lc", feature = "rust-crypto"))]
compile_error!("features `aws-lc` and `rust-crypto` are exclusive: use --no-default-features --features rust-crypto");
#[cfg(not(any(feature = "aws-lc", feature = "rust-crypto")))]
compile_error!("enable one signature backend: `aws-lc` (default) or `rust-crypto`");

mod access;
mod backend;
pub mod claims;
pub mod config;
mod error;
mod explain;
pub mod ffi;
#[doc(hidden)]
pub mod fuzzing;
mod identity;
mod java;
pub mod keys;
mod stats;
pub mod templates;
pub mod token;
mod token_cache;
mod verifier;

pub use config::Config;
pub use error::{Error, ErrorKind, Result};
pub use explain::{Explanation, Step};
pub use identity::{Identity, Outcome};
pub use stats::Stats;
pub use verifier::Verifier;

/// The largest `x-amzn-oidc-*` header value accepted (16 KiB), checked before any decoding.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

/// `"albauth <version>"`.
pub const VERSION: &str = concat!("albauth ", env!("CARGO_PKG_VERSION"));
