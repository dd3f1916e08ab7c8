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

// Grouped by stage: `config` (reader, ARNs, URL rules, templates) feeds `keys` (ALB keys,
// JWKS, signature backends) and `verify` (headers, token, checks, claims, identity, explain,
// token cache); `ffi` and `java` are the bridges. Later stages (`net`, `provision`,
// `directory`, `sync`) sit beside them.
mod bridge;
pub mod config;
pub mod directory;
mod error;
pub mod ffi;
#[doc(hidden)]
pub mod fuzzing;
mod java;
pub mod keys;
pub mod net;
pub mod provision;
mod stats;
pub mod sync;
pub mod verify;

pub use config::templates;
pub use config::Config;
pub use error::{Error, ErrorKind, Result};
pub use stats::Stats;
pub use verify::{claims, token};
pub use verify::{Explanation, Identity, Outcome, Step, Verifier};

/// The largest `x-amzn-oidc-*` header value accepted (16 KiB), checked before any decoding.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

/// `"albauth <version>"`.
pub const VERSION: &str = concat!("albauth ", env!("CARGO_PKG_VERSION"));
