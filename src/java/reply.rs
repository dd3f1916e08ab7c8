//! The one wire format of every native reply, read by `io.albauth.WireReader` in Java.
//!
//! ```text
//! tag      u8       1 = answered; never 0, so a zeroed Java buffer reads as "no answer"
//! status   i32 BE   the C ABI's albauth_status number (ALBAUTH_OK = 0, ...)
//! length   i32 BE   the payload's byte length, so Java can bounds-check a reply that sits in a
//!                   larger buffer
//! payload  items:   int = i32 BE; long = i64 BE; string = i32 BE byte length (-1: null), UTF-8
//! ```
//!
//! The status numbers are not copied here: they are [`albauth_status`], and Java learns them,
//! with their names, from [`status_table`].

use crate::bridge::status_of;
use crate::ffi::albauth_status::{self, ALBAUTH_OK};
use crate::verify::Outcome;

/// The first byte of every reply.
pub(super) const ANSWERED: u8 = 1;
/// Tag, status and payload length.
const HEADER: usize = 9;

/// A reply being written: [`Reply::new`], the payload items, then [`Reply::finish`].
pub(super) struct Reply(Vec<u8>);

impl Reply {
    pub(super) fn new(status: albauth_status, payload_hint: usize) -> Reply {
        let mut out = Vec::with_capacity(HEADER + payload_hint);
        out.push(ANSWERED);
        out.extend_from_slice(&(status as i32).to_be_bytes());
        out.extend_from_slice(&[0; 4]); // the length, set by finish()
        Reply(out)
    }

    pub(super) fn int(&mut self, v: i32) -> &mut Reply {
        self.0.extend_from_slice(&v.to_be_bytes());
        self
    }

    pub(super) fn long(&mut self, v: i64) -> &mut Reply {
        self.0.extend_from_slice(&v.to_be_bytes());
        self
    }

    pub(super) fn string(&mut self, s: Option<&str>) -> &mut Reply {
        match s {
            None => self.int(-1),
            Some(s) => {
                self.int(length(s.len()));
                self.0.extend_from_slice(s.as_bytes());
                self
            }
        }
    }

    /// Bytes that are themselves a reply (an explanation carries its decision's): length, then
    /// the bytes as they are.
    pub(super) fn blob(&mut self, bytes: &[u8]) -> &mut Reply {
        self.int(length(bytes.len()));
        self.0.extend_from_slice(bytes);
        self
    }

    pub(super) fn finish(&mut self) -> Vec<u8> {
        let payload = length(self.0.len() - HEADER);
        self.0[5..HEADER].copy_from_slice(&payload.to_be_bytes());
        std::mem::take(&mut self.0)
    }
}

/// A length as the wire's `i32`. Every string here is bounded (headers by 16 KiB), so a
/// larger one is a bug: panicking, caught at the boundary, fails closed.
pub(super) fn length(n: usize) -> i32 {
    i32::try_from(n).expect("albauth: reply item longer than i32::MAX")
}

/// A verify call's reply: the outcome's status ([`status_of`]), then for `ok` the username,
/// display name, e-mail, sub and claims JSON as strings, a count, and that many groups; for a
/// rejection its detail; for `anonymous` nothing. After the groups, the login's provisioning
/// key ([`Identity::login_key`]; null when provisioning is off), so the host decides whether to
/// provision without a second native call per request. Decoded by `Decision.decode` in Java.
pub(super) fn encode(outcome: &Outcome) -> Vec<u8> {
    let status = status_of(outcome);
    match outcome {
        Outcome::Anonymous => Reply::new(status, 0).finish(),
        Outcome::Rejected(e) => failure(status, e.detail()),
        Outcome::Authenticated(id) => {
            let mut r = Reply::new(status, 64 + id.claims_json().len());
            r.string(Some(id.username()))
                .string(id.display_name())
                .string(id.email())
                .string(Some(id.sub()))
                .string(Some(id.claims_json()));
            let groups = id.groups();
            r.int(length(groups.len()));
            for g in groups {
                r.string(Some(g));
            }
            r.string(id.login_key());
            r.finish()
        }
    }
}

/// A failed call's reply: its status and detail (never a token or personal data).
pub(super) fn failure(status: albauth_status, detail: &str) -> Vec<u8> {
    Reply::new(status, 4 + detail.len())
        .string(Some(detail))
        .finish()
}

/// A new verifier handle, as `create` returns it.
pub(super) fn handle(handle: i64) -> Vec<u8> {
    Reply::new(ALBAUTH_OK, 8).long(handle).finish()
}

/// Every status the bridge can return, for `io.albauth.Status`: a count, then per status its
/// number, its name (the C status name, e.g. "expired") and its class, from the C ABI's ranges:
/// 0 = the request was handled (0-99), 1 = the request or configuration was refused (100-199),
/// 2 = the call itself failed (200-299).
pub(super) fn status_table() -> Vec<u8> {
    let all = albauth_status::ALL;
    let mut r = Reply::new(ALBAUTH_OK, all.len() * 24);
    r.int(length(all.len()));
    for s in all {
        let name = s.name().to_str().expect("status names are ASCII");
        let class = match s as u32 {
            0..=99 => 0,
            100..=199 => 1,
            _ => 2,
        };
        r.int(s as i32).string(Some(name)).int(class);
    }
    r.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::albauth_status::*;
    use crate::verify::Identity;
    use crate::{Error, ErrorKind};
    use std::sync::Arc;

    fn header(status: i32, payload: usize) -> Vec<u8> {
        let mut v = vec![ANSWERED];
        v.extend_from_slice(&status.to_be_bytes());
        v.extend_from_slice(&(payload as i32).to_be_bytes());
        v
    }

    #[test]
    fn anonymous_is_the_header_with_an_empty_payload() {
        assert_eq!(encode(&Outcome::Anonymous), header(1, 0));
    }

    #[test]
    fn rejection_carries_the_c_status_number_and_the_detail() {
        let e = Error::new(ErrorKind::Expired, "token expired");
        let mut want = header(ALBAUTH_EXPIRED as i32, 17);
        want.extend_from_slice(&[0, 0, 0, 13]);
        want.extend_from_slice(b"token expired");
        assert_eq!(encode(&Outcome::Rejected(e)), want);
        assert_eq!(ALBAUTH_EXPIRED as i32, 106);
    }

    #[test]
    fn identity_encodes_every_field_in_order_with_null_as_minus_one() {
        let id = Identity {
            username: "al".into(),
            display_name: None,
            email: Some("é".into()),
            groups: vec!["g".into()],
            sub: "s".into(),
            issuer: None,
            claims: serde_json::Map::new(),
            claims_json: "{}".into(),
            expires_at: 0,
            login_key: Some("k".into()),
        };
        let mut payload = vec![0, 0, 0, 2, b'a', b'l'];
        payload.extend_from_slice(&[0xff, 0xff, 0xff, 0xff]);
        payload.extend_from_slice(&[0, 0, 0, 2, 0xc3, 0xa9]);
        payload.extend_from_slice(&[0, 0, 0, 1, b's']);
        payload.extend_from_slice(&[0, 0, 0, 2, b'{', b'}']);
        payload.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 1, b'g']);
        payload.extend_from_slice(&[0, 0, 0, 1, b'k']);
        let mut want = header(0, payload.len());
        want.extend_from_slice(&payload);
        assert_eq!(encode(&Outcome::Authenticated(Arc::new(id))), want);
    }

    #[test]
    fn a_reply_never_starts_with_zero() {
        let replies = [
            encode(&Outcome::Anonymous),
            failure(ALBAUTH_PANIC, ""),
            handle(0),
            status_table(),
        ];
        for r in replies {
            assert_eq!(r[0], ANSWERED);
        }
    }

    #[test]
    fn handle_is_ok_and_a_big_endian_long() {
        let mut want = header(0, 8);
        want.extend_from_slice(&0x0102_0304_0506_0708i64.to_be_bytes());
        assert_eq!(handle(0x0102_0304_0506_0708), want);
    }

    /// Reads the table back the way `io.albauth.Status` does.
    fn read_table(r: &[u8]) -> Vec<(i32, String, i32)> {
        let int = |at: usize| i32::from_be_bytes(r[at..at + 4].try_into().unwrap());
        assert_eq!(int(5) as usize, r.len() - HEADER);
        let mut at = HEADER + 4;
        let mut out = Vec::new();
        for _ in 0..int(HEADER) {
            let number = int(at);
            let len = int(at + 4) as usize;
            let name = std::str::from_utf8(&r[at + 8..at + 8 + len])
                .unwrap()
                .to_string();
            out.push((number, name, int(at + 8 + len)));
            at += 12 + len;
        }
        assert_eq!(at, r.len());
        out
    }

    #[test]
    fn status_table_lists_every_c_status_with_its_name_and_class() {
        let table = read_table(&status_table());
        assert_eq!(table.len(), albauth_status::ALL.len());
        for (s, (number, name, class)) in albauth_status::ALL.into_iter().zip(&table) {
            assert_eq!(*number, s as i32);
            assert_eq!(name, s.name().to_str().unwrap());
            assert_eq!(*class, (s as i32) / 100, "{name}");
        }
        let named = |n: &str| table.iter().find(|t| t.1 == n).cloned().unwrap();
        assert_eq!(named("ok"), (0, "ok".into(), 0));
        assert_eq!(named("expired"), (106, "expired".into(), 1));
        assert_eq!(named("panic"), (202, "panic".into(), 2));
    }
}
