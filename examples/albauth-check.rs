//! albauth-check: the admin's troubleshooting tool, and a black-box test surface.
//!
//! ```text
//! cargo run --release --example albauth-check -- --config FILE [--now UNIX_SECONDS]
//!     [--header 'Name: value']... [--batch FILE] [--explain]
//! ```
//! Prints one JSON object per verification on stdout. Exit status: 0 authenticated,
//! 1 rejected, 3 anonymous, 2 config or usage error; with `--batch`, 0 when the batch ran.
//! `--explain` writes each check, in order, with pass/fail and why, to stderr: what an admin
//! pastes into a support ticket (it never prints a token or a claim value).

use std::io::{BufRead, Write};

use std::process::ExitCode;

use albauth::{Outcome, Verifier};
use serde_json::{json, Value};

const USAGE: &str = "usage: albauth-check --config FILE [--now UNIX_SECONDS] [--header 'Name: value']... [--batch FILE] [--explain]";

struct Args {
    config: String,
    now: Option<i64>,
    headers: Vec<(String, String)>,
    batch: Option<String>,
    explain: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let (mut config, mut now, mut headers, mut batch, mut explain) =
        (None, None, Vec::new(), None, false);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--config" => config = Some(value("--config")?),
            "--now" => {
                let v = value("--now")?;
                now = Some(
                    v.parse::<i64>()
                        .map_err(|_| "--now takes whole UNIX seconds".to_string())?,
                );
            }
            "--header" => {
                let v = value("--header")?;
                let (n, val) = v
                    .split_once(':')
                    .ok_or("--header takes 'Name: value'".to_string())?;
                headers.push((n.trim().to_string(), val.trim().to_string()));
            }
            "--batch" => batch = Some(value("--batch")?),
            "--explain" => explain = true,
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let config = config.ok_or("--config is required".to_string())?;
    if batch.is_some() && !headers.is_empty() {
        return Err("--batch and --header are exclusive".to_string());
    }
    Ok(Args {
        config,
        now,
        headers,
        batch,
        explain,
    })
}

fn config_error(detail: &str) -> ExitCode {
    println!("{}", json!({"outcome": "config_error", "detail": detail}));
    ExitCode::from(2)
}

fn result_json(o: &Outcome) -> Value {
    match o {
        Outcome::Authenticated(id) => json!({
            "outcome": "authenticated",
            "username": id.username(),
            "display_name": id.display_name(),
            "email": id.email(),
            "groups": id.groups(),
            "sub": id.sub(),
        }),
        Outcome::Anonymous => json!({"outcome": "anonymous"}),
        Outcome::Rejected(e) => json!({
            "outcome": "rejected",
            "error": e.code(),
            "detail": e.detail(),
        }),
    }
}

fn exit_code(o: &Outcome) -> u8 {
    match o {
        Outcome::Authenticated(_) => 0,
        Outcome::Rejected(_) => 1,
        Outcome::Anonymous => 3,
    }
}

fn verify(v: &Verifier, headers: &[(String, String)], now: Option<i64>, explain: bool) -> Outcome {
    if explain {
        let (o, e) = v.verify_explained(headers.iter().map(|(n, v)| (n, v)), now);
        eprintln!("{}", e.render());
        o
    } else {
        v.verify(headers.iter().map(|(n, v)| (n, v)), now)
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => return config_error(&format!("{e}; {USAGE}")),
    };
    let text = match std::fs::read_to_string(&args.config) {
        Ok(t) => t,
        Err(e) => return config_error(&format!("cannot read --config file: {}", e.kind())),
    };
    let verifier = match Verifier::from_json(&text) {
        Ok(v) => v,
        Err(e) => return config_error(e.detail()),
    };

    let Some(batch) = &args.batch else {
        let o = verify(&verifier, &args.headers, args.now, args.explain);
        println!("{}", result_json(&o));
        return ExitCode::from(exit_code(&o));
    };
    let file = match std::fs::File::open(batch) {
        Ok(f) => f,
        Err(e) => return config_error(&format!("cannot read --batch file: {}", e.kind())),
    };
    let mut out = std::io::stdout().lock();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let Ok(line) = line else {
            return config_error(&format!("--batch line {}: not UTF-8 text", n + 1));
        };
        if line.trim().is_empty() {
            continue;
        }
        let headers: Vec<(String, String)> = match serde_json::from_str::<Value>(&line) {
            Ok(Value::Object(m)) => m
                .into_iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
                .collect(),
            _ => {
                let _ = writeln!(
                    out,
                    "{}",
                    json!({"outcome": "config_error", "detail": format!("--batch line {}: not a JSON object of header name to value", n + 1)})
                );
                continue;
            }
        };
        let o = verify(&verifier, &headers, args.now, args.explain);
        let _ = writeln!(out, "{}", result_json(&o));
    }
    ExitCode::SUCCESS
}
