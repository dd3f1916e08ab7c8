//! `albauth`: the installed command. `albauth check` verifies headers (the admin's
//! troubleshooting tool), `albauth keys new` and `albauth mint` make test keys, configs and
//! ALB-shaped tokens. `cargo install --path .` puts it on PATH.
//!
//! The examples (`examples/albauth-check.rs`) are thin entry points into these same modules.
//! Token minting lives here, not in the library: libalbauth never signs anything.

use std::process::ExitCode;

mod args;
mod check;
mod keys;
mod mint;
mod random;

const USAGE: &str = "usage: albauth COMMAND [FLAGS]   (albauth COMMAND --help for its flags)";

fn help() -> String {
    format!(
        "{} — verify AWS ALB OIDC identity headers

{USAGE}

commands:
  check      verify a request's x-amzn-oidc-* headers against a config, print the result
             as JSON (exit 0 authenticated, 1 rejected, 3 anonymous, 2 config/usage error)
  keys new   make a test ALB key pair and a ready config that pins it
  mint       sign an ALB-shaped test token with such a key (printed on stdout)

  --version  print the version

Test tokens, step by step:
  albauth keys new --out albauth-test     # prints the other two commands, filled in
  albauth mint --key albauth-test/alb.key --kid KID --signer ARN --iss URL --client ID \\
      | sed 's/^/x-amzn-oidc-data: /' > albauth-test/headers.txt
  albauth check --config albauth-test/albauth.json --header-file albauth-test/headers.txt --explain

Exit status of keys and mint: 0 done, 2 usage error or nothing done.
",
        albauth::VERSION
    )
}

fn main() -> ExitCode {
    let mut argv = std::env::args().skip(1);
    match argv.next().as_deref() {
        Some("check") => check::main("albauth check", argv),
        Some("mint") => mint::main(argv),
        Some("keys") => keys::main(argv),
        Some("-h" | "--help" | "help") => {
            print!("{}", help());
            ExitCode::SUCCESS
        }
        Some("-V" | "--version") => {
            println!("{}", albauth::VERSION);
            ExitCode::SUCCESS
        }
        Some(other) => {
            let what = if other.starts_with('-') {
                args::unknown(other)
            } else if other.len() <= 40 && other.bytes().all(|b| b.is_ascii_alphanumeric()) {
                format!("unknown command `{other}`")
            } else {
                "unknown command".to_string()
            };
            eprintln!("albauth: {what}\n{USAGE}");
            ExitCode::from(2)
        }
        None => {
            eprintln!("albauth: a command is needed (check, keys, mint)\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
