//! The checks of the ALB data token, one pure function per step of the documented order
//! (no I/O, no trace, no counters): the [`Verifier`](super::Verifier) pipeline runs them in
//! order and records each once. Key lookup and the access token are the two steps with I/O
//! and live with their caches.
//!
//! Details name what the token carried next to what is configured when that is configuration
//! (an `iss` URL, a client id, a signer ARN: never personal data), quoted and cut to
//! [`SHOWN_MAX`] characters so a hostile header cannot flood a log line.

use serde_json::{Map, Value};

use super::token::{self, AlbHeader, Parts};
use crate::config::{AlbArn, Config};
use crate::error::{Error, ErrorKind, Result};
use crate::keys::Es256Key;

/// Most characters of a token-carried value quoted in a detail.
pub(crate) const SHOWN_MAX: usize = 96;

/// The decoded segments of a token, before anything in them is trusted.
pub(crate) struct Segments {
    pub(crate) header: Vec<u8>,
    pub(crate) payload: Vec<u8>,
    pub(crate) signature: Vec<u8>,
}

/// `structure` and `base64`: the three segments, decoded (canonical base64url). The signature
/// may have any length here: its length is part of the algorithm's check.
pub(crate) fn decode(parts: &Parts<'_>) -> Result<Segments> {
    Ok(Segments {
        header: token::decode_segment(parts.header)?,
        payload: token::decode_segment(parts.payload)?,
        signature: token::decode_segment(parts.signature)?,
    })
}

/// `alg`: ES256, the only algorithm an ALB signs with, and then a 64-byte raw `r || s`. A token
/// of any other `alg` is `unsupported_algorithm` whatever its signature looks like.
pub(crate) fn algorithm(header: &AlbHeader<'_>, signature: &[u8]) -> Result<[u8; 64]> {
    if header.alg.as_deref() != Some("ES256") {
        let detail = match header.alg.as_deref() {
            None => "token header has no alg (an ALB always signs with ES256)".to_string(),
            Some(alg) => format!(
                "alg {} is not ES256 (the only algorithm an ALB signs with)",
                shown(alg)
            ),
        };
        return Err(Error::new(ErrorKind::UnsupportedAlgorithm, detail));
    }
    signature.try_into().map_err(|_| {
        Error::new(
            ErrorKind::MalformedToken,
            format!(
                "ES256 signature is {} bytes, not 64 (raw r||s, not DER)",
                signature.len()
            ),
        )
    })
}

/// `signer`: the index of the trusted ALB that signed. Any ALB in the region can produce a
/// valid signature; this check is the authentication, and it runs before any key fetch.
pub(crate) fn signer(header: &AlbHeader<'_>, trusted: &[AlbArn]) -> Result<usize> {
    let signer = header.signer.as_deref().unwrap_or("");
    if signer.is_empty() {
        return Err(Error::new(
            ErrorKind::SignerNotTrusted,
            "token header has no signer",
        ));
    }
    trusted.iter().position(|a| a.arn == signer).ok_or_else(|| {
        Error::new(
            ErrorKind::SignerNotTrusted,
            format!(
                "signer {} is not one of trusted_albs {} (any ALB in the region can sign; the signer decides)",
                shown(signer),
                listed(trusted.iter().map(|a| a.arn.as_str()))
            ),
        )
    })
}

/// `kid`: a UUID, the only shape that may go into a key URL.
pub(crate) fn kid<'h>(header: &'h AlbHeader<'_>) -> Result<&'h str> {
    let kid = header.kid.as_deref().unwrap_or("");
    if token::is_uuid(kid) {
        Ok(kid)
    } else {
        Err(Error::new(
            ErrorKind::InvalidKeyId,
            "kid is missing or not a UUID",
        ))
    }
}

/// `signature`: ES256 over the signing input exactly as received (padding included).
pub(crate) fn signature(key: &Es256Key, signing_input: &[u8], sig: &[u8; 64]) -> Result<()> {
    if key.verify(signing_input, sig) {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::InvalidSignature,
            "ES256 signature does not verify over the token as received",
        ))
    }
}

/// `exp`: the earlier of the header's and (when present) the payload's `exp`, which must not
/// be more than `skew` seconds in the past. Returns that expiry.
pub(crate) fn expiry(
    header: &AlbHeader<'_>,
    claims: &Map<String, Value>,
    now: i64,
    skew: i64,
) -> Result<i64> {
    let expires_at = match claims.get("exp") {
        None => header.exp,
        Some(v) => match v.as_i64() {
            Some(pe) => header.exp.min(pe),
            None => {
                return Err(Error::new(
                    ErrorKind::MalformedToken,
                    "payload exp is not an integer",
                ))
            }
        },
    };
    if now > expires_at.saturating_add(skew) {
        return Err(Error::new(
            ErrorKind::Expired,
            format!(
                "token expired {} s ago (exp {expires_at}, now {now}, clock_skew_secs {skew})",
                now.saturating_sub(expires_at)
            ),
        ));
    }
    Ok(expires_at)
}

/// Whether a configured check ran or was explicitly opted out of (`null` in config).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Checked {
    /// The value is one of the configured ones.
    Matched,
    /// The config says `null`: not checked (warned by `--explain`).
    OptedOut,
}

/// `iss`: the header's `iss` is one of `issuer`, and a payload `iss` equals it.
pub(crate) fn issuer(
    header: &AlbHeader<'_>,
    claims: &Map<String, Value>,
    config: &Config,
) -> Result<Checked> {
    let iss = header.iss.as_deref();
    if let Some(payload_iss) = claims.get("iss") {
        if payload_iss.as_str() != iss {
            return Err(Error::new(
                ErrorKind::IssuerMismatch,
                "payload iss differs from header iss",
            ));
        }
    }
    one_of(
        iss,
        config.issuer.as_deref(),
        ErrorKind::IssuerMismatch,
        "iss",
        "issuer",
    )
}

/// `client`: the header's `client` is one of `client_id`.
pub(crate) fn client(header: &AlbHeader<'_>, config: &Config) -> Result<Checked> {
    one_of(
        header.client.as_deref(),
        config.client_id.as_deref(),
        ErrorKind::ClientMismatch,
        "client",
        "client_id",
    )
}

fn one_of(
    value: Option<&str>,
    accepted: Option<&[String]>,
    kind: ErrorKind,
    claim: &str,
    field: &str,
) -> Result<Checked> {
    let Some(accepted) = accepted else {
        return Ok(Checked::OptedOut);
    };
    match value {
        Some(v) if accepted.iter().any(|a| a == v) => Ok(Checked::Matched),
        Some(v) => Err(Error::new(
            kind,
            format!(
                "{claim} {} is not one of {field} {} (compared exactly: a trailing / matters)",
                shown(v),
                listed(accepted.iter().map(String::as_str))
            ),
        )),
        None => Err(Error::new(
            kind,
            format!("token header has no {claim}; {field} requires one"),
        )),
    }
}

/// `identity_header`: the unsigned `x-amzn-oidc-identity`, when sent, equals the verified `sub`.
pub(crate) fn identity_header(identity: Option<&str>, sub: &str) -> Result<()> {
    match identity {
        Some(i) if i != sub => Err(Error::new(
            ErrorKind::IdentityMismatch,
            "x-amzn-oidc-identity differs from the verified sub",
        )),
        _ => Ok(()),
    }
}

/// A token-carried value for a detail: quoted and escaped (`{:?}`), cut at [`SHOWN_MAX`]
/// characters.
pub(crate) fn shown(s: &str) -> String {
    match s.char_indices().nth(SHOWN_MAX) {
        None => format!("{s:?}"),
        Some((cut, _)) => format!("{:?}...", &s[..cut]),
    }
}

/// Configured values for a detail: `["a", "b"]`, at most four, then how many more.
fn listed<'a>(values: impl ExactSizeIterator<Item = &'a str>) -> String {
    let n = values.len();
    let shown: Vec<String> = values.take(4).map(|v| format!("{v:?}")).collect();
    match n > 4 {
        true => format!("[{}] and {} more", shown.join(", "), n - 4),
        false => format!("[{}]", shown.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn header(json: &str) -> AlbHeader<'_> {
        AlbHeader::parse(json.as_bytes()).unwrap()
    }

    fn config(extra: Value) -> Config {
        let mut c = json!({
            "trusted_albs": ["arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188"],
            "issuer": "https://idp.example.com",
            "client_id": "client-1",
        });
        for (k, v) in extra.as_object().unwrap() {
            c[k] = v.clone();
        }
        Config::from_json(&c.to_string()).unwrap()
    }

    fn claims(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn algorithm_other_than_es256_is_unsupported_whatever_the_signature_length() {
        for (alg, len) in [("HS256", 32), ("RS256", 256), ("none", 0), ("ES256K", 64)] {
            let h = format!(r#"{{"alg":"{alg}","exp":1}}"#);
            let e = algorithm(&header(&h), &vec![0; len]).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::UnsupportedAlgorithm, "{alg}");
        }
    }

    #[test]
    fn algorithm_es256_needs_a_64_byte_signature() {
        let h = header(r#"{"alg":"ES256","exp":1}"#);
        assert!(algorithm(&h, &[7; 64]).is_ok());
        let e = algorithm(&h, &[7; 72]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::MalformedToken);
        assert!(e.detail().contains("72 bytes"), "{}", e.detail());
    }

    #[test]
    fn signer_names_the_carried_and_the_configured_arns() {
        let c = config(json!({}));
        let h = header(
            r#"{"signer":"arn:aws:elasticloadbalancing:us-east-1:999999999999:loadbalancer/app/evil/aa","exp":1}"#,
        );
        let e = signer(&h, &c.trusted_albs).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::SignerNotTrusted);
        assert!(
            e.detail().contains("999999999999:loadbalancer/app/evil/aa"),
            "{}",
            e.detail()
        );
        assert!(
            e.detail().contains("123456789012:loadbalancer/app/jira"),
            "{}",
            e.detail()
        );
    }

    #[test]
    fn signer_missing_is_not_trusted() {
        let c = config(json!({}));
        let e = signer(&header(r#"{"exp":1}"#), &c.trusted_albs).unwrap_err();
        assert_eq!(e.detail(), "token header has no signer");
    }

    #[test]
    fn kid_must_be_a_uuid() {
        assert!(kid(&header(
            r#"{"kid":"11111111-2222-4333-8444-555555555555","exp":1}"#
        ))
        .is_ok());
        let e = kid(&header(r#"{"kid":"../../etc/passwd","exp":1}"#)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidKeyId);
        assert!(!e.detail().contains("passwd"), "a bad kid is never echoed");
    }

    #[test]
    fn expiry_takes_the_earlier_exp_and_allows_the_skew() {
        let h = header(r#"{"exp":1000}"#);
        assert_eq!(expiry(&h, &claims(json!({"exp": 900})), 920, 30), Ok(900));
        assert_eq!(expiry(&h, &claims(json!({})), 1030, 30), Ok(1000));
        let e = expiry(&h, &claims(json!({})), 1031, 30).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Expired);
        let e = expiry(&h, &claims(json!({"exp": "soon"})), 0, 30).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::MalformedToken);
    }

    #[test]
    fn issuer_names_the_carried_value_beside_the_configured_one() {
        let c = config(json!({}));
        let h = header(r#"{"iss":"https://idp.example.com/","exp":1}"#);
        let e = issuer(&h, &claims(json!({})), &c).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::IssuerMismatch);
        assert!(
            e.detail().contains(r#""https://idp.example.com/""#),
            "{}",
            e.detail()
        );
        assert!(
            e.detail().contains(r#"["https://idp.example.com"]"#),
            "{}",
            e.detail()
        );
    }

    #[test]
    fn issuer_in_payload_must_equal_the_header() {
        let c = config(json!({}));
        let h = header(r#"{"iss":"https://idp.example.com","exp":1}"#);
        assert_eq!(
            issuer(&h, &claims(json!({"iss": "https://idp.example.com"})), &c),
            Ok(Checked::Matched)
        );
        let e = issuer(&h, &claims(json!({"iss": "https://other"})), &c).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::IssuerMismatch);
    }

    #[test]
    fn issuer_null_is_an_explicit_opt_out() {
        let c = config(json!({"issuer": null}));
        let h = header(r#"{"iss":"https://anything","exp":1}"#);
        assert_eq!(issuer(&h, &claims(json!({})), &c), Ok(Checked::OptedOut));
    }

    #[test]
    fn client_names_the_carried_value_and_a_missing_one() {
        let c = config(json!({}));
        let e = client(&header(r#"{"client":"client-2","exp":1}"#), &c).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ClientMismatch);
        assert!(e.detail().contains(r#""client-2""#) && e.detail().contains(r#"["client-1"]"#));
        let e = client(&header(r#"{"exp":1}"#), &c).unwrap_err();
        assert!(e.detail().contains("no client"), "{}", e.detail());
        assert_eq!(
            client(&header(r#"{"client":"client-1","exp":1}"#), &c),
            Ok(Checked::Matched)
        );
    }

    #[test]
    fn identity_header_must_equal_the_sub_when_sent() {
        assert!(identity_header(None, "s").is_ok());
        assert!(identity_header(Some("s"), "s").is_ok());
        assert_eq!(
            identity_header(Some("t"), "s").unwrap_err().kind(),
            ErrorKind::IdentityMismatch
        );
    }

    #[test]
    fn shown_values_are_escaped_and_cut() {
        assert_eq!(shown("a\nb"), r#""a\nb""#);
        let long = "x".repeat(1000);
        let s = shown(&long);
        assert!(s.len() < SHOWN_MAX + 8 && s.ends_with("..."), "{s}");
    }

    #[test]
    fn listed_values_stop_after_four() {
        let many = ["a", "b", "c", "d", "e", "f"];
        assert_eq!(
            listed(many.into_iter()),
            r#"["a", "b", "c", "d"] and 2 more"#
        );
    }
}
