//! `albauth check` (and the `albauth-check` example, the same code): verify headers against
//! a config, print one JSON result per verification on stdout.
//!
//! Exit status: 0 authenticated, 1 rejected, 3 anonymous, 2 config or usage error; with
//! `--batch`, 0 when the batch ran. `--explain` writes each check, in order, with pass/fail
//! and why, to stderr: what an admin pastes into a support ticket. Nothing this command
//! prints contains a token or a claim value, except the identity of an authenticated user
//! on stdout.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use albauth::provision::{Action, LookupCache, Plan, Source, UserRecord};
use albauth::{Outcome, Verifier};
use serde_json::{json, Value};

use crate::args::{self, Flags};

/// One line of usage, for usage errors.
fn usage(prog: &str) -> String {
    format!(
        "usage: {prog} --config FILE [--now UNIX_SECONDS] [--header 'Name: value']... \
         [--header-file FILE] [--batch FILE] [--current-user FILE|none] [--explain]"
    )
}

/// `--help`: the usage line, then what each flag does.
fn help(prog: &str) -> String {
    format!(
        "{}

Verifies one request's x-amzn-oidc-* headers against a config and prints the result as one
JSON object on stdout.

  --config FILE        the albauth JSON config (required)
  --header 'N: v'      a request header; repeat for several
  --header-file FILE   request headers, one `Name: value` a line (`-`: standard input);
                       keeps a token out of the command line and the shell history
  --batch FILE         one JSON object of header name to value a line; one result a line,
                       all through one verifier (caches apply)
  --now UNIX_SECONDS   verify as of this time (replays captured, expired tokens)
  --current-user F     plan provisioning for an authenticated login: F holds the host's
                       record of the user as JSON (username, display_name, email, active,
                       groups, attributes.idp_id), or `none` for no record; the result
                       then carries `plan` (nothing is changed); with
                       provisioning.source directory, the IdP's directory is asked
                       first, so the plan is the merged one
  --explain            on stderr, each check in order with pass/fail and why, and warnings
                       for disabled checks; never a token or a claim value

Exit status: 0 authenticated, 1 rejected, 3 anonymous, 2 config or usage error
(with --batch: 0 when the batch ran).
",
        usage(prog)
    )
}

struct Args {
    config: String,
    now: Option<i64>,
    headers: Vec<(String, String)>,
    batch: Option<String>,
    /// `--current-user`: `Some(None)` = `none` (no host record).
    current_user: Option<Option<String>>,
    explain: bool,
}

enum Parsed {
    Run(Args),
    Help,
}

/// A `Name: value` header; errors never repeat the text (it may hold a token).
fn header_line(line: &str) -> Option<(String, String)> {
    let (n, v) = line.split_once(':')?;
    let n = n.trim();
    if n.is_empty() {
        return None;
    }
    Some((n.to_string(), v.trim().to_string()))
}

/// The headers of a `--header-file`: one `Name: value` a line, blank lines skipped.
fn header_file(path: &str) -> Result<Vec<(String, String)>, String> {
    let text = args::read_text("--header-file", path)?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            header_line(l).ok_or_else(|| {
                format!(
                    "--header-file {path} line {}: expected `Name: value`",
                    n + 1
                )
            })
        })
        .collect()
}

fn parse(argv: impl Iterator<Item = String>) -> Result<Parsed, String> {
    let mut flags = Flags::new(argv);
    let (mut config, mut now, mut headers, mut batch, mut explain) =
        (None, None, Vec::new(), None, false);
    let mut current_user = None;
    while let Some(a) = flags.next_flag() {
        match a.as_str() {
            "--config" => config = Some(flags.value("--config")?),
            "--now" => {
                let v = flags.value("--now")?;
                now = Some(
                    v.parse::<i64>()
                        .map_err(|_| "--now takes whole UNIX seconds".to_string())?,
                );
            }
            "--header" => {
                let v = flags.value("--header")?;
                headers.push(header_line(&v).ok_or("--header takes 'Name: value'")?);
            }
            "--header-file" => headers.extend(header_file(&flags.value("--header-file")?)?),
            "--batch" => batch = Some(flags.value("--batch")?),
            "--current-user" => {
                let v = flags.value("--current-user")?;
                current_user = Some((v != "none").then_some(v));
            }
            "--explain" => explain = true,
            "-h" | "--help" => return Ok(Parsed::Help),
            other => return Err(args::unknown(other)),
        }
    }
    let config = config.ok_or("--config is required")?;
    if batch.is_some() && !headers.is_empty() {
        return Err("--batch and --header/--header-file are exclusive".to_string());
    }
    Ok(Parsed::Run(Args {
        config,
        now,
        headers,
        batch,
        current_user,
        explain,
    }))
}

fn print_line(v: &Value) {
    // A closed stdout (`| head`) is not an error worth a panic.
    let _ = writeln!(std::io::stdout().lock(), "{v}");
}

fn config_error(detail: &str) -> ExitCode {
    print_line(&json!({"outcome": "config_error", "detail": detail}));
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

/// One verification's JSON result; with `--current-user`, an authenticated one carries the
/// provisioning plan (and `--explain` shows why each action was planned).
fn result(
    v: &Verifier,
    headers: &[(String, String)],
    args: &Args,
    current: Option<&Current>,
    lookups: Option<&LookupCache>,
) -> (Outcome, Value) {
    let o = verify(v, headers, args.now, args.explain);
    let mut out = result_json(&o);
    if let (Some(current), Outcome::Authenticated(id)) = (current, &o) {
        // `provisioning.source: directory`: the IdP's directory is asked, as at a real login,
        // so the plan shown is the merged one.
        let plan = match lookups {
            Some(l) => l.plan_login(id, current.0.as_ref(), v.config().provisioning()),
            None => v.plan_login(id, current.0.as_ref()),
        };
        if args.explain {
            eprintln!("{}", explain_plan(&plan));
        }
        out["plan"] = serde_json::to_value(&plan).unwrap_or(Value::Null);
    }
    (o, out)
}

/// The host's record given by `--current-user` (`None` inside: `none`, no record).
struct Current(Option<UserRecord>);

fn read_current(arg: &Option<String>) -> Result<Current, String> {
    match arg {
        None => Ok(Current(None)),
        Some(path) => {
            let text = args::read_text("--current-user", path)?;
            UserRecord::from_json(&text)
                .map(|r| Current(Some(r)))
                .map_err(|e| format!("--current-user {path}: {}", e.detail()))
        }
    }
}

/// Why each action was planned, for stderr: action names, groups, changed field names and
/// reasons; never a username, e-mail or other attribute value.
fn explain_plan(plan: &Plan) -> String {
    let mut lines = Vec::new();
    if let Some(r) = plan.refused {
        lines.push(format!(
            "plan     refused          {} ({})",
            r.code(),
            plan.detail.as_deref().unwrap_or("")
        ));
    }
    if plan.actions.is_empty() && plan.refused.is_none() {
        lines.push("plan     nothing to do    the host record is up to date".to_string());
    }
    for a in &plan.actions {
        let what = match a {
            Action::AddToGroup { group, .. } | Action::RemoveFromGroup { group, .. } => {
                format!("{} {group}", a.name())
            }
            Action::UpdateUser { changes, .. } => {
                let fields: Vec<&str> = changes.keys().copied().collect();
                format!("{} ({})", a.name(), fields.join(", "))
            }
            _ => a.name().to_string(),
        };
        lines.push(format!("plan     {what:<16} {}", a.reason()));
    }
    lines.join("\n")
}

/// Runs the command; `prog` is how usage names it (`albauth check` or `albauth-check`).
pub fn main(prog: &str, argv: impl Iterator<Item = String>) -> ExitCode {
    let args = match parse(argv) {
        Ok(Parsed::Run(a)) => a,
        Ok(Parsed::Help) => {
            print!("{}", help(prog));
            return ExitCode::SUCCESS;
        }
        Err(e) => return config_error(&format!("{e}; {}", usage(prog))),
    };
    let text = match args::read_text("--config", &args.config) {
        Ok(t) => t,
        Err(e) => return config_error(&e),
    };
    let verifier = match Verifier::from_json(&text) {
        Ok(v) => v,
        Err(e) => return config_error(e.detail()),
    };
    let current = match &args.current_user {
        None => None,
        Some(arg) => match read_current(arg) {
            Ok(c) => Some(c),
            Err(e) => return config_error(&e),
        },
    };
    let lookups = match directory_lookups(&verifier, current.is_some()) {
        Ok(l) => l,
        Err(e) => return config_error(&e),
    };
    match &args.batch {
        None => {
            let (o, out) = result(
                &verifier,
                &args.headers,
                &args,
                current.as_ref(),
                lookups.as_ref(),
            );
            print_line(&out);
            ExitCode::from(exit_code(&o))
        }
        Some(batch) => run_batch(&verifier, batch, &args, current.as_ref(), lookups.as_ref()),
    }
}

/// With `--current-user` and `provisioning.source: directory`: the connector, behind the
/// lookup cache, that plans ask.
fn directory_lookups(v: &Verifier, planning: bool) -> Result<Option<LookupCache>, String> {
    let config = v.config();
    if !planning || config.provisioning().source != Source::Directory {
        return Ok(None);
    }
    let Some(sync) = config.directory_sync() else {
        return Ok(None);
    };
    let directory = albauth::directory::connect(
        &sync.connector,
        config.username_transforms(),
        albauth::directory::ConnectOptions::default(),
    )
    .map_err(|e| e.to_string())?;
    let attribute = config.lookup_attribute().unwrap_or("email");
    let ttl = std::time::Duration::from_secs(config.provisioning().lookup_cache_secs);
    Ok(Some(LookupCache::new(directory, attribute, ttl)))
}

fn run_batch(
    verifier: &Verifier,
    batch: &str,
    args: &Args,
    current: Option<&Current>,
    lookups: Option<&LookupCache>,
) -> ExitCode {
    let file = match std::fs::File::open(batch) {
        Ok(f) => f,
        Err(e) => return config_error(&format!("cannot read --batch {batch}: {}", args::why(&e))),
    };
    for (n, line) in std::io::BufReader::new(file).split(b'\n').enumerate() {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                return config_error(&format!("cannot read --batch {batch}: {}", args::why(&e)))
            }
        };
        if line.trim_ascii().is_empty() {
            continue;
        }
        let parsed = std::str::from_utf8(&line)
            .map_err(|_| "not UTF-8 text".to_string())
            .and_then(batch_headers);
        let result = match parsed {
            Ok(headers) => result(verifier, &headers, args, current, lookups).1,
            Err(e) => json!({"outcome": "config_error", "detail": format!("line {}: {e}", n + 1)}),
        };
        print_line(&result);
    }
    ExitCode::SUCCESS
}

/// One `--batch` line: a JSON object of header name to string value. A value of another type
/// is an error for the line, never dropped (dropping `x-amzn-oidc-data` would turn the line
/// into `anonymous`). A name given twice is kept twice, so the verifier sees the repeated
/// header as it would on the wire.
fn batch_headers(line: &str) -> Result<Vec<(String, String)>, String> {
    let pairs = serde_json::from_str::<Pairs>(line)
        .map_err(|_| "not a JSON object of header name to value".to_string())?;
    pairs
        .0
        .into_iter()
        .map(|(name, value)| match value {
            Value::String(s) => Ok((name, s)),
            other => Err(format!(
                "the value of {} is {}, not a string",
                shown_name(&name),
                kind(&other)
            )),
        })
        .collect()
}

/// A header name as it may be shown: a plausible name is named, anything else (it could be a
/// token pasted in the wrong place) is not.
fn shown_name(name: &str) -> String {
    let plausible = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b));
    if plausible {
        format!("header `{name}`")
    } else {
        "a header".to_string()
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A JSON object's members in order, duplicates kept (a `Map` would keep only the last).
struct Pairs(Vec<(String, Value)>);

impl<'de> serde::Deserialize<'de> for Pairs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Pairs;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Pairs, A::Error> {
                let mut out = Vec::new();
                while let Some(kv) = m.next_entry::<String, Value>()? {
                    out.push(kv);
                }
                Ok(Pairs(out))
            }
        }
        d.deserialize_map(V)
    }
}
