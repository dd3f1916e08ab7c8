//! The reply of a verify call: a status byte, then the decision's strings (decoded by
//! `Decision.decode` in Java). The status values index `statusNames()`, the C status names.

use crate::{ErrorKind, Outcome};

/// Status 0 is never returned on purpose: a native that returns it has thrown.
pub(super) const STATUS_OK: u8 = 1;
pub(super) const STATUS_ANONYMOUS: u8 = 2;
const FIRST_REJECTED: u8 = 3;
pub(super) const STATUS_NULL_ARGUMENT: u8 = FIRST_REJECTED + ErrorKind::ALL.len() as u8;
pub(super) const STATUS_INVALID_ARGUMENT: u8 = STATUS_NULL_ARGUMENT + 1;

/// The name of every status, indexed by its value; the names are the C status names.
pub(super) fn status_names() -> Vec<&'static str> {
    let mut names = vec!["panic", "ok", "anonymous"];
    names.extend(ErrorKind::ALL.iter().map(|k| k.code()));
    names.extend(["null_argument", "invalid_argument"]);
    names
}

pub(super) fn rejected_status(kind: ErrorKind) -> u8 {
    let index = ErrorKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
    FIRST_REJECTED + index as u8
}

/// The decision as bytes: the status, then for `ok` the username, display name, e-mail, sub
/// and claims JSON as strings, a count, and that many groups; for a failure its detail; for
/// `anonymous` nothing. A string is a big-endian `i32` byte length (-1 for null) and UTF-8.
/// Decoded by `Decision.decode` in Java.
pub(super) fn encode(outcome: &Outcome) -> Vec<u8> {
    match outcome {
        Outcome::Anonymous => vec![STATUS_ANONYMOUS],
        Outcome::Rejected(e) => failure(rejected_status(e.kind()), e.detail()),
        Outcome::Authenticated(id) => {
            let mut out = Vec::with_capacity(64 + id.claims_json().len());
            out.push(STATUS_OK);
            put(&mut out, Some(id.username()));
            put(&mut out, id.display_name());
            put(&mut out, id.email());
            put(&mut out, Some(id.sub()));
            put(&mut out, Some(id.claims_json()));
            let groups = id.groups();
            out.extend_from_slice(&(groups.len() as i32).to_be_bytes());
            for g in groups {
                put(&mut out, Some(g));
            }
            out
        }
    }
}

/// A failure's status and detail (never a token or personal data).
pub(super) fn failure(status: u8, detail: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(5 + detail.len());
    out.push(status);
    put(&mut out, Some(detail));
    out
}

fn put(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        None => out.extend_from_slice(&(-1i32).to_be_bytes()),
        Some(s) => {
            out.extend_from_slice(&(s.len() as i32).to_be_bytes());
            out.extend_from_slice(s.as_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::Identity;
    use crate::Error;
    use std::sync::Arc;

    #[test]
    fn status_names_are_the_c_status_names_in_value_order() {
        let names = status_names();
        assert_eq!(names[STATUS_OK as usize], "ok");
        assert_eq!(names[STATUS_ANONYMOUS as usize], "anonymous");
        assert_eq!(names[STATUS_NULL_ARGUMENT as usize], "null_argument");
        assert_eq!(names[STATUS_INVALID_ARGUMENT as usize], "invalid_argument");
        for kind in ErrorKind::ALL {
            assert_eq!(names[rejected_status(kind) as usize], kind.code());
        }
        assert_eq!(names.len(), STATUS_INVALID_ARGUMENT as usize + 1);
    }

    #[test]
    fn anonymous_encodes_as_its_status_alone() {
        assert_eq!(encode(&Outcome::Anonymous), vec![STATUS_ANONYMOUS]);
    }

    #[test]
    fn rejection_encodes_status_and_detail() {
        let e = Error::new(ErrorKind::Expired, "token expired");
        let mut want = vec![rejected_status(ErrorKind::Expired), 0, 0, 0, 13];
        want.extend_from_slice(b"token expired");
        assert_eq!(encode(&Outcome::Rejected(e)), want);
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
        };
        let mut want = vec![STATUS_OK];
        want.extend_from_slice(&[0, 0, 0, 2, b'a', b'l']);
        want.extend_from_slice(&[0xff, 0xff, 0xff, 0xff]);
        want.extend_from_slice(&[0, 0, 0, 2, 0xc3, 0xa9]);
        want.extend_from_slice(&[0, 0, 0, 1, b's']);
        want.extend_from_slice(&[0, 0, 0, 2, b'{', b'}']);
        want.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 1, b'g']);
        assert_eq!(encode(&Outcome::Authenticated(Arc::new(id))), want);
    }
}
