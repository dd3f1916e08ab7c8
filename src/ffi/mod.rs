//! The C ABI: a stable, panic-proof C interface over [`Verifier`](crate::Verifier).
//!
//! `include/albauth.h` is generated from this module by cbindgen (see `build.rs`), so the doc
//! comments on exported items are written for C readers. Conventions (after rustls-ffi):
//!
//! - Every exported function runs inside one boundary (`boundary.rs`) that catches panics
//!   (`ALBAUTH_PANIC`), turns NULL pointers into `ALBAUTH_NULL_ARGUMENT` and invalid UTF-8
//!   into `ALBAUTH_INVALID_ARGUMENT`.
//! - Fallible functions return an [`albauth_status`] and write their outputs only on success.
//! - Strings cross as [`albauth_str`] (pointer + length, UTF-8, not NUL-terminated); returned
//!   ones are borrowed from the handle they came from.
//!
//! All of the C ABI's `unsafe` code is in this module, and every block says why it is sound.
#![allow(non_camel_case_types)]

mod version;
pub use version::*;
mod status;
pub use status::*;
mod types;
pub use types::*;
mod verifier;
pub use verifier::*;
mod identity;
pub use identity::*;
mod provision;
pub use provision::*;
mod sync;
pub use sync::*;

mod boundary;
mod headers;
