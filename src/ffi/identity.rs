//! The identity handle: one verified user, read through borrowed strings.
//!
//! An `albauth_identity*` is an `Arc<Identity>` turned into a raw pointer: returning one
//! costs a reference count, not an allocation, and it stays valid after its verifier is
//! freed or its token leaves the cache.

use super::boundary::guard;
use super::types::albauth_str;
use crate::bridge::{borrow, release, ArcHandle};
use crate::verify::Identity;

/// A verified user, returned by albauth_verify(). Opaque and immutable: any number of
/// threads may read one at once. The caller owns it and releases it with
/// albauth_identity_free() exactly once; every albauth_str read from it is valid until then.
/// It does not depend on its verifier, which may be freed first.
pub struct albauth_identity {
    _private: [u8; 0],
}

impl ArcHandle for albauth_identity {
    type Target = Identity;
}

/// # Safety
/// `id` must be NULL or a live identity from `albauth_verify`.
unsafe fn read<'a, R>(
    id: *const albauth_identity,
    fallback: R,
    f: impl FnOnce(&'a Identity) -> R,
) -> R
where
    R: Copy,
{
    guard(fallback, || {
        // SAFETY: a non-NULL `id` came from albauth_verify and the caller keeps it alive (not
        // freed) for as long as it uses what is read from it.
        match unsafe { borrow(id) } {
            Some(identity) => f(identity),
            None => fallback,
        }
    })
}

/// The username (after username_transforms): what the host application logs in.
/// Never empty for a live identity; `{NULL, 0}` if `id` is NULL.
///
/// # Safety
/// `id` must be NULL or a live identity.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn albauth_identity_username(id: *const albauth_identity) -> albauth_str {
    // SAFETY: forwarded contract.
    unsafe { read(id, albauth_str::NULL, |i| albauth_str::new(i.username())) }
}

/// The display name claim; `{NULL, 0}` when the token has none, or `id` is NULL.
///
/// # Safety
/// `id` must be NULL or a live identity.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn albauth_identity_display_name(id: *const albauth_identity) -> albauth_str {
    // SAFETY: forwarded contract.
    unsafe {
        read(id, albauth_str::NULL, |i| {
            albauth_str::from_opt(i.display_name())
        })
    }
}

/// The e-mail claim; `{NULL, 0}` when the token has none, or `id` is NULL.
///
/// # Safety
/// `id` must be NULL or a live identity.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn albauth_identity_email(id: *const albauth_identity) -> albauth_str {
    // SAFETY: forwarded contract.
    unsafe { read(id, albauth_str::NULL, |i| albauth_str::from_opt(i.email())) }
}

/// The verified `sub` of the ALB token (the IdP's stable user id); `{NULL, 0}` if `id` is
/// NULL.
///
/// # Safety
/// `id` must be NULL or a live identity.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn albauth_identity_sub(id: *const albauth_identity) -> albauth_str {
    // SAFETY: forwarded contract.
    unsafe { read(id, albauth_str::NULL, |i| albauth_str::new(i.sub())) }
}

/// The verified issuer (`iss`); `{NULL, 0}` when absent, or `id` is NULL.
///
/// # Safety
/// `id` must be NULL or a live identity.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn albauth_identity_issuer(id: *const albauth_identity) -> albauth_str {
    // SAFETY: forwarded contract.
    unsafe { read(id, albauth_str::NULL, |i| albauth_str::from_opt(i.issuer())) }
}

/// How many groups the groups claim holds (0 when groups_claim is not configured, the
/// claim is absent, or `id` is NULL).
///
/// # Safety
/// `id` must be NULL or a live identity.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn albauth_identity_group_count(id: *const albauth_identity) -> usize {
    // SAFETY: forwarded contract.
    unsafe { read(id, 0, |i| i.groups().len()) }
}

/// Group number `index` (0-based); `{NULL, 0}` when `index` is out of range or `id` is
/// NULL.
///
/// # Safety
/// `id` must be NULL or a live identity.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn albauth_identity_group(
    id: *const albauth_identity,
    index: usize,
) -> albauth_str {
    // SAFETY: forwarded contract.
    unsafe {
        read(id, albauth_str::NULL, |i| {
            albauth_str::from_opt(i.groups().get(index).map(String::as_str))
        })
    }
}

/// Every claim of the token the username was read from, as compact JSON (an object);
/// `{NULL, 0}` if `id` is NULL. Claims are personal data: do not log them.
///
/// # Safety
/// `id` must be NULL or a live identity.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn albauth_identity_claims_json(id: *const albauth_identity) -> albauth_str {
    // SAFETY: forwarded contract.
    unsafe { read(id, albauth_str::NULL, |i| albauth_str::new(i.claims_json())) }
}

/// Unix time (seconds) after which, plus the clock skew, the token is no longer valid: a
/// session built on this identity should not outlive it. 0 if `id` is NULL.
///
/// # Safety
/// `id` must be NULL or a live identity.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn albauth_identity_expires_at(id: *const albauth_identity) -> i64 {
    // SAFETY: forwarded contract.
    unsafe { read(id, 0, |i| i.expires_at()) }
}

/// Releases an identity. NULL is a no-op. Strings read from it are invalid afterwards.
///
/// # Safety
/// `id` must be NULL or a live identity from albauth_verify(), not freed before and not
/// being read by another thread.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn albauth_identity_free(id: *mut albauth_identity) {
    // SAFETY: `id` is NULL or came from albauth_verify, and is released once (contract).
    guard((), || unsafe { release(id.cast_const()) })
}
