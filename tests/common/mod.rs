//! Test support shared by the integration tests, examples and benches: ALB-style keys and
//! tokens made here (never captured from AWS), and a real HTTP key server on 127.0.0.1.
//!
//! Include it with `#[path = "../tests/common/mod.rs"] mod common;` from examples/benches.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use base64::Engine;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use p256::pkcs8::{EncodePublicKey, LineEnding};
use serde_json::{json, Value};

// The shared identities (ALB, ALB_DR, ALB_OTHER, ISSUER, CLIENT, KID, NOW) come from
// tests/fixtures/ids.properties, the one file every test suite reads (build.rs generates them).
include!(concat!(env!("OUT_DIR"), "/test_ids.rs"));

/// base64url with `=` padding, as the ALB encodes.
pub const B64_PADDED: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE;
/// base64url without padding (RFC 7515).
pub const B64_NOPAD: base64::engine::GeneralPurpose =
    base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// A P-256 key with a kid. Deterministic from its seed, so fixtures are reproducible.
#[derive(Clone)]
pub struct TestKey {
    pub signing: SigningKey,
    pub kid: String,
}

impl TestKey {
    /// Key number `seed` (1..=255) with kid [`kid_for`]`(seed)`.
    pub fn new(seed: u8) -> TestKey {
        let mut bytes = [0u8; 32];
        bytes[31] = seed;
        bytes[0] = 0x42;
        TestKey {
            signing: SigningKey::from_slice(&bytes).expect("valid scalar"),
            kid: kid_for(seed),
        }
    }

    /// The SubjectPublicKeyInfo PEM, as the ALB key endpoint serves it.
    pub fn pem(&self) -> String {
        self.signing
            .verifying_key()
            .to_public_key_pem(LineEnding::LF)
            .expect("pem")
    }

    /// Signs `msg`: the raw 64-byte r||s.
    pub fn sign(&self, msg: &[u8]) -> [u8; 64] {
        let sig: Signature = self.signing.sign(msg);
        sig.to_bytes().into()
    }
}

/// The kid of key `seed`: a UUID.
pub fn kid_for(seed: u8) -> String {
    if seed == 1 {
        return KID.to_string();
    }
    format!("{seed:08x}-0000-4000-8000-{seed:012x}")
}

/// An ALB-style token under construction. Defaults: ES256, [`ALB`], [`ISSUER`], [`CLIENT`],
/// exp [`NOW`] + 120, claims `sub`, `email`, `name`, `exp`, `iss`; padded segments.
#[derive(Clone)]
pub struct AlbToken {
    pub header: serde_json::Map<String, Value>,
    pub claims: serde_json::Map<String, Value>,
    /// Encode header and payload with `=` padding (the ALB does).
    pub padded: bool,
    /// Raw header JSON text to use instead of `header` (for duplicate keys and oddities).
    pub raw_header: Option<String>,
    /// Raw payload JSON text to use instead of `claims`.
    pub raw_claims: Option<String>,
}

impl AlbToken {
    pub fn new(key: &TestKey) -> AlbToken {
        let exp = NOW + 120;
        let header = json!({
            "typ": "JWT", "kid": key.kid, "alg": "ES256", "iss": ISSUER,
            "client": CLIENT, "signer": ALB, "exp": exp
        });
        let claims = json!({
            "sub": "a1b2c3d4-0000-4000-8000-000000000001",
            "email": "Jane.Doe@Example.com",
            "email_verified": "true",
            "name": "Jane Doe",
            "exp": exp,
            "iss": ISSUER
        });
        AlbToken {
            header: header.as_object().unwrap().clone(),
            claims: claims.as_object().unwrap().clone(),
            padded: true,
            raw_header: None,
            raw_claims: None,
        }
    }

    /// Sets a header field (`Value::Null` removes it).
    pub fn header(mut self, k: &str, v: impl Into<Value>) -> Self {
        let v = v.into();
        if v.is_null() {
            self.header.remove(k);
        } else {
            self.header.insert(k.into(), v);
        }
        self
    }

    /// Sets a claim (`Value::Null` removes it).
    pub fn claim(mut self, k: &str, v: impl Into<Value>) -> Self {
        let v = v.into();
        if v.is_null() {
            self.claims.remove(k);
        } else {
            self.claims.insert(k.into(), v);
        }
        self
    }

    /// Sets `exp` in the header and, when present, in the payload.
    pub fn exp(mut self, exp: i64) -> Self {
        self.header.insert("exp".into(), exp.into());
        if self.claims.contains_key("exp") {
            self.claims.insert("exp".into(), exp.into());
        }
        self
    }

    pub fn padded(mut self, padded: bool) -> Self {
        self.padded = padded;
        self
    }

    /// The `header.payload` signing input as it will be sent.
    pub fn signing_input(&self) -> String {
        let enc = if self.padded { B64_PADDED } else { B64_NOPAD };
        let h = self
            .raw_header
            .clone()
            .unwrap_or_else(|| Value::Object(self.header.clone()).to_string());
        let p = self
            .raw_claims
            .clone()
            .unwrap_or_else(|| Value::Object(self.claims.clone()).to_string());
        format!("{}.{}", enc.encode(h), enc.encode(p))
    }

    /// Signs with `key`; the signature segment is padded like the others.
    pub fn sign(&self, key: &TestKey) -> String {
        let input = self.signing_input();
        let sig = key.sign(input.as_bytes());
        let enc = if self.padded { B64_PADDED } else { B64_NOPAD };
        format!("{input}.{}", enc.encode(sig))
    }
}

/// A config for [`ALB`] with a key server (or pinned keys when `server` is `None`).
pub fn config(server: Option<&KeyServer>, keys: &[&TestKey], extra: Value) -> String {
    let mut c = json!({
        "trusted_albs": [ALB],
        "issuer": ISSUER,
        "client_id": CLIENT,
        "template": "cognito",
    });
    let obj = c.as_object_mut().unwrap();
    match server {
        Some(s) => {
            obj.insert("key_url".into(), s.url_template().into());
        }
        None => {
            let pinned: serde_json::Map<String, Value> = keys
                .iter()
                .map(|k| (k.kid.clone(), Value::String(k.pem())))
                .collect();
            obj.insert("pinned_keys".into(), Value::Object(pinned));
        }
    }
    if let Value::Object(extra) = extra {
        for (k, v) in extra {
            obj.insert(k, v);
        }
    }
    c.to_string()
}

/// The identity headers of a request carrying `token`.
pub fn headers(token: &str) -> Vec<(String, String)> {
    vec![("x-amzn-oidc-data".to_string(), token.to_string())]
}

/// How the key server answers one path.
#[derive(Clone)]
pub enum Reply {
    /// 200 with this body.
    Body(String),
    /// This status, empty body.
    Status(u16),
    /// Wait, then answer.
    Slow(Duration, Box<Reply>),
    /// Close the connection without answering.
    Hangup,
}

/// A real HTTP/1.1 server on 127.0.0.1 serving keys by path, counting requests.
pub struct KeyServer {
    pub port: u16,
    routes: Arc<Mutex<HashMap<String, Reply>>>,
    hits: Arc<Mutex<HashMap<String, usize>>>,
    total: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl KeyServer {
    /// Starts a server that serves each of `keys` at `/{kid}` and 404 elsewhere.
    pub fn start(keys: &[&TestKey]) -> KeyServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().unwrap().port();
        let routes: Arc<Mutex<HashMap<String, Reply>>> = Arc::new(Mutex::new(
            keys.iter()
                .map(|k| (format!("/{}", k.kid), Reply::Body(k.pem())))
                .collect(),
        ));
        let hits = Arc::new(Mutex::new(HashMap::new()));
        let total = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (routes, hits, total, stop) =
                (routes.clone(), hits.clone(), total.clone(), stop.clone());
            std::thread::spawn(move || {
                for conn in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(conn) = conn else { continue };
                    let (routes, hits, total) = (routes.clone(), hits.clone(), total.clone());
                    std::thread::spawn(move || serve(conn, &routes, &hits, &total));
                }
            })
        };
        KeyServer {
            port,
            routes,
            hits,
            total,
            stop,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT/{kid}`.
    pub fn url_template(&self) -> String {
        format!("http://127.0.0.1:{}/{{kid}}", self.port)
    }

    /// `http://127.0.0.1:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Sets how `path` is answered.
    pub fn route(&self, path: &str, reply: Reply) {
        self.routes.lock().unwrap().insert(path.to_string(), reply);
    }

    /// Requests received in all.
    pub fn requests(&self) -> usize {
        self.total.load(Ordering::SeqCst)
    }

    /// Requests received for `path`.
    pub fn requests_for(&self, path: &str) -> usize {
        *self.hits.lock().unwrap().get(path).unwrap_or(&0)
    }
}

impl Drop for KeyServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve(
    conn: TcpStream,
    routes: &Mutex<HashMap<String, Reply>>,
    hits: &Mutex<HashMap<String, usize>>,
    total: &AtomicUsize,
) {
    let mut reader = BufReader::new(match conn.try_clone() {
        Ok(c) => c,
        Err(_) => return,
    });
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    loop {
        let mut l = String::new();
        if reader.read_line(&mut l).unwrap_or(0) == 0 || l == "\r\n" || l == "\n" {
            break;
        }
    }
    total.fetch_add(1, Ordering::SeqCst);
    *hits.lock().unwrap().entry(path.clone()).or_default() += 1;
    let reply = routes
        .lock()
        .unwrap()
        .get(&path)
        .cloned()
        .unwrap_or(Reply::Status(404));
    answer(conn, reply);
}

fn answer(mut conn: TcpStream, reply: Reply) {
    match reply {
        Reply::Body(b) => {
            let _ = write!(
                conn,
                "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
                b.len(),
                b
            );
        }
        Reply::Status(s) => {
            let _ = write!(
                conn,
                "HTTP/1.1 {s} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
        Reply::Slow(d, r) => {
            std::thread::sleep(d);
            answer(conn, *r);
        }
        Reply::Hangup => {}
    }
}

// ---- Core test suite helpers (tests/checks.rs, tests/access_token.rs, benches/verify.rs) ----

/// The outcome as one word: `"authenticated"`, `"anonymous"`, or the rejection's error code.
pub fn outcome_code(o: &albauth::Outcome) -> &'static str {
    match o {
        albauth::Outcome::Authenticated(_) => "authenticated",
        albauth::Outcome::Anonymous => "anonymous",
        albauth::Outcome::Rejected(e) => e.code(),
    }
}

/// Signs `header_seg.payload_seg` exactly as given (any encoding) with `key`, and appends the
/// signature, padded or not.
pub fn sign_segments(
    key: &TestKey,
    header_seg: &str,
    payload_seg: &str,
    sig_padded: bool,
) -> String {
    let input = format!("{header_seg}.{payload_seg}");
    let sig = key.sign(input.as_bytes());
    let enc = if sig_padded { B64_PADDED } else { B64_NOPAD };
    format!("{input}.{}", enc.encode(sig))
}

/// The contents of `tests/fixtures/{name}` (see tests/fixtures/README.md).
pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// An Entra (Azure AD) tenant id.
pub const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
/// The Entra v2 issuer of [`TENANT`], as in the ALB data token.
pub const AZURE_ISSUER: &str =
    "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0";
/// The Entra v1 issuer of [`TENANT`], as in Microsoft Graph access tokens.
pub const AZURE_AT_ISSUER: &str = "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/";

/// An ALB data token as an Entra-backed ALB sends it: no `upn`.
pub fn azure_data_token(key: &TestKey) -> AlbToken {
    AlbToken::new(key)
        .header("iss", AZURE_ISSUER)
        .claim("iss", AZURE_ISSUER)
}

/// An `azure` config: ALB keys from `server` at `/{kid}`, the access-token JWKS at `/jwks`.
pub fn azure_config(server: &KeyServer, extra: Value) -> String {
    let mut c = json!({
        "trusted_albs": [ALB],
        "issuer": AZURE_ISSUER,
        "client_id": CLIENT,
        "template": "azure",
        "key_url": server.url_template(),
        "access_token_jwks_url": server.url("/jwks"),
    });
    if let (Value::Object(obj), Value::Object(extra)) = (&mut c, extra) {
        obj.extend(extra);
    }
    c.to_string()
}

/// An IdP access token (RS256 JWT) under construction. Defaults: kid `at-key-1`, a Graph-style
/// v1 payload for [`TENANT`] issued to [`CLIENT`] (`appid`) with `upn`, exp [`NOW`] + 3600; no
/// `nonce`.
#[derive(Clone)]
pub struct AccessToken {
    pub header: serde_json::Map<String, Value>,
    pub claims: serde_json::Map<String, Value>,
}

impl AccessToken {
    pub fn new() -> AccessToken {
        let header = json!({"typ": "JWT", "alg": "RS256", "kid": "at-key-1"});
        let claims = json!({
            "aud": "00000003-0000-0000-c000-000000000000",
            "appid": CLIENT,
            "iss": AZURE_AT_ISSUER,
            "tid": TENANT,
            "exp": NOW + 3600,
            "nbf": NOW - 300,
            "upn": "Jane.Doe@example.onmicrosoft.com",
            "name": "Jane Doe",
            "oid": "a1b2c3d4-0000-4000-8000-000000000001",
        });
        AccessToken {
            header: header.as_object().unwrap().clone(),
            claims: claims.as_object().unwrap().clone(),
        }
    }

    /// Sets a header field (`Value::Null` removes it).
    pub fn header(mut self, k: &str, v: impl Into<Value>) -> Self {
        match v.into() {
            Value::Null => self.header.remove(k),
            v => self.header.insert(k.into(), v),
        };
        self
    }

    /// Sets a claim (`Value::Null` removes it).
    pub fn claim(mut self, k: &str, v: impl Into<Value>) -> Self {
        match v.into() {
            Value::Null => self.claims.remove(k),
            v => self.claims.insert(k.into(), v),
        };
        self
    }

    /// Signs with an RSA private key (PKCS#1 PEM). With a `nonce` header, signs the way
    /// Microsoft Graph does: over the header whose nonce is replaced by its SHA-256 hex digest.
    pub fn sign(&self, rsa_pem: &str) -> String {
        let sent = Value::Object(self.header.clone()).to_string();
        let signed = match self.header.get("nonce").and_then(Value::as_str) {
            Some(nonce) => {
                use sha2::Digest;
                let hex: String = sha2::Sha256::digest(nonce.as_bytes())
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                sent.replacen(&format!("\"{nonce}\""), &format!("\"{hex}\""), 1)
            }
            None => sent.clone(),
        };
        self.sign_with_header(rsa_pem, &sent, &signed)
    }

    /// Signs over `signed_header` but sends `sent_header` (for variants that must fail).
    pub fn sign_with_header(
        &self,
        rsa_pem: &str,
        sent_header: &str,
        signed_header: &str,
    ) -> String {
        let payload = B64_NOPAD.encode(Value::Object(self.claims.clone()).to_string());
        let input = format!("{}.{payload}", B64_NOPAD.encode(signed_header));
        let key = jsonwebtoken::EncodingKey::from_rsa_pem(rsa_pem.as_bytes()).expect("RSA PEM");
        let sig =
            jsonwebtoken::crypto::sign(input.as_bytes(), &key, jsonwebtoken::Algorithm::RS256)
                .expect("RS256 sign");
        format!("{}.{payload}.{sig}", B64_NOPAD.encode(sent_header))
    }
}

impl Default for AccessToken {
    fn default() -> Self {
        AccessToken::new()
    }
}

/// The identity headers of an Azure request: the data token and the access token.
pub fn azure_headers(data: &str, access: &str) -> Vec<(String, String)> {
    vec![
        ("x-amzn-oidc-data".to_string(), data.to_string()),
        ("x-amzn-oidc-accesstoken".to_string(), access.to_string()),
    ]
}

// ---- Flood helpers (tests/resource_bounds.rs, examples/flood.rs) ----

/// Deterministic noise (splitmix64), so a flood is the same on every run without a rand crate.
pub struct Noise(pub u64);

impl Noise {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64() as u8).collect()
    }
}

/// Flood request `i`: a well-formed token from the trusted [`ALB`] naming a kid no key server
/// knows (a distinct UUID per `i`) with a garbage signature. It gets as far as the key lookup,
/// so without the fetch limits every one would cost an outbound request.
pub fn unknown_kid_token(i: u64) -> String {
    let kid = format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        i >> 32,
        (i >> 16) & 0xffff,
        i & 0xfff,
        (i >> 12) & 0xfff,
        i.wrapping_mul(0x9e37_79b9) & 0xffff_ffff_ffff
    );
    let header = json!({
        "typ": "JWT", "kid": kid, "alg": "ES256", "iss": ISSUER,
        "client": CLIENT, "signer": ALB, "exp": NOW + 120
    });
    let claims = json!({"sub": format!("attacker-{i}"), "email": "x@example.com"});
    let sig = Noise(i).bytes(64);
    format!(
        "{}.{}.{}",
        B64_PADDED.encode(header.to_string()),
        B64_PADDED.encode(claims.to_string()),
        B64_PADDED.encode(sig)
    )
}

/// Flood request `i`: a distinct malformed token, cycling through shapes (base64url junk in
/// three segments, arbitrary bytes, a plausible header with a bad alg, a large blob).
pub fn garbage_token(i: u64) -> String {
    let mut noise = Noise(i ^ 0xdead_beef);
    match i % 4 {
        0 => format!(
            "{}.{}.{}",
            B64_NOPAD.encode(noise.bytes(20)),
            B64_NOPAD.encode(noise.bytes(90)),
            B64_NOPAD.encode(noise.bytes(64))
        ),
        1 => String::from_utf8_lossy(&noise.bytes(200)).into_owned(),
        2 => format!(
            "{}.{}.{}",
            B64_PADDED.encode(format!("{{\"alg\":\"HS{i}\",\"kid\":\"{i}\",\"exp\":1}}")),
            B64_PADDED.encode(noise.bytes(100)),
            B64_PADDED.encode(noise.bytes(64))
        ),
        _ => B64_NOPAD.encode(noise.bytes(2000 + (i % 1000) as usize)),
    }
}

/// `n` distinct ALB-style tokens, one user each, signed by `key`: the benchmarks' workload.
pub fn distinct_user_tokens(key: &TestKey, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            AlbToken::new(key)
                .claim("sub", format!("a1b2c3d4-0000-4000-8000-{i:012}"))
                .claim("email", format!("user{i}@example.com"))
                .claim("username", format!("a1b2c3d4-0000-4000-8000-{i:012}"))
                .claim("name", format!("User Number {i}"))
                .sign(key)
        })
        .collect()
}
