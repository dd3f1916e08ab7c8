//! Splitting and decoding ALB tokens (pure, no I/O, no crypto).
//!
//! ALB tokens are base64url WITH `=` padding, and the signature covers the segments exactly as
//! received. So a token is split, never normalised: the signing input is the exact bytes before
//! the last `.`. Each segment may carry 0 to 2 trailing `=`, which must then be the canonical
//! amount; only the URL alphabet is accepted (2018-era standard-alphabet tokens are refused),
//! and non-zero trailing bits are refused, so one byte string has one encoding.

use std::borrow::Cow;

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use serde::Deserialize;

use crate::error::{Error, ErrorKind, Result};

/// base64url, padding optional but canonical when present, trailing bits must be zero.
pub const B64URL: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(false),
);

/// The three segments of a token, as received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts<'a> {
    /// First segment (JOSE header), as received.
    pub header: &'a str,
    /// Second segment (claims), as received.
    pub payload: &'a str,
    /// Third segment (signature), as received.
    pub signature: &'a str,
    /// `header.payload` exactly as received: what the signature covers.
    pub signing_input: &'a [u8],
}

fn malformed(detail: &'static str) -> Error {
    Error::new(ErrorKind::MalformedToken, detail)
}

/// Splits a token into exactly three segments of URL-alphabet base64 with at most two
/// trailing `=` each. The header and payload must not be empty; the signature may be, since
/// its length is the algorithm's to judge (an `alg: none` token is `unsupported_algorithm`).
pub fn split(token: &str) -> Result<Parts<'_>> {
    if token.is_empty() {
        return Err(malformed("token is empty"));
    }
    let mut it = token.splitn(4, '.');
    let (Some(h), Some(p), Some(s), None) = (it.next(), it.next(), it.next(), it.next()) else {
        return Err(malformed("token is not three dot-separated segments"));
    };
    check_segment(h)?;
    check_segment(p)?;
    if !s.is_empty() {
        check_segment(s)?;
    }
    Ok(Parts {
        header: h,
        payload: p,
        signature: s,
        signing_input: &token.as_bytes()[..h.len() + 1 + p.len()],
    })
}

fn check_segment(seg: &str) -> Result<()> {
    let body = seg.trim_end_matches('=');
    if body.is_empty() {
        return Err(malformed("token has an empty segment"));
    }
    if seg.len() - body.len() > 2 {
        return Err(malformed(
            "token segment has more than two padding characters",
        ));
    }
    if !body
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(malformed(
            "token segment has characters outside the base64url alphabet",
        ));
    }
    Ok(())
}

/// Decodes one segment (padding optional, canonical, zero trailing bits).
pub fn decode_segment(seg: &str) -> Result<Vec<u8>> {
    if seg.ends_with('=') && seg.len() % 4 != 0 {
        return Err(malformed("token segment has non-canonical padding"));
    }
    B64URL
        .decode(seg)
        .map_err(|_| malformed("token segment is not canonical base64url"))
}

/// Decodes the signature segment into the 64-byte raw `r || s` of ES256.
pub fn decode_signature(seg: &str) -> Result<[u8; 64]> {
    let bytes = decode_segment(seg)?;
    bytes
        .try_into()
        .map_err(|_| malformed("signature is not 64 bytes (raw r||s of ES256, not DER)"))
}

/// The ALB's JOSE header. Duplicate fields are refused by serde (ambiguity is rejected, never
/// resolved); unknown fields are ignored; `exp` must be an integer.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct AlbHeader<'a> {
    /// Must be `ES256`.
    #[serde(borrow, default)]
    pub alg: Option<Cow<'a, str>>,
    /// The key id, a UUID.
    #[serde(borrow, default)]
    pub kid: Option<Cow<'a, str>>,
    /// The signing ALB's ARN.
    #[serde(borrow, default)]
    pub signer: Option<Cow<'a, str>>,
    /// The IdP's issuer.
    #[serde(borrow, default)]
    pub iss: Option<Cow<'a, str>>,
    /// The OIDC client id.
    #[serde(borrow, default)]
    pub client: Option<Cow<'a, str>>,
    /// Expiry, seconds since the epoch.
    pub exp: i64,
    /// `JWT` when present.
    #[serde(borrow, default)]
    pub typ: Option<Cow<'a, str>>,
}

impl<'a> AlbHeader<'a> {
    /// Parses decoded header bytes.
    pub fn parse(bytes: &'a [u8]) -> Result<AlbHeader<'a>> {
        serde_json::from_slice(bytes).map_err(|e| {
            let detail = if e.to_string().contains("duplicate field") {
                "token header has a duplicate field"
            } else if e.to_string().contains("missing field `exp`") {
                "token header has no integer `exp`"
            } else {
                "token header is not the expected JSON object (string fields, integer exp)"
            };
            malformed(detail)
        })
    }
}

/// `8-4-4-4-12` hex digits: the only shape of kid that may go into a URL.
pub fn is_uuid(kid: &str) -> bool {
    let b = kid.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Parses the decoded payload: a JSON object with unique keys.
pub fn parse_claims(bytes: &[u8]) -> Result<serde_json::Map<String, serde_json::Value>> {
    // serde_json's Map keeps the last of duplicate keys; refuse ambiguity instead.
    let claims: UniqueMap = serde_json::from_slice(bytes)
        .map_err(|_| malformed("token payload is not a JSON object with unique keys"))?;
    Ok(claims.0)
}

/// A JSON object that refuses duplicate keys at the top level.
struct UniqueMap(serde_json::Map<String, serde_json::Value>);

impl<'de> Deserialize<'de> for UniqueMap {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = UniqueMap;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> std::result::Result<UniqueMap, A::Error> {
                let mut m = serde_json::Map::new();
                while let Some((k, v)) = a.next_entry::<String, serde_json::Value>()? {
                    if m.insert(k, v).is_some() {
                        return Err(serde::de::Error::custom("duplicate claim"));
                    }
                }
                Ok(UniqueMap(m))
            }
        }
        d.deserialize_map(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_keeps_padding_in_signing_input() {
        let p = split("eyJh==.eyJi=.c2ln").unwrap();
        assert_eq!(p.signing_input, b"eyJh==.eyJi=");
        assert_eq!(p.signature, "c2ln");
    }

    #[test]
    fn split_refuses_two_or_four_segments_and_empty_ones() {
        assert!(split("a.b").is_err());
        assert!(split("a.b.c.d").is_err());
        assert!(split("a..c").is_err());
        assert!(split(".b.c").is_err());
        assert!(split("==.b.c").is_err());
        assert_eq!(
            split("a.b.").unwrap().signature,
            "",
            "the algorithm judges the signature"
        );
    }

    #[test]
    fn split_refuses_standard_alphabet_and_padding_in_the_middle() {
        assert!(split("a+b.c.d").is_err());
        assert!(split("a/b.c.d").is_err());
        assert!(split("a=b.c.d").is_err());
        assert!(split("abc===.c.d").is_err());
    }

    #[test]
    fn decode_accepts_padded_and_unpadded_but_not_wrong_padding() {
        assert_eq!(decode_segment("YQ==").unwrap(), b"a");
        assert_eq!(decode_segment("YQ").unwrap(), b"a");
        assert!(decode_segment("YQ=").is_err());
    }

    #[test]
    fn decode_refuses_nonzero_trailing_bits() {
        assert!(decode_segment("YR").is_err());
    }

    #[test]
    fn uuid_shape() {
        assert!(is_uuid("df8e24c8-1894-4f88-b0a5-2078823058c7"));
        assert!(!is_uuid("df8e24c8-1894-4f88-b0a5-2078823058c"));
        assert!(!is_uuid("../etc/passwd-aaaa-bbbb-cccc-dddddddd"));
    }

    #[test]
    fn header_refuses_duplicate_fields() {
        let h = br#"{"alg":"ES256","alg":"none","exp":1}"#;
        assert_eq!(
            AlbHeader::parse(h).unwrap_err().kind(),
            ErrorKind::MalformedToken
        );
    }

    #[test]
    fn claims_refuse_duplicate_keys() {
        assert!(parse_claims(br#"{"sub":"a","sub":"b"}"#).is_err());
        assert!(parse_claims(br#"[1]"#).is_err());
    }
}
