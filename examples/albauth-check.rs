//! albauth-check: the admin's troubleshooting tool, and a black-box test surface. The same
//! code as `albauth check` (src/bin/albauth/check.rs); prefer the installed `albauth check`.
//!
//! ```text
//! cargo run --release --example albauth-check -- --config FILE [--now UNIX_SECONDS]
//!     [--header 'Name: value']... [--header-file FILE] [--batch FILE] [--explain]
//! ```
//! Prints one JSON object per verification on stdout. Exit status: 0 authenticated,
//! 1 rejected, 3 anonymous, 2 config or usage error; with `--batch`, 0 when the batch ran.

use std::process::ExitCode;

// The `albauth` binary's modules, compiled into this example: nothing is written twice.
#[path = "../src/bin/albauth/args.rs"]
mod args;
#[path = "../src/bin/albauth/check.rs"]
mod check;

fn main() -> ExitCode {
    check::main("albauth-check", std::env::args().skip(1))
}
