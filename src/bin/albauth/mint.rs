//! `albauth mint`: an ALB-shaped `x-amzn-oidc-data` token signed now with a test key.
//!
//! Shaped as the ALB sends it: JOSE header `typ`, `kid`, `alg` (ES256), `iss`, `client`,
//! `signer`, `exp`; payload claims then `exp` and `iss`; every segment base64url WITH `=`
//! padding, the signature over the segments as sent. The token goes to stdout only.
//!
//! Exit status: 0 token printed, 2 usage error or unusable key.

use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use p256::pkcs8::DecodePrivateKey;
use serde_json::{json, Map, Value};

use crate::args::{self, Flags};

const USAGE: &str = "usage: albauth mint --key FILE --kid KID --signer ARN --iss URL --client ID \
                     [--claim NAME=VALUE]... [--claim-json NAME=JSON]... [--exp-in SECONDS] \
                     [--now UNIX_SECONDS]";

/// Default lifetime: the ALB's own (about two minutes).
const DEFAULT_EXP_IN: i64 = 120;

fn help() -> String {
    format!(
        "{USAGE}

Prints on stdout an ALB-shaped x-amzn-oidc-data token (padded segments, as the ALB sends),
signed with a test key from `albauth keys new`, for `albauth check`, the Jetty demo and the
C example.

  --key FILE             the P-256 private key (PKCS#8 or SEC1 PEM)
  --kid KID              the JOSE header `kid` (the key's pinned kid in the config)
  --signer ARN           the header `signer`: the ALB that \"signed\"
  --iss URL              the header and payload `iss`
  --client ID            the header `client`
  --claim NAME=VALUE     set a payload claim to a string; repeat for several
  --claim-json NAME=JSON set a payload claim to any JSON value (a list, a number, null)
  --exp-in SECONDS       exp = now + SECONDS (default {DEFAULT_EXP_IN}; negative: already expired)
  --now UNIX_SECONDS     sign as of this time instead of the system clock

Default claims: sub \"albauth-test-user\", email \"test.user@example.com\", name \"Test User\";
--claim and --claim-json replace them or add others.
Exit status: 0 token printed, 2 usage error or unusable key.
"
    )
}

fn fail(what: &str) -> ExitCode {
    eprintln!("albauth mint: {what}\n{USAGE}");
    ExitCode::from(2)
}

struct Args {
    key: String,
    kid: String,
    signer: String,
    iss: String,
    client: String,
    claims: Vec<(String, Value)>,
    exp_in: i64,
    now: Option<i64>,
}

enum Parsed {
    Mint(Args),
    Help,
}

/// `NAME=VALUE` of `--claim` (a string) or `--claim-json` (parsed).
fn claim(flag: &str, arg: &str, json: bool) -> Result<(String, Value), String> {
    let (name, value) = arg
        .split_once('=')
        .filter(|(n, _)| !n.is_empty())
        .ok_or_else(|| format!("{flag} takes NAME=VALUE"))?;
    let value = if json {
        serde_json::from_str(value).map_err(|_| format!("{flag} {name}: the value is not JSON"))?
    } else {
        Value::String(value.to_string())
    };
    Ok((name.to_string(), value))
}

fn parse(argv: impl Iterator<Item = String>) -> Result<Parsed, String> {
    let mut flags = Flags::new(argv);
    let (mut key, mut kid, mut signer, mut iss, mut client) = (None, None, None, None, None);
    let (mut claims, mut exp_in, mut now) = (Vec::<(String, Value)>::new(), DEFAULT_EXP_IN, None);
    let seconds = |flag: &str, v: String| {
        v.parse::<i64>()
            .map_err(|_| format!("{flag} takes whole seconds"))
    };
    while let Some(a) = flags.next_flag() {
        match a.as_str() {
            "--key" => key = Some(flags.value("--key")?),
            "--kid" => kid = Some(flags.value("--kid")?),
            "--signer" => signer = Some(flags.value("--signer")?),
            "--iss" => iss = Some(flags.value("--iss")?),
            "--client" => client = Some(flags.value("--client")?),
            "--claim" | "--claim-json" => {
                let (name, value) = claim(&a, &flags.value(&a)?, a == "--claim-json")?;
                if claims.iter().any(|(n, _)| *n == name) {
                    return Err(format!("claim `{name}` given twice"));
                }
                claims.push((name, value));
            }
            "--exp-in" => exp_in = seconds("--exp-in", flags.value("--exp-in")?)?,
            "--now" => now = Some(seconds("--now", flags.value("--now")?)?),
            "-h" | "--help" => return Ok(Parsed::Help),
            other => return Err(args::unknown(other)),
        }
    }
    let need = |v: Option<String>, flag: &str| v.ok_or(format!("{flag} is required"));
    Ok(Parsed::Mint(Args {
        key: need(key, "--key")?,
        kid: need(kid, "--kid")?,
        signer: need(signer, "--signer")?,
        iss: need(iss, "--iss")?,
        client: need(client, "--client")?,
        claims,
        exp_in,
        now,
    }))
}

/// Runs `albauth mint ARGS`.
pub fn main(argv: impl Iterator<Item = String>) -> ExitCode {
    let args = match parse(argv) {
        Ok(Parsed::Mint(a)) => a,
        Ok(Parsed::Help) => {
            print!("{}", help());
            return ExitCode::SUCCESS;
        }
        Err(e) => return fail(&e),
    };
    let key = match read_key(&args.key) {
        Ok(k) => k,
        Err(e) => {
            eprintln!("albauth mint: {e}");
            return ExitCode::from(2);
        }
    };
    let now = args.now.unwrap_or_else(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)
    });
    println!("{}", token(&key, &args, now.saturating_add(args.exp_in)));
    ExitCode::SUCCESS
}

/// A P-256 private key from a PKCS#8 (`albauth keys new`) or SEC1 (`openssl ecparam`) PEM.
fn read_key(path: &str) -> Result<SigningKey, String> {
    let pem = args::read_text("--key", path)?;
    SigningKey::from_pkcs8_pem(&pem)
        .ok()
        .or_else(|| p256::SecretKey::from_sec1_pem(&pem).ok().map(Into::into))
        .ok_or_else(|| format!("--key {path}: not a P-256 private key (PKCS#8 or SEC1 PEM)"))
}

/// The signed token, `exp` as given.
fn token(key: &SigningKey, a: &Args, exp: i64) -> String {
    let header = json!({
        "typ": "JWT",
        "kid": a.kid,
        "alg": "ES256",
        "iss": a.iss,
        "client": a.client,
        "signer": a.signer,
        "exp": exp,
    });
    let mut claims: Map<String, Value> = Map::new();
    claims.insert("sub".into(), "albauth-test-user".into());
    claims.insert("email".into(), "test.user@example.com".into());
    claims.insert("name".into(), "Test User".into());
    claims.insert("exp".into(), exp.into());
    claims.insert("iss".into(), a.iss.clone().into());
    for (name, value) in &a.claims {
        claims.insert(name.clone(), value.clone());
    }
    // The ALB pads every segment; the signature covers the segments exactly as sent.
    let b64 = base64::engine::general_purpose::URL_SAFE;
    let input = format!(
        "{}.{}",
        b64.encode(header.to_string()),
        b64.encode(Value::Object(claims).to_string())
    );
    let signature: Signature = key.sign(input.as_bytes());
    format!("{input}.{}", b64.encode(signature.to_bytes()))
}
