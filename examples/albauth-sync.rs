//! albauth-sync: the IdP directory from the command line, and a contract that tests outside
//! the crate drive.
//!
//! ```text
//! albauth-sync --config FILE --lookup VALUE
//! albauth-sync --config FILE --snapshot FILE [--dry-run] [--force] [--write-snapshot FILE]
//! ```
//!
//! `--lookup VALUE` asks the `directory_sync.connector` for one user by the configured
//! `provisioning.lookup_attribute` and prints them as mapped, one JSON object:
//! `{"username", "display_name", "email", "active", "groups", "idp_id"}` (`groups` after the
//! `provisioning` group filter and mapping). Exit: 0 found, 6 not found, 1 connector error,
//! 2 config or usage error.
//!
//! Without `--lookup`: lists the directory (or `required_groups`' members) and plans a full
//! sync against the host snapshot (JSON lines), printing
//! `{"summary", "actions", "pages", "throttle_waits", "duration_ms"}` (plus `refused`,
//! `detail` and `conflicts` when set). Exit: 0 planned, 4 the brake refused the plan,
//! 5 the listing was incomplete (nothing planned), 1 connector error, 2 config or usage error.
//! Nothing is applied to a host; without `--dry-run`, `--write-snapshot FILE` writes the host
//! snapshot as it will be after the plan (not for a refused plan): a file-backed directory for
//! trying sync without a host. Stdout is the same plan either way.
//!
//! No secret is ever printed: errors name fields and hosts, never values.

use std::process::ExitCode;

use albauth::directory::{connect, ConnectOptions};
use serde_json::json;

const USAGE: &str = "usage: albauth-sync --config FILE (--lookup VALUE | --snapshot FILE [--dry-run] [--force] [--write-snapshot FILE])";

#[derive(Default)]
struct Args {
    config: Option<String>,
    lookup: Option<String>,
    snapshot: Option<String>,
    dry_run: bool,
    force: bool,
    write_snapshot: Option<String>,
}

fn parse(mut it: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut a = Args::default();
    while let Some(flag) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match flag.as_str() {
            "--config" => a.config = Some(value("--config")?),
            "--lookup" => a.lookup = Some(value("--lookup")?),
            "--snapshot" => a.snapshot = Some(value("--snapshot")?),
            "--write-snapshot" => a.write_snapshot = Some(value("--write-snapshot")?),
            "--dry-run" => a.dry_run = true,
            "--force" => a.force = true,
            "--help" | "-h" => return Err(USAGE.to_string()),
            other if other.starts_with('-') => {
                let name: String = other
                    .split('=')
                    .next()
                    .unwrap_or("")
                    .chars()
                    .take(40)
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect();
                return Err(format!("unknown flag `{name}`\n{USAGE}"));
            }
            _ => {
                return Err(format!(
                    "unexpected argument (each value follows its flag)\n{USAGE}"
                ))
            }
        }
    }
    if a.config.is_none() {
        return Err(format!("--config is required\n{USAGE}"));
    }
    if a.lookup.is_some() && (a.snapshot.is_some() || a.write_snapshot.is_some()) {
        return Err(format!(
            "--lookup goes alone (no --snapshot or --write-snapshot)\n{USAGE}"
        ));
    }
    if a.lookup.is_none() && a.snapshot.is_none() {
        return Err(format!("give --lookup VALUE or --snapshot FILE\n{USAGE}"));
    }
    if a.dry_run && a.write_snapshot.is_some() {
        return Err("--write-snapshot cannot go with --dry-run".to_string());
    }
    Ok(a)
}

fn fail(code: u8, message: &str) -> ExitCode {
    eprintln!("albauth-sync: {message}");
    ExitCode::from(code)
}

fn options() -> ConnectOptions {
    // 3 retries with backoff (issue 12), within a minute of waiting.
    albauth::sync::sync_connect_options()
}

/// The listing's progress on stderr, only when stderr is a terminal (a log or a pipe gets
/// nothing but the final messages): one line, rewritten at most ten times a second, counting
/// the IdP's responses and the throttled ones; cleared before the report.
struct Progress {
    shown: std::sync::atomic::AtomicBool,
}

impl Progress {
    fn options(self: &std::sync::Arc<Self>) -> ConnectOptions {
        use std::io::IsTerminal;
        let mut options = options();
        if !std::io::stderr().is_terminal() {
            return options;
        }
        let me = std::sync::Arc::clone(self);
        let state = std::sync::Mutex::new((0u64, 0u64, None::<std::time::Instant>));
        options.http = options
            .http
            .with_observer(std::sync::Arc::new(move |status| {
                let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
                s.0 += 1;
                if status == 429 || status == 503 {
                    s.1 += 1;
                }
                let due =
                    s.2.is_none_or(|t| t.elapsed() >= std::time::Duration::from_millis(100));
                if due {
                    s.2 = Some(std::time::Instant::now());
                    me.shown.store(true, std::sync::atomic::Ordering::Relaxed);
                    eprint!(
                        "\ralbauth-sync: listing the directory: {} responses, {} throttled\x1b[K",
                        s.0, s.1
                    );
                }
            }));
        options
    }

    fn clear(&self) {
        if self.shown.load(std::sync::atomic::Ordering::Relaxed) {
            eprint!("\r\x1b[K");
        }
    }
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => return fail(2, &e),
    };
    let path = args.config.as_deref().unwrap_or_default();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return fail(2, &format!("cannot read --config {path}: {}", e.kind())),
    };
    let config = match albauth::Config::from_json(&text) {
        Ok(c) => c,
        Err(e) => return fail(2, &format!("--config {path}: {e}")),
    };
    let Some(sync) = config.directory_sync() else {
        return fail(
            2,
            &format!("--config {path}: no `directory_sync` section (with a connector) to ask"),
        );
    };
    let directory = match connect(&sync.connector, config.username_transforms(), options()) {
        Ok(d) => d,
        Err(e) => return fail(2, &format!("--config {path}: {e}")),
    };
    let provisioning = config.provisioning();

    if let Some(value) = &args.lookup {
        let attribute = config.lookup_attribute().unwrap_or("email").to_string();
        return match directory.lookup(&attribute, value) {
            Ok(Some(u)) => {
                let out = json!({
                    "username": u.username,
                    "display_name": u.display_name,
                    "email": u.email,
                    "active": u.active,
                    "groups": provisioning.host_groups(&u.groups),
                    "idp_id": u.idp_id,
                });
                println!("{out}");
                ExitCode::SUCCESS
            }
            Ok(None) => fail(6, &format!("no IdP user has this {attribute}")),
            Err(e) => fail(1, &e.to_string()),
        };
    }

    let snap_path = args.snapshot.as_deref().unwrap_or_default();
    let host = match std::fs::File::open(snap_path) {
        Ok(f) => match albauth::sync::read_snapshot(std::io::BufReader::new(f)) {
            Ok(h) => h,
            Err(e) => {
                return fail(
                    2,
                    &format!("--snapshot {snap_path}: line {}: {}", e.line, e.detail),
                )
            }
        },
        Err(e) => {
            return fail(
                2,
                &format!("cannot read --snapshot {snap_path}: {}", e.kind()),
            )
        }
    };
    let progress = std::sync::Arc::new(Progress {
        shown: std::sync::atomic::AtomicBool::new(false),
    });
    let run = albauth::sync::run_sync(&config, &host, args.force, progress.options());
    progress.clear();
    let run = match run {
        Ok(r) => r,
        Err(albauth::sync::SyncRunError::Config(e)) => {
            return fail(2, &format!("--config {path}: {e}"))
        }
        Err(e) => return fail(1, &e.to_string()),
    };
    println!("{}", run.report());
    let plan = match &run {
        albauth::sync::SyncRun::Incomplete { detail, .. } => return fail(5, detail),
        albauth::sync::SyncRun::Planned { plan, .. } => plan,
    };
    if let (Some(path), None) = (&args.write_snapshot, plan.refused) {
        // The host directory as it will be after the plan (a refused plan is not applied).
        let after = albauth::sync::apply_to_snapshot(&host, plan);
        let tmp = format!("{path}.albauth-tmp");
        let written = std::fs::File::create(&tmp)
            .and_then(|f| albauth::sync::write_snapshot(&after, std::io::BufWriter::new(f)))
            .and_then(|_| std::fs::rename(&tmp, path));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return fail(
                2,
                &format!("cannot write --write-snapshot {path}: {}", e.kind()),
            );
        }
    }
    match plan.refused {
        Some("brake") => ExitCode::from(4),
        Some(other) => fail(1, &format!("the plan was refused ({other})")),
        None => ExitCode::SUCCESS,
    }
}
