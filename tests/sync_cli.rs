//! Black-box tests of `examples/albauth-sync.rs` (a contract tests outside the crate drive):
//! `--lookup` (exit 0 found, 6 not found, 1 connector error, 2 config or usage error) and the
//! full-sync plan (0 planned, 4 brake, 5 incomplete listing), against a scripted loopback Okta.
//! Plain `cargo test` builds the examples; with `--test sync_cli` alone, `cargo build
//! --examples` first.

#[path = "common/scripted.rs"]
mod scripted;

use std::path::PathBuf;
use std::process::{Command, Output};

use scripted::{Reply, ScriptedServer};
use serde_json::{json, Value};

const TOKEN: &str = "okta-api-token-s3cr3t";

fn tool() -> Command {
    let mut p: PathBuf = std::env::current_exe().unwrap();
    p.pop();
    if p.ends_with("deps") {
        p.pop();
    }
    p.push("examples");
    p.push("albauth-sync");
    assert!(p.exists(), "build examples first: {}", p.display());
    Command::new(p)
}

struct Run {
    code: i32,
    json: Value,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = tool().args(args).output().unwrap();
    let stdout = String::from_utf8(stdout).unwrap();
    let stderr = String::from_utf8(stderr).unwrap();
    for secret in [TOKEN, "keycloak-s3cr3t"] {
        assert!(!stdout.contains(secret), "a secret on stdout: {stdout}");
        assert!(!stderr.contains(secret), "a secret on stderr: {stderr}");
    }
    Run {
        code: status.code().unwrap(),
        json: serde_json::from_str(stdout.lines().next().unwrap_or("null")).unwrap_or(Value::Null),
        stdout,
        stderr,
    }
}

struct Dir(PathBuf);
impl Dir {
    fn new(tag: &str) -> Dir {
        let p = std::env::temp_dir().join(format!(
            "albauth-sync-{tag}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&p).unwrap();
        Dir(p)
    }
    fn write(&self, name: &str, text: &str) -> String {
        let p = self.0.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_string_lossy().into_owned()
    }
}
impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn config(org_url: &str, sync: Value) -> String {
    let mut c = json!({
        "template": "okta",
        "trusted_albs": ["arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188"],
        "issuer": "https://example.okta.com/oauth2/default",
        "client_id": "0oa1example2client3id4",
        "provisioning": {
            "group_filter": {"allow": ["Jira Users"]},
            "group_mapping": {"Jira Users": "jira-software-users"}
        },
        "directory_sync": {"connector": {"type": "okta", "org_url": org_url, "api_token": TOKEN}}
    });
    if let Value::Object(extra) = sync {
        for (k, v) in extra {
            c["directory_sync"][k] = v;
        }
    }
    c.to_string()
}

/// The exact target of Okta's listing of DEPROVISIONED users (scripted apart from the rest).
const DEPROVISIONED: &str = "/api/v1/users?filter=status%20eq%20%22DEPROVISIONED%22&limit=200";

fn okta_user(id: &str, email: &str, status: &str) -> Value {
    json!({"id": id, "status": status,
           "profile": {"email": email, "login": email, "firstName": "User", "lastName": id}})
}

#[test]
fn lookup_prints_the_mapped_user_and_exits_0() {
    let s = ScriptedServer::start();
    s.on(
        "/api/v1/users",
        vec![Reply::json(json!([okta_user(
            "00u1",
            "alice@example.com",
            "ACTIVE"
        )]))],
    );
    s.on(
        "/api/v1/users/00u1/groups",
        vec![Reply::json(json!([
            {"id": "g1", "profile": {"name": "Jira Users"}},
            {"id": "g2", "profile": {"name": "Everyone"}}
        ]))],
    );
    let d = Dir::new("lookup");
    let cfg = d.write("c.json", &config(&s.url(""), json!({})));
    let r = run(&["--config", &cfg, "--lookup", "Alice@Example.com"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.json,
        json!({"username": "alice@example.com", "display_name": "User 00u1",
               "email": "alice@example.com", "active": true,
               "groups": ["jira-software-users"], "idp_id": "00u1"})
    );
    let keys: Vec<&String> = r.json.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "username",
            "display_name",
            "email",
            "active",
            "groups",
            "idp_id"
        ]
    );
    assert_eq!(r.stdout.lines().count(), 1);
}

#[test]
fn lookup_of_nobody_exits_6_and_a_connector_error_1() {
    let s = ScriptedServer::start();
    s.on("/api/v1/users", vec![Reply::json(json!([]))]);
    let d = Dir::new("nobody");
    let cfg = d.write("c.json", &config(&s.url(""), json!({})));
    let r = run(&["--config", &cfg, "--lookup", "ghost@example.com"]);
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert!(r.stdout.is_empty());

    let s = ScriptedServer::start();
    s.on(
        "/api/v1/users",
        vec![Reply::new(
            401,
            r#"{"errorCode":"E0000011","errorSummary":"Invalid token provided"}"#,
        )],
    );
    let cfg = d.write("c2.json", &config(&s.url(""), json!({})));
    let r = run(&["--config", &cfg, "--lookup", "a@example.com"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("directory auth"), "{}", r.stderr);
}

#[test]
fn config_and_usage_errors_exit_2() {
    let d = Dir::new("usage");
    let off_loopback = d.write("c.json", &config("http://example.com", json!({})));
    let no_sync = d.write(
        "n.json",
        &json!({"template": "okta",
            "trusted_albs": ["arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188"],
            "issuer": "https://example.okta.com/oauth2/default", "client_id": "x"})
        .to_string(),
    );
    let good = d.write("g.json", &config("http://127.0.0.1:9", json!({})));
    for args in [
        vec!["--lookup", "a@example.com"],
        vec!["--config", &off_loopback, "--lookup", "a@example.com"],
        vec!["--config", &no_sync, "--lookup", "a@example.com"],
        vec!["--config", "/nonexistent/albauth.json", "--lookup", "a"],
        vec!["--config", &good],
        vec!["--config", &good, "--bogus"],
        vec!["--config", &good, "--lookup"],
        vec![
            "--config",
            &good,
            "--snapshot",
            "/nonexistent/snap.jsonl",
            "--dry-run",
        ],
        vec![
            "--config",
            &good,
            "--snapshot",
            &good,
            "--dry-run",
            "--write-snapshot",
            "/tmp/x",
        ],
    ] {
        let r = run(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}");
    }
}

fn host_user(username: &str, idp_id: &str) -> Value {
    json!({"username": username, "display_name": format!("User {idp_id}"),
           "email": username, "active": true, "groups": [],
           "attributes": {"idp_id": idp_id}})
}

fn lines(users: &[Value]) -> String {
    users.iter().map(|u| format!("{u}\n")).collect()
}

#[test]
fn a_full_sync_plan_prints_the_summary_actions_and_counts() {
    let s = ScriptedServer::start();
    s.on(DEPROVISIONED, vec![Reply::json(json!([]))]);
    s.on(
        "/api/v1/groups",
        vec![Reply::json(
            json!([{"id": "g1", "profile": {"name": "Jira Users"}}]),
        )],
    );
    s.on(
        "/api/v1/groups/g1/users",
        vec![Reply::json(json!([okta_user(
            "00u2",
            "bob@example.com",
            "ACTIVE"
        )]))],
    );
    s.on(
        "/api/v1/users",
        vec![
            Reply::new(429, "{}").header("Retry-After", "0"),
            Reply::json(json!([
                okta_user("00u1", "alice@example.com", "ACTIVE"),
                okta_user("00u2", "bob@example.com", "ACTIVE")
            ])),
        ],
    );
    let d = Dir::new("plan");
    let cfg = d.write("c.json", &config(&s.url(""), json!({})));
    let snap = d.write("s.jsonl", &lines(&[host_user("alice@example.com", "00u1")]));
    let r = run(&["--config", &cfg, "--snapshot", &snap, "--dry-run"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for k in [
        "summary",
        "actions",
        "pages",
        "throttle_waits",
        "duration_ms",
    ] {
        assert!(r.json.get(k).is_some(), "{k} in {}", r.stdout);
    }
    // groups, g1's members, users, DEPROVISIONED users.
    assert_eq!(r.json["pages"], 4);
    assert_eq!(r.json["throttle_waits"], 1);
    assert_eq!(r.json["summary"]["create"], 1, "{}", r.stdout);
    let created: Vec<&Value> = r.json["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["action"] == "create_user")
        .collect();
    assert_eq!(created[0]["username"], "bob@example.com");
    assert!(s.seen().iter().any(|r| r.target == DEPROVISIONED));
}

#[test]
fn an_incomplete_listing_exits_5_and_plans_nothing() {
    let d = Dir::new("incomplete");
    let snap = d.write("s.jsonl", &lines(&[host_user("alice@example.com", "00u1")]));
    // Malformed JSON midway, and a required group that does not exist.
    let s = ScriptedServer::start();
    s.on("/api/v1/groups", vec![Reply::json(json!([]))]);
    s.on("/api/v1/users", vec![Reply::new(200, "[{\"id\": ")]);
    let cfg = d.write("c.json", &config(&s.url(""), json!({})));
    let s2 = ScriptedServer::start();
    s2.on("/api/v1/groups", vec![Reply::json(json!([]))]);
    let cfg2 = d.write(
        "c2.json",
        &config(&s2.url(""), json!({"required_groups": ["nope"]})),
    );
    for cfg in [cfg, cfg2] {
        let r = run(&["--config", &cfg, "--snapshot", &snap, "--dry-run"]);
        assert_eq!(r.code, 5, "{}", r.stderr);
        assert_eq!(r.json["refused"], "incomplete_listing");
        assert_eq!(r.json["actions"], json!([]));
        assert_eq!(r.json["summary"]["deactivate"], 0, "{}", r.stdout);
    }
}

#[test]
fn the_brake_refuses_a_mass_removal_with_exit_4_unless_forced() {
    let s = ScriptedServer::start();
    s.on(DEPROVISIONED, vec![Reply::json(json!([]))]);
    s.on("/api/v1/groups", vec![Reply::json(json!([]))]);
    s.on(
        "/api/v1/users",
        vec![Reply::json(json!([okta_user(
            "00u0",
            "u0@example.com",
            "ACTIVE"
        )]))],
    );
    let d = Dir::new("brake");
    let cfg = d.write("c.json", &config(&s.url(""), json!({"brake_percent": 10})));
    let host: Vec<Value> = (0..5)
        .map(|i| host_user(&format!("u{i}@example.com"), &format!("00u{i}")))
        .collect();
    let snap = d.write("s.jsonl", &lines(&host));
    let r = run(&["--config", &cfg, "--snapshot", &snap, "--dry-run"]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert_eq!(r.json["refused"], "brake");
    let r = run(&[
        "--config",
        &cfg,
        "--snapshot",
        &snap,
        "--dry-run",
        "--force",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json["summary"]["deactivate"], 4);
}

#[test]
fn write_snapshot_writes_the_directory_as_it_will_be_after_the_plan() {
    let s = ScriptedServer::start();
    s.on(DEPROVISIONED, vec![Reply::json(json!([]))]);
    s.on("/api/v1/groups", vec![Reply::json(json!([]))]);
    s.on(
        "/api/v1/users",
        vec![Reply::json(json!([
            okta_user("00u1", "alice@example.com", "ACTIVE"),
            okta_user("00u2", "bob@example.com", "ACTIVE")
        ]))],
    );
    let d = Dir::new("write");
    let cfg = d.write("c.json", &config(&s.url(""), json!({"brake_percent": 100})));
    let snap = d.write(
        "s.jsonl",
        &lines(&[
            host_user("alice@example.com", "00u1"),
            host_user("gone@example.com", "00u9"),
        ]),
    );
    let after = d.0.join("after.jsonl");
    let after_path = after.to_string_lossy().into_owned();
    let r = run(&[
        "--config",
        &cfg,
        "--snapshot",
        &snap,
        "--write-snapshot",
        &after_path,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(&after).unwrap();
    let users: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let names: Vec<&str> = users
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["alice@example.com", "gone@example.com", "bob@example.com"]
    );
    assert_eq!(users[1]["active"], false, "on_missing deactivate");
    assert_eq!(users[2]["attributes"]["idp_id"], "00u2");
    // The written file is a snapshot the next run reads: nothing left to do.
    let again = run(&["--config", &cfg, "--snapshot", &after_path, "--dry-run"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    let summary = &again.json["summary"];
    assert_eq!(
        (summary["create"].as_u64(), summary["deactivate"].as_u64()),
        (Some(0), Some(0)),
        "{}",
        again.stdout
    );
}

/// `albauth_sync_plan` from Rust exactly as C calls it: the status, and the report on success.
fn c_sync_plan(config: &str, snapshot: &str, flags: u32) -> (u32, Option<Value>, String) {
    use albauth::ffi::*;
    let mut out: *mut std::ffi::c_char = std::ptr::null_mut();
    let mut err = std::mem::MaybeUninit::<albauth_error>::uninit();
    let s = |t: &str| albauth_str {
        ptr: t.as_ptr().cast(),
        len: t.len(),
    };
    // SAFETY: both strings outlive the call; `out` and `err` are writable.
    let status =
        unsafe { albauth_sync_plan(s(config), s(snapshot), flags, &mut out, err.as_mut_ptr()) };
    let report = (!out.is_null()).then(|| {
        // SAFETY: a NUL-terminated string from albauth, released once below.
        let text = unsafe { std::ffi::CStr::from_ptr(out) }
            .to_str()
            .unwrap()
            .to_string();
        // SAFETY: returned by albauth_sync_plan, not yet released.
        unsafe { albauth_string_free(out) };
        serde_json::from_str(&text).unwrap()
    });
    let message = if status as u32 == 0 {
        String::new()
    } else {
        // SAFETY: albauth wrote `err` on failure.
        let e = unsafe { err.assume_init() };
        // SAFETY: the message is a NUL-terminated buffer inside `e`.
        unsafe { std::ffi::CStr::from_ptr(e.message.as_ptr()) }
            .to_string_lossy()
            .into_owned()
    };
    (status as u32, report, message)
}

#[test]
fn the_c_abi_plans_a_sync_and_reports_it_as_the_command_does() {
    let s = ScriptedServer::start();
    s.on(DEPROVISIONED, vec![Reply::json(json!([]))]);
    s.on("/api/v1/groups", vec![Reply::json(json!([]))]);
    s.on(
        "/api/v1/users",
        vec![Reply::json(json!([okta_user(
            "00u2",
            "bob@example.com",
            "ACTIVE"
        )]))],
    );
    let cfg = config(&s.url(""), json!({}));
    let snap = lines(&[host_user("alice@example.com", "00u1")]);
    let (status, report, message) = c_sync_plan(&cfg, &snap, 0);
    assert_eq!(status, 0, "{message}");
    let report = report.unwrap();
    assert_eq!(report["summary"]["create"], 1);
    assert_eq!(report["summary"]["deactivate"], 1);
    assert_eq!(
        report["refused"], "brake",
        "1 of 1 host users removed is over 10%"
    );
    let (status, report, _) = c_sync_plan(&cfg, &snap, albauth::ffi::ALBAUTH_SYNC_FORCE);
    assert_eq!(status, 0);
    assert!(
        report.unwrap().get("refused").is_none(),
        "forced past the brake"
    );
}

#[test]
fn the_c_abi_refuses_what_it_cannot_plan_with_stable_statuses() {
    use albauth::ffi::albauth_status::*;
    let nobody = config("http://127.0.0.1:1", json!({}));
    let snap = lines(&[host_user("alice@example.com", "00u1")]);
    let (status, report, message) = c_sync_plan(&nobody, &snap, 0);
    assert_eq!(status, ALBAUTH_DIRECTORY_FAILED as u32, "{message}");
    assert!(report.is_none());
    assert!(message.starts_with("directory_failed:"), "{message}");
    assert!(!message.contains(TOKEN));
    let (status, _, message) = c_sync_plan(&nobody, "{\"username\": 1}\n", 0);
    assert_eq!(status, ALBAUTH_INVALID_ARGUMENT as u32);
    assert!(message.contains("line 1"), "{message}");
    let (status, _, _) = c_sync_plan(&nobody, &snap, 8);
    assert_eq!(status, ALBAUTH_INVALID_ARGUMENT as u32, "unknown flags");
    let no_sync = json!({"trusted_albs": ["arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188"],
                         "issuer": null, "client_id": null})
    .to_string();
    let (status, _, message) = c_sync_plan(&no_sync, &snap, 0);
    assert_eq!(status, ALBAUTH_CONFIG_INVALID as u32);
    assert!(message.contains("directory_sync"), "{message}");
}

/// A scripted Okta with one active user and no group filter.
fn one_user_okta() -> ScriptedServer {
    let s = ScriptedServer::start();
    s.on(DEPROVISIONED, vec![Reply::json(json!([]))]);
    s.on("/api/v1/groups", vec![Reply::json(json!([]))]);
    s.on(
        "/api/v1/users",
        vec![Reply::json(json!([okta_user(
            "00u1",
            "alice@example.com",
            "ACTIVE"
        )]))],
    );
    s
}

#[test]
fn no_progress_is_written_when_stderr_is_not_a_terminal() {
    let s = one_user_okta();
    let d = Dir::new("quiet");
    let cfg = d.write("c.json", &config(&s.url(""), json!({})));
    let snap = d.write("s.jsonl", "");
    let r = run(&["--config", &cfg, "--snapshot", &snap, "--dry-run"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "", "stderr of a piped run");
}

#[test]
fn progress_is_shown_on_a_terminal_and_cleared_before_the_report() {
    // util-linux `script` gives the command a pseudo-terminal for stdout and stderr alike.
    if Command::new("script").arg("--version").output().is_err() {
        panic!("util-linux `script` is needed for this test (apt-get install util-linux)");
    }
    let s = one_user_okta();
    let d = Dir::new("tty");
    let cfg = d.write("c.json", &config(&s.url(""), json!({})));
    let snap = d.write("s.jsonl", "");
    let program = tool().get_program().to_string_lossy().into_owned();
    let command = format!("'{program}' --config '{cfg}' --snapshot '{snap}' --dry-run");
    let out = Command::new("script")
        .args(["-qefc", &command, "/dev/null"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    let shown = text
        .find("albauth-sync: listing the directory: ")
        .unwrap_or_else(|| panic!("no progress line in {text:?}"));
    let cleared = text.rfind("\r\x1b[K").expect("the line is cleared");
    let report = text.find("{\"").expect("the report");
    assert!(text[report..].contains("\"summary\""), "{text:?}");
    assert!(shown < cleared && cleared < report, "{text:?}");
    assert!(!text.contains(TOKEN));
}
