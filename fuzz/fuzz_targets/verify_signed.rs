//! Well-formed ALB tokens, signed with the pinned key, built from fuzzed header fields, claims,
//! username transforms and identity headers, so the fuzzer explores everything past the
//! signature: exp, iss, client, sub, the identity header, claim mapping and transforms.
//!
//! Each input also carries its own expected result, worked out here from the input alone
//! following the documented order of checks; the verifier must agree exactly. So this target
//! finds wrong answers (a token let in or locked out), not only crashes.
#![no_main]

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use albauth::claims::Transform;
use albauth::{Outcome, Verifier};
use albauth_fuzz::{config_json, token, ALB, ALB_DR, ALB_OTHER, CLIENT, ISSUER, KID, NOW};
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};

/// A JSON value of any type, nested.
#[derive(Arbitrary, Debug, Clone)]
enum Json {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    fn value(&self) -> Value {
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => json!(b),
            Json::Int(i) => json!(i),
            // NaN and infinities have no JSON form: null.
            Json::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Json::Str(s) => json!(s),
            Json::Arr(a) => Value::Array(a.iter().map(Json::value).collect()),
            Json::Obj(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), v.value())).collect()),
        }
    }
}

/// A string field of the JOSE header.
#[derive(Arbitrary, Debug)]
enum StrField {
    Good,
    Absent,
    Alt(u8),
    Text(String),
    Any(Json),
}

/// `exp`, in the header or the payload.
#[derive(Arbitrary, Debug)]
enum Exp {
    Relative(i32),
    Absolute(i64),
    Absent,
    Any(Json),
}

#[derive(Arbitrary, Debug)]
enum Identity {
    Absent,
    Sub,
    Text(String),
}

#[derive(Arbitrary, Debug)]
enum TransformSpec {
    Lowercase,
    StripDomain,
    Regex(String, String),
}

/// One token and its setting. The first variant of every choice, which `arbitrary` picks when
/// the input runs out, is what a genuine ALB sends: short inputs authenticate.
#[derive(Arbitrary, Debug)]
struct Input {
    alg: StrField,
    kid: StrField,
    signer: StrField,
    iss: StrField,
    client: StrField,
    typ: StrField,
    header_exp: Exp,
    header_extra: Vec<(String, Json)>,
    /// Repeats header field `n % 7` with another value (raw JSON text).
    duplicate: Option<(u8, Json)>,
    payload_exp: Exp,
    payload_iss: StrField,
    /// Replaces the default `sub`.
    sub: Option<Json>,
    /// Replace or add claims (names from CLAIM_NAMES).
    claims: Vec<(u8, Json)>,
    username_claim: u8,
    groups_claim: Option<u8>,
    transforms: Vec<TransformSpec>,
    clock_skew: u16,
    identity: Identity,
    padded: bool,
    flip: Option<(u8, u8)>,
}

const HEADER_FIELDS: [&str; 7] = ["alg", "kid", "signer", "iss", "client", "typ", "exp"];
const CLAIM_NAMES: [&str; 9] = [
    "email",
    "name",
    "upn",
    "preferred_username",
    "username",
    "groups",
    "cognito:groups",
    "unique_name",
    "custom:login",
];

/// The expected outcome: `Ok(())` for authenticated, or the error code.
type Expected = Result<(), &'static str>;

fn str_field(f: &StrField, good: &str, alts: &[&str]) -> Option<Value> {
    match f {
        StrField::Good => Some(json!(good)),
        StrField::Absent => None,
        StrField::Alt(i) => Some(json!(alts[*i as usize % alts.len()])),
        StrField::Text(s) => Some(json!(s)),
        StrField::Any(j) => Some(j.value()),
    }
}

fn exp_value(e: &Exp) -> Option<Value> {
    match e {
        Exp::Relative(d) => Some(json!(NOW + i64::from(*d))),
        Exp::Absolute(a) => Some(json!(a)),
        Exp::Absent => None,
        Exp::Any(j) => Some(j.value()),
    }
}

/// A header string field as the verifier reads it: `Err` when it is not a string or null.
fn as_opt_str(v: Option<&Value>) -> Result<Option<&str>, ()> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(()),
    }
}

/// What an input turns into: the exact header text, the claims, and the config.
struct Built {
    header_text: String,
    /// The header text repeats a member.
    duplicated: bool,
    claims: Map<String, Value>,
    transforms: Vec<Transform>,
    config: String,
}

fn build(input: &Input) -> Built {
    let mut header = Map::new();
    let alg = str_field(
        &input.alg,
        "ES256",
        &[
            "none", "HS256", "RS256", "ES384", "es256", "ES256 ", "EdDSA",
        ],
    );
    let kid = str_field(
        &input.kid,
        KID,
        &[
            "11111111-2222-4333-8444-555555555556",
            "11111111-2222-4333-8444-55555555555",
            "../../etc/passwd",
            "11111111-2222-4333-8444-555555555555\r\nx: y",
            "11111111-2222-4333-8444-5555555555AA",
        ],
    );
    let signer = str_field(
        &input.signer,
        ALB,
        &[ALB_DR, ALB_OTHER, "arn:aws:elasticloadbalancing", ""],
    );
    let iss = str_field(&input.iss, ISSUER, &["https://accounts.google.com", ""]);
    let client = str_field(&input.client, CLIENT, &["other-client", ""]);
    let typ = str_field(&input.typ, "JWT", &["jwt", "JWE"]);
    for (name, v) in [
        ("alg", alg),
        ("kid", kid),
        ("signer", signer),
        ("iss", iss),
        ("client", client),
        ("typ", typ),
        ("exp", exp_value(&input.header_exp)),
    ] {
        if let Some(v) = v {
            header.insert(name.into(), v);
        }
    }
    for (k, v) in &input.header_extra {
        if !HEADER_FIELDS.contains(&k.as_str()) {
            header.insert(k.clone(), v.value());
        }
    }
    let mut duplicated = false;
    let mut header_text = Value::Object(header.clone()).to_string();
    if let Some((n, v)) = &input.duplicate {
        let name = HEADER_FIELDS[*n as usize % HEADER_FIELDS.len()];
        if header.contains_key(name) {
            // Inserted before the closing brace: a second member with the same name.
            duplicated = true;
            header_text.pop();
            header_text.push_str(&format!(",{}:{}}}", json!(name), v.value()));
        } else {
            header.insert(name.into(), v.value());
            header_text = Value::Object(header.clone()).to_string();
        }
    }

    // What an ALB sends, so short inputs authenticate; the fuzzer changes it from there.
    let mut claims = json!({
        "sub": "a1b2c3d4-0000-4000-8000-000000000001",
        "email": "Jane.Doe@Example.com",
        "name": "Jane Doe",
    })
    .as_object()
    .cloned()
    .unwrap_or_default();
    for (n, v) in &input.claims {
        claims.insert(
            CLAIM_NAMES[*n as usize % CLAIM_NAMES.len()].into(),
            v.value(),
        );
    }
    if let Some(sub) = &input.sub {
        claims.insert("sub".into(), sub.value());
    }
    if let Some(e) = exp_value(&input.payload_exp) {
        claims.insert("exp".into(), e);
    }
    if let Some(i) = str_field(&input.payload_iss, ISSUER, &["https://accounts.google.com"]) {
        claims.insert("iss".into(), i);
    }

    let mut transforms = Vec::new();
    let mut transforms_json = Vec::new();
    for t in input.transforms.iter().take(4) {
        let j = match t {
            TransformSpec::Lowercase => json!("lowercase"),
            TransformSpec::StripDomain => json!("strip_domain"),
            // Short patterns: compiling long ones dominates the run (username_transform
            // fuzzes regexes in depth).
            TransformSpec::Regex(re, rep) if re.len() <= 24 => json!({"regex": re, "replace": rep}),
            TransformSpec::Regex(..) => continue,
        };
        // An invalid regex is a config error, tested by the config target: skip it here.
        let Ok(t) = Transform::from_json(&j) else {
            continue;
        };
        transforms.push(t);
        transforms_json.push(j);
    }
    let username_claim = match input.username_claim % 4 {
        0 => "email",
        1 => "sub",
        _ => CLAIM_NAMES[input.username_claim as usize % CLAIM_NAMES.len()],
    };
    let mut extra = json!({
        "username_claim": username_claim,
        "username_transforms": transforms_json,
        "clock_skew_secs": input.clock_skew % 301,
    });
    if let Some(g) = input.groups_claim {
        extra["groups_claim"] = json!(CLAIM_NAMES[g as usize % CLAIM_NAMES.len()]);
    }
    Built {
        header_text,
        duplicated,
        claims,
        transforms,
        config: config_json(extra),
    }
}

/// The verifier's documented order of checks, applied to what this input built.
fn expect(input: &Input, built: &Built, payload: &str, username_claim: &str) -> Expected {
    let (claims, transforms) = (&built.claims, &built.transforms);
    let skew = i64::from(input.clock_skew % 301);
    // Header JSON: duplicates refused, string fields are strings (or null), exp an integer.
    let Ok(header) = serde_json::from_str::<Map<String, Value>>(&built.header_text) else {
        return Err("malformed_token");
    };
    if built.duplicated {
        return Err("malformed_token");
    }
    let mut fields = [None; 6];
    for (i, name) in ["alg", "kid", "signer", "iss", "client", "typ"]
        .iter()
        .enumerate()
    {
        fields[i] = as_opt_str(header.get(*name)).map_err(|_| "malformed_token")?;
    }
    let [alg, kid, signer, iss, client, _typ] = fields;
    let Some(header_exp) = header.get("exp").and_then(Value::as_i64) else {
        return Err("malformed_token");
    };
    if alg != Some("ES256") {
        return Err("unsupported_algorithm");
    }
    if signer != Some(ALB) && signer != Some(ALB_DR) {
        return Err("signer_not_trusted");
    }
    let kid = kid.unwrap_or("");
    if !albauth::token::is_uuid(kid) {
        return Err("invalid_key_id");
    }
    if kid != KID {
        return Err("key_unavailable");
    }
    if input.flip.is_some() {
        return Err("invalid_signature");
    }
    // Past the signature: the payload must parse (serde_json's nesting limit applies).
    if serde_json::from_str::<Map<String, Value>>(payload).is_err() {
        return Err("malformed_token");
    }
    let exp = match claims.get("exp") {
        None => header_exp,
        Some(v) => header_exp.min(v.as_i64().ok_or("malformed_token")?),
    };
    if NOW > exp.saturating_add(skew) {
        return Err("expired");
    }
    if let Some(pi) = claims.get("iss") {
        if pi.as_str() != iss {
            return Err("issuer_mismatch");
        }
    }
    if iss != Some(ISSUER) {
        return Err("issuer_mismatch");
    }
    if client != Some(CLIENT) {
        return Err("client_mismatch");
    }
    let sub = match claims.get("sub") {
        Some(Value::String(s)) if !s.is_empty() => s.as_str(),
        _ => return Err("claim_missing"),
    };
    if let Identity::Text(t) = &input.identity {
        if t != sub {
            return Err("identity_mismatch");
        }
    }
    let raw = match claims.get(username_claim) {
        Some(Value::String(s)) if !s.is_empty() => s.as_str(),
        _ => return Err("claim_missing"),
    };
    // A non-ASCII character that lower- or upper-cases to ASCII (Kelvin sign, long s, ...).
    let lookalike = |c: char| {
        !c.is_ascii()
            && c.to_lowercase()
                .chain(c.to_uppercase())
                .any(|m| m.is_ascii())
    };
    if raw.chars().any(lookalike) {
        return Err("username_not_allowed");
    }
    if albauth::claims::apply_transforms(transforms, raw).is_empty() {
        return Err("claim_missing");
    }
    Ok(())
}

/// Verifiers by config text: building one (PEM, regexes) costs more than the whole check, and
/// a verifier with the token cache off keeps no state between inputs.
fn verifier_for(config: &str) -> Arc<Verifier> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Verifier>>>> = OnceLock::new();
    let mut cache = CACHE.get_or_init(Default::default).lock().unwrap();
    if let Some(v) = cache.get(config) {
        return v.clone();
    }
    if cache.len() >= 256 {
        cache.clear();
    }
    let v = Arc::new(Verifier::from_json(config).expect("the target builds valid configs"));
    cache.insert(config.to_string(), v.clone());
    v
}

fuzz_target!(|input: Input| {
    let built = build(&input);
    let claims = &built.claims;
    let payload = Value::Object(claims.clone()).to_string();
    let token = token(
        built.header_text.as_bytes(),
        payload.as_bytes(),
        input.padded,
        input.flip,
    );
    // Over 16 KiB the header is refused before decoding; that is the verify_headers target's.
    if token.len() > albauth::MAX_HEADER_BYTES {
        return;
    }
    let verifier = verifier_for(&built.config);
    let username_claim = verifier.config().username_claim().to_string();
    let sub = claims
        .get("sub")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let mut headers = vec![("x-amzn-oidc-data", token.as_str())];
    match &input.identity {
        Identity::Absent => {}
        Identity::Sub => headers.push(("x-amzn-oidc-identity", sub.as_str())),
        Identity::Text(t) if t.len() > albauth::MAX_HEADER_BYTES => return,
        Identity::Text(t) => headers.push(("X-Amzn-Oidc-Identity", t.as_str())),
    }
    let expected = expect(&input, &built, &payload, &username_claim);
    let outcome = verifier.verify(headers, Some(NOW));
    match (&outcome, expected) {
        (Outcome::Authenticated(id), Ok(())) => {
            assert_eq!(id.sub(), sub);
            assert_eq!(id.issuer(), Some(ISSUER));
            assert!(!id.username().is_empty());
            let raw = claims[&username_claim].as_str().unwrap_or_default();
            assert_eq!(
                id.username(),
                albauth::claims::apply_transforms(&built.transforms, raw)
            );
            assert!(id.groups().iter().all(|g| !g.is_empty()));
            assert!(
                NOW <= id
                    .expires_at()
                    .saturating_add(i64::from(input.clock_skew % 301))
            );
        }
        (Outcome::Rejected(e), Err(code)) => assert_eq!(e.code(), code, "{}", e.detail()),
        (o, e) => panic!("verifier said {o:?}, expected {e:?}"),
    }
});
