//! Quickstart: the whole ALB flow on one machine, no AWS account and no network.
//!
//! 1. makes a P-256 key and serves it, ALB-style (one PEM per kid), on 127.0.0.1;
//! 2. signs an ALB-style `x-amzn-oidc-data` token, base64url WITH `=` padding, as the ALB does;
//! 3. builds a verifier whose `key_url` points at that server, verifies the token, and prints
//!    the identity as JSON, then shows that a token from another ALB is refused;
//! 4. prints what to run next: the installed `albauth` command with a key and config of your own.
//!
//! `cargo run --release --example quickstart`

#[path = "../tests/common/mod.rs"]
mod common;

use albauth::{Outcome, Verifier};
use common::{AlbToken, KeyServer, TestKey, ALB, ALB_OTHER, NOW};
use serde_json::json;

fn main() {
    let key = TestKey::new(7);
    let server = KeyServer::start(&[&key]);
    let config = common::config(
        Some(&server),
        &[],
        json!({"groups_claim": "groups", "username_transforms": ["strip_domain", "lowercase"]}),
    );
    println!("config: {config}");
    let verifier = Verifier::from_json(&config).expect("config");

    let token = AlbToken::new(&key)
        .claim("groups", json!(["jira-users", "jira-admins"]))
        .sign(&key);
    println!("token (padded, as the ALB sends it): {}...", &token[..48]);

    let headers = [("X-Amzn-Oidc-Data", token.as_str())];
    match verifier.verify(headers, Some(NOW)) {
        Outcome::Authenticated(id) => println!(
            "{}",
            json!({
                "outcome": "authenticated",
                "username": id.username(),
                "display_name": id.display_name(),
                "email": id.email(),
                "groups": id.groups(),
                "sub": id.sub(),
            })
        ),
        other => {
            eprintln!("unexpected: {other:?}");
            std::process::exit(1);
        }
    }

    let forged = AlbToken::new(&key).header("signer", ALB_OTHER).sign(&key);
    match verifier.verify([("x-amzn-oidc-data", forged.as_str())], Some(NOW)) {
        Outcome::Rejected(e) => println!(
            "a token signed for another ALB than {ALB} is refused: {}",
            e.code()
        ),
        other => {
            eprintln!("unexpected: {other:?}");
            std::process::exit(1);
        }
    }
    println!(
        "key fetches from the loopback key server: {}",
        server.requests()
    );
    print!("{NEXT}");
}

/// The three commands to try next; `albauth keys new` prints the other two filled in.
const NEXT: &str = "
Next: the same with a key and config of your own, through the installed command:
  cargo install --path .                  # puts `albauth` on PATH
  albauth keys new --out albauth-test     # a test key, its public key, a config pinning it
  albauth mint --key albauth-test/alb.key --kid KID --signer ARN --iss URL --client ID \\
      | sed 's/^/x-amzn-oidc-data: /' > albauth-test/headers.txt
  albauth check --config albauth-test/albauth.json --header-file albauth-test/headers.txt --explain
(`keys new` prints the mint and check commands with its KID, ARN, URL and ID filled in.)
";
