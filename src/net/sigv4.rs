//! AWS Signature Version 4 (HMAC-SHA256) for Cognito's JSON 1.1 API: about a hundred lines
//! checked against AWS's published SigV4 test suite (and against botocore on a Cognito
//! request), rather than the SDK's `aws-sigv4`, which brings the smithy crates and their
//! request types for this one function.
//!
//! What is signed: the method, the path (each byte outside the unreserved set and `/`
//! percent-encoded, as AWS does for every service but S3, so an already-encoded path is
//! encoded again), the query (decoded, re-encoded, sorted), every header of the request
//! except `authorization`, `user-agent` and `content-length` (lower-cased, trimmed, inner
//! spaces collapsed, repeats joined with `,`), and the SHA-256 of the exact body bytes. Paths
//! are not dot-normalized: the connectors never send `.` or `..` segments.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{KeyInit, Mac};
use sha2::{Digest, Sha256};

use super::http::{origin_of, NetError, NetErrorKind, Request};
use super::oauth::Secret;

type HmacSha256 = hmac::Hmac<Sha256>;

/// IAM credentials. `Debug` shows the access key id only.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// `AKIA...` (or `ASIA...` with a session token).
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: Secret,
    /// The STS session token, for temporary credentials.
    pub session_token: Option<Secret>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &self.secret_access_key)
            .field("session_token", &self.session_token)
            .finish()
    }
}

/// The intermediate strings and the result of one signature (the test suite checks each).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The canonical request.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The `Authorization` header value.
    pub authorization: String,
}

/// `yyyymmddThhmmssZ` of `t` (UTC).
pub fn amz_date(t: SystemTime) -> String {
    let secs = t
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Where and when a signature applies: the credential scope and the `x-amz-date`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope<'a> {
    /// `eu-west-1`, ...
    pub region: &'a str,
    /// `cognito-idp`, ...
    pub service: &'a str,
    /// `yyyymmddThhmmssZ` ([`amz_date`]).
    pub amz_date: &'a str,
}

/// Signs the parts of a request. `headers` must already hold `host` and `x-amz-date`
/// (`scope.amz_date`); every header given is signed.
pub fn signature(
    method: &str,
    path: &str,
    query: &str,
    headers: &[(String, String)],
    payload: &[u8],
    creds: &Credentials,
    scope: Scope<'_>,
) -> Signature {
    let Scope {
        region,
        service,
        amz_date,
    } = scope;
    let mut names: Vec<String> = Vec::new();
    let mut values: Vec<(String, String)> = Vec::new();
    for (n, v) in headers {
        let n = n.to_ascii_lowercase();
        let v = v.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
        match values.iter_mut().find(|(k, _)| *k == n) {
            Some((_, existing)) => {
                existing.push(',');
                existing.push_str(&v);
            }
            None => {
                names.push(n.clone());
                values.push((n, v));
            }
        }
    }
    values.sort();
    names.sort();
    let canonical_headers: String = values.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
    let signed_headers = names.join(";");
    let canonical_request = format!(
        "{method}\n{}\n{}\n{canonical_headers}\n{signed_headers}\n{}",
        canonical_path(path),
        canonical_query(query),
        hex(&Sha256::digest(payload))
    );
    let date = &amz_date[..amz_date.len().min(8)];
    let scope = format!("{date}/{region}/{service}/aws4_request");
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical_request.as_bytes()))
    );
    let k_date = hmac(
        format!("AWS4{}", creds.secret_access_key.expose()).as_bytes(),
        date.as_bytes(),
    );
    let k_region = hmac(&k_date, region.as_bytes());
    let k_service = hmac(&k_region, service.as_bytes());
    let k_signing = hmac(&k_service, b"aws4_request");
    let sig = hex(&hmac(&k_signing, string_to_sign.as_bytes()));
    let authorization = format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={sig}",
        creds.access_key_id
    );
    Signature {
        canonical_request,
        string_to_sign,
        authorization,
    }
}

/// Signs `req` in place at `now`: sets `host`, `x-amz-date`, `x-amz-security-token` (with a
/// session token) and `authorization`; every other header already set is signed too (but not
/// `user-agent` or `content-length`, which the transport may rewrite).
pub fn sign(
    req: &mut Request,
    creds: &Credentials,
    region: &str,
    service: &str,
    now: SystemTime,
) -> Result<(), NetError> {
    let origin = origin_of(&req.url)
        .ok_or_else(|| NetError::new(NetErrorKind::InvalidUrl, "", "not an absolute URL"))?;
    let after_scheme = req.url.split_once("://").map(|(_, r)| r).unwrap_or("");
    let path_and_query = &after_scheme[after_scheme.find('/').unwrap_or(after_scheme.len())..];
    let path_and_query = path_and_query.split('#').next().unwrap_or("");
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let date = amz_date(now);
    for n in [
        "authorization",
        "host",
        "x-amz-date",
        "x-amz-security-token",
    ] {
        req.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(n));
    }
    req.headers.push(("host".into(), origin.host_port()));
    req.headers.push(("x-amz-date".into(), date.clone()));
    if let Some(t) = &creds.session_token {
        req.headers
            .push(("x-amz-security-token".into(), t.expose().to_string()));
    }
    let signed: Vec<(String, String)> = req
        .headers
        .iter()
        .filter(|(n, _)| {
            !n.eq_ignore_ascii_case("user-agent") && !n.eq_ignore_ascii_case("content-length")
        })
        .cloned()
        .collect();
    let sig = signature(
        req.method.as_str(),
        path,
        query,
        &signed,
        req.body.as_deref().unwrap_or(b""),
        creds,
        Scope {
            region,
            service,
            amz_date: &date,
        },
    );
    req.headers
        .push(("authorization".into(), sig.authorization));
    Ok(())
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut m = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    m.update(data);
    m.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// AWS URI encoding: every byte but `A-Z a-z 0-9 - . _ ~` as `%XX` (upper-case hex).
fn aws_encode(s: &[u8], keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~')
            || (keep_slash && b == b'/')
        {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn canonical_path(path: &str) -> String {
    if path.is_empty() {
        "/".to_string()
    } else {
        aws_encode(path.as_bytes(), true)
    }
}

fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (
                aws_encode(&percent_decode(k), false),
                aws_encode(&percent_decode(v), false),
            )
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex_val(b[i + 1]), hex_val(b[i + 2])) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

fn hex_val(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// (year, month, day) of days since 1970-01-01.
fn civil_from_days(z: u64) -> (u64, u64, u64) {
    let z = z + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example_creds() -> Credentials {
        Credentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: Secret::new("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            session_token: None,
        }
    }

    /// One case of AWS's SigV4 test suite (aws-sig-v4-test-suite, us-east-1, service
    /// "service", 20150830T123600Z): request line, headers, body, and the expected canonical
    /// request's last lines, string to sign and Authorization header.
    struct Case {
        name: &'static str,
        method: &'static str,
        uri: &'static str,
        headers: &'static [(&'static str, &'static str)],
        body: &'static str,
        sts_hash: &'static str,
        signature: &'static str,
        signed_headers: &'static str,
    }

    const H: (&str, &str) = ("Host", "example.amazonaws.com");
    const D: (&str, &str) = ("X-Amz-Date", "20150830T123600Z");

    const CASES: &[Case] = &[
        Case {
            name: "get-vanilla",
            method: "GET",
            uri: "/",
            headers: &[H, D],
            body: "",
            sts_hash: "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
            signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            signed_headers: "host;x-amz-date",
        },
        Case {
            name: "get-vanilla-empty-query-key",
            method: "GET",
            uri: "/?Param1=value1",
            headers: &[H, D],
            body: "",
            sts_hash: "1e24db194ed7d0eec2de28d7369675a243488e08526e8c1c73571282f7c517ab",
            signature: "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb",
            signed_headers: "host;x-amz-date",
        },
        Case {
            name: "get-vanilla-query-order-key-case",
            method: "GET",
            uri: "/?Param2=value2&Param1=value1",
            headers: &[H, D],
            body: "",
            sts_hash: "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
            signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
            signed_headers: "host;x-amz-date",
        },
        Case {
            name: "get-vanilla-query-order-value",
            method: "GET",
            uri: "/?Param1=value2&Param1=value1",
            headers: &[H, D],
            body: "",
            sts_hash: "c968629d70850097a2d8781c9bf7edcb988b04cac14cca9be4acc3595f884606",
            signature: "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694",
            signed_headers: "host;x-amz-date",
        },
        Case {
            name: "get-vanilla-query-order-key",
            method: "GET",
            uri: "/?Param1=value2&Param1=Value1",
            headers: &[H, D],
            body: "",
            sts_hash: "704b4cef673542d84cdff252633f065e8daeba5f168b77116f8b1bcaf3d38f89",
            signature: "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1",
            signed_headers: "host;x-amz-date",
        },
        Case {
            name: "get-vanilla-query-unreserved",
            method: "GET",
            uri: "/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
            headers: &[H, D],
            body: "",
            sts_hash: "c30d4703d9f799439be92736156d47ccfb2d879ddf56f5befa6d1d6aab979177",
            signature: "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197",
            signed_headers: "host;x-amz-date",
        },
        Case {
            name: "get-vanilla-utf8-query",
            method: "GET",
            uri: "/?\u{1234}=bar",
            headers: &[H, D],
            body: "",
            sts_hash: "eb30c5bed55734080471a834cc727ae56beb50e5f39d1bff6d0d38cb192a7073",
            signature: "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04",
            signed_headers: "host;x-amz-date",
        },
        Case {
            name: "get-unreserved",
            method: "GET",
            uri: "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
            headers: &[H, D],
            body: "",
            sts_hash: "6a968768eefaa713e2a6b16b589a8ea192661f098f37349f4e2c0082757446f9",
            signature: "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f",
            signed_headers: "host;x-amz-date",
        },
        Case {
            name: "get-utf8",
            method: "GET",
            uri: "/\u{1234}",
            headers: &[H, D],
            body: "",
            sts_hash: "2a0a97d02205e45ce2e994789806b19270cfbbb0921b278ccf58f5249ac42102",
            signature: "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85",
            signed_headers: "host;x-amz-date",
        },
        Case {
            name: "get-header-key-duplicate",
            method: "GET",
            uri: "/",
            headers: &[
                H,
                ("My-Header1", "value2"),
                ("My-Header1", "value2"),
                ("My-Header1", "value1"),
                D,
            ],
            body: "",
            sts_hash: "dc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c",
            signature: "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea",
            signed_headers: "host;my-header1;x-amz-date",
        },
        Case {
            name: "get-header-value-order",
            method: "GET",
            uri: "/",
            headers: &[
                H,
                ("My-Header1", "value4"),
                ("My-Header1", "value1"),
                ("My-Header1", "value3"),
                ("My-Header1", "value2"),
                D,
            ],
            body: "",
            sts_hash: "31ce73cd3f3d9f66977ad3dd957dc47af14df92fcd8509f59b349e9137c58b86",
            signature: "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01",
            signed_headers: "host;my-header1;x-amz-date",
        },
        Case {
            name: "get-header-value-trim",
            method: "GET",
            uri: "/",
            headers: &[H, ("My-Header1", " value1"), ("My-Header2", " \"a   b   c\""), D],
            body: "",
            sts_hash: "a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7",
            signature: "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736",
            signed_headers: "host;my-header1;my-header2;x-amz-date",
        },
        Case {
            name: "post-vanilla",
            method: "POST",
            uri: "/",
            headers: &[H, D],
            body: "",
            sts_hash: "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
            signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
            signed_headers: "host;x-amz-date",
        },
        Case {
            name: "post-vanilla-query",
            method: "POST",
            uri: "/?Param1=value1",
            headers: &[H, D],
            body: "",
            sts_hash: "9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd",
            signature: "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11",
            signed_headers: "host;x-amz-date",
        },
        Case {
            name: "post-header-key-sort",
            method: "POST",
            uri: "/",
            headers: &[H, ("My-Header1", "value1"), D],
            body: "",
            sts_hash: "9368318c2967cf6de74404b30c65a91e8f6253e0a8659d6d5319f1a812f87d65",
            signature: "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c",
            signed_headers: "host;my-header1;x-amz-date",
        },
        Case {
            name: "post-header-value-case",
            method: "POST",
            uri: "/",
            headers: &[H, ("My-Header1", "VALUE1"), D],
            body: "",
            sts_hash: "d51ced243e649e3de6ef63afbbdcbca03131a21a7103a1583706a64618606a93",
            signature: "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d",
            signed_headers: "host;my-header1;x-amz-date",
        },
        Case {
            // The suite's .authz signs content-type;host;x-amz-date (content-length is sent
            // but not signed).
            name: "post-x-www-form-urlencoded",
            method: "POST",
            uri: "/",
            headers: &[("Content-Type", "application/x-www-form-urlencoded"), H, D],
            body: "Param1=value1",
            sts_hash: "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281",
            signature: "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
            signed_headers: "content-type;host;x-amz-date",
        },
    ];

    #[test]
    fn aws_sigv4_test_suite() {
        let creds = example_creds();
        for c in CASES {
            let (path, query) = c.uri.split_once('?').unwrap_or((c.uri, ""));
            let headers: Vec<(String, String)> = c
                .headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect();
            let s = signature(
                c.method,
                path,
                query,
                &headers,
                c.body.as_bytes(),
                &creds,
                Scope {
                    region: "us-east-1",
                    service: "service",
                    amz_date: "20150830T123600Z",
                },
            );
            assert_eq!(
                s.string_to_sign,
                format!(
                    "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n{}",
                    c.sts_hash
                ),
                "{}: canonical request\n{}",
                c.name,
                s.canonical_request
            );
            assert_eq!(
                s.authorization,
                format!(
                    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders={}, Signature={}",
                    c.signed_headers, c.signature
                ),
                "{}",
                c.name
            );
        }
    }

    #[test]
    fn canonical_requests_of_the_suite() {
        let creds = example_creds();
        let scope = Scope {
            region: "us-east-1",
            service: "service",
            amz_date: "20150830T123600Z",
        };
        let h = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        let s = signature("GET", "/\u{1234}", "", &h(&[H, D]), b"", &creds, scope);
        assert_eq!(
            s.canonical_request,
            "GET\n/%E1%88%B4\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let s = signature(
            "GET",
            "/",
            "",
            &h(&[
                H,
                ("My-Header1", " value1"),
                ("My-Header2", " \"a   b   c\""),
                D,
            ]),
            b"",
            &creds,
            scope,
        );
        assert!(s
            .canonical_request
            .contains("\nmy-header1:value1\nmy-header2:\"a b c\"\n"));
    }

    /// A Cognito `ListUsers` call as the connector sends it. The expected Authorization header
    /// was computed independently with botocore's `SigV4Auth` (botocore 1.43.11) on the same
    /// request, credentials and time.
    #[test]
    fn cognito_json_1_1_post() {
        let body = r#"{"UserPoolId":"eu-west-1_AbCdEf123","Limit":60,"Filter":"email = \"alice@example.com\""}"#;
        let mut req = Request::post(
            "https://cognito-idp.eu-west-1.amazonaws.com/",
            "application/x-amz-json-1.1",
            body,
        )
        .header(
            "x-amz-target",
            "AWSCognitoIdentityProviderService.ListUsers",
        )
        .header("user-agent", "not signed");
        let creds = Credentials {
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            session_token: None,
        };
        let t = UNIX_EPOCH + std::time::Duration::from_secs(1_735_732_800); // 2025-01-01T12:00:00Z
        sign(&mut req, &creds, "eu-west-1", "cognito-idp", t).unwrap();
        assert_eq!(req.header_value("x-amz-date"), Some("20250101T120000Z"));
        assert_eq!(
            req.header_value("host"),
            Some("cognito-idp.eu-west-1.amazonaws.com")
        );
        assert_eq!(req.header_value("authorization").unwrap(), COGNITO_EXPECTED);
        // Signing again (a retry) replaces, never duplicates, the signed headers.
        sign(&mut req, &creds, "eu-west-1", "cognito-idp", t).unwrap();
        assert_eq!(
            req.headers
                .iter()
                .filter(|(n, _)| n == "authorization")
                .count(),
            1
        );
        assert_eq!(req.header_value("authorization").unwrap(), COGNITO_EXPECTED);
        assert!(!format!("{creds:?}").contains("wJalr"));
    }

    const COGNITO_EXPECTED: &str = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250101/eu-west-1/cognito-idp/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=1d07ff51a773d041bc47ab66e50be016cb4388a279ac03bcfaf9b1553582a71d";

    #[test]
    fn session_tokens_are_signed_and_loopback_ports_kept() {
        let mut req = Request::post("http://127.0.0.1:5000/", "application/x-amz-json-1.1", "{}");
        let creds = Credentials {
            session_token: Some(Secret::new("sess")),
            ..example_creds()
        };
        sign(&mut req, &creds, "us-east-1", "cognito-idp", UNIX_EPOCH).unwrap();
        assert_eq!(req.header_value("host"), Some("127.0.0.1:5000"));
        assert_eq!(req.header_value("x-amz-security-token"), Some("sess"));
        assert!(req
            .header_value("authorization")
            .unwrap()
            .contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,"));
        assert_eq!(amz_date(UNIX_EPOCH), "19700101T000000Z");
        assert_eq!(
            amz_date(UNIX_EPOCH + std::time::Duration::from_secs(1_835_395_200 + 3661)),
            "20280229T010101Z"
        );
    }
}
