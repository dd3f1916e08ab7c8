//! `albauth keys new`: a test ALB key pair and a ready config that pins its public key.
//!
//! Exit status: 0 written, 2 usage error, invalid value or a file that cannot be written
//! (nothing is overwritten: an existing key is somebody's).

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::process::ExitCode;

use p256::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use serde_json::json;

use crate::args::{self, Flags};
use crate::random;

/// Example values for a config made without `--signer`, `--iss` or `--client`. None is a
/// real AWS resource.
const EXAMPLE_SIGNER: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/albauth-test/0123456789abcdef";
/// See [`EXAMPLE_SIGNER`].
const EXAMPLE_ISSUER: &str = "https://idp.example.com";
/// See [`EXAMPLE_SIGNER`].
const EXAMPLE_CLIENT: &str = "albauth-test-client";

const USAGE: &str = "usage: albauth keys new --out DIR [--signer ARN] [--iss URL] [--client ID]";

fn help() -> String {
    format!(
        "{USAGE}

Writes a test ALB key pair and a config that trusts it, for `albauth mint` and
`albauth check`:
  DIR/alb.key       the P-256 private key (PKCS#8 PEM, mode 0600): a test key, never a real one
  DIR/alb.pem       its public key (SubjectPublicKeyInfo PEM, as the ALB key endpoint serves)
  DIR/albauth.json  a config: alb.pem pinned under a fresh random kid (UUID), the ALB
                    --signer trusted, --iss and --client accepted; no network access

  --out DIR        where to write (created if missing; existing files are never overwritten)
  --signer ARN     the trusted ALB (default {EXAMPLE_SIGNER})
  --iss URL        the accepted issuer (default {EXAMPLE_ISSUER})
  --client ID      the accepted client id (default {EXAMPLE_CLIENT})

Prints the files written and the mint and check commands to run next.
Exit status: 0 written, 2 usage error or nothing written.
"
    )
}

fn fail(what: &str) -> ExitCode {
    eprintln!("albauth keys: {what}\n{USAGE}");
    ExitCode::from(2)
}

struct Args {
    out: String,
    signer: String,
    iss: String,
    client: String,
}

enum Parsed {
    New(Args),
    Help,
}

fn parse(argv: impl Iterator<Item = String>) -> Result<Parsed, String> {
    let mut flags = Flags::new(argv);
    match flags.next_flag().as_deref() {
        Some("new") => {}
        Some("-h" | "--help") => return Ok(Parsed::Help),
        Some(other) if other.starts_with('-') => return Err(args::unknown(other)),
        Some(_) => return Err("unknown subcommand (the one is `new`)".to_string()),
        None => return Err("a subcommand is needed: `new`".to_string()),
    }
    let (mut out, mut signer, mut iss, mut client) = (None, None, None, None);
    while let Some(a) = flags.next_flag() {
        match a.as_str() {
            "--out" => out = Some(flags.value("--out")?),
            "--signer" => signer = Some(flags.value("--signer")?),
            "--iss" => iss = Some(flags.value("--iss")?),
            "--client" => client = Some(flags.value("--client")?),
            "-h" | "--help" => return Ok(Parsed::Help),
            other => return Err(args::unknown(other)),
        }
    }
    Ok(Parsed::New(Args {
        out: out.ok_or("--out is required")?,
        signer: signer.unwrap_or_else(|| EXAMPLE_SIGNER.to_string()),
        iss: iss.unwrap_or_else(|| EXAMPLE_ISSUER.to_string()),
        client: client.unwrap_or_else(|| EXAMPLE_CLIENT.to_string()),
    }))
}

/// Runs `albauth keys ARGS`.
pub fn main(argv: impl Iterator<Item = String>) -> ExitCode {
    let args = match parse(argv) {
        Ok(Parsed::New(a)) => a,
        Ok(Parsed::Help) => {
            print!("{}", help());
            return ExitCode::SUCCESS;
        }
        Err(e) => return fail(&e),
    };
    match new(&args) {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("albauth keys new: {e}");
            ExitCode::from(2)
        }
    }
}

/// Makes the key pair and config, writes the three files, returns what to print.
fn new(a: &Args) -> Result<String, String> {
    let key = random::signing_key()?;
    let kid = random::uuid_v4()?;
    let private = key
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| format!("cannot encode the key: {e}"))?;
    let public = key
        .verifying_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| format!("cannot encode the public key: {e}"))?;
    let config = json!({
        "trusted_albs": [a.signer],
        "issuer": a.iss,
        "client_id": a.client,
        "pinned_keys": {kid.as_str(): public},
    });
    let config = serde_json::to_string_pretty(&config).expect("JSON") + "\n";
    // The config must load as written: a bad --signer or --iss is reported now, by field.
    albauth::Config::from_json(&config)
        .map_err(|e| format!("nothing written: the config would not load: {}", e.detail()))?;

    let dir = Path::new(&a.out);
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create --out {}: {}", a.out, args::why(&e)))?;
    let files = [
        ("alb.key", private.as_bytes(), 0o600),
        ("alb.pem", public.as_bytes(), 0o644),
        ("albauth.json", config.as_bytes(), 0o644),
    ];
    if let Some((name, ..)) = files.iter().find(|(n, ..)| dir.join(n).exists()) {
        return Err(format!(
            "{} exists; nothing written (remove it, or choose another --out)",
            dir.join(name).display()
        ));
    }
    for (name, bytes, mode) in files {
        let path = dir.join(name);
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(&path)
            .and_then(|mut f| f.write_all(bytes))
            .map_err(|e| format!("cannot write {}: {}", path.display(), args::why(&e)))?;
    }

    let at = |name: &str| dir.join(name).display().to_string();
    let q = |s: &str| sh_quote(s);
    Ok(format!(
        "wrote {key_path:<w$}  P-256 private key (PKCS#8 PEM): a test key, never a real one
wrote {pem_path:<w$}  its public key
wrote {cfg_path:<w$}  config: trusts {signer}, pins alb.pem under kid {kid}
next:
  albauth mint --key {qkey} --kid {kid} --signer {qsigner} --iss {qiss} --client {qclient} | sed 's/^/x-amzn-oidc-data: /' > {qheaders}
  albauth check --config {qcfg} --header-file {qheaders} --explain
",
        key_path = at("alb.key"),
        pem_path = at("alb.pem"),
        cfg_path = at("albauth.json"),
        w = at("albauth.json").len(),
        signer = a.signer,
        qkey = q(&at("alb.key")),
        qsigner = q(&a.signer),
        qiss = q(&a.iss),
        qclient = q(&a.client),
        qheaders = q(&at("headers.txt")),
        qcfg = q(&at("albauth.json")),
    ))
}

/// `s` as one POSIX shell word: as is when it has no special characters, else single-quoted.
fn sh_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-./:=@%+,".contains(&b));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}
