//! Black-box tests of `examples/albauth-check.rs`: its arguments, JSON output and exit codes
//! are a contract (`albauth check`, the same code, is tested in tests/cli.rs). Plain
//! `cargo test` builds the examples; with `--test check_tool` alone, `cargo build --examples`
//! first.

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use common::*;
use serde_json::{json, Value};

/// The example binary cargo built next to this test binary.
fn tool() -> Command {
    let mut p: PathBuf = std::env::current_exe().unwrap();
    p.pop(); // deps
    if p.ends_with("deps") {
        p.pop();
    }
    p.push("examples");
    p.push("albauth-check");
    assert!(p.exists(), "build examples first: {}", p.display());
    Command::new(p)
}

struct Run {
    code: i32,
    json: Value,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().unwrap();
    let stdout = String::from_utf8(stdout).unwrap();
    Run {
        code: status.code().unwrap(),
        json: serde_json::from_str(stdout.lines().next().unwrap_or("null")).unwrap_or(Value::Null),
        stdout,
        stderr: String::from_utf8(stderr).unwrap(),
    }
}

fn config_file(dir: &tempdir::Dir, config: &str) -> String {
    dir.write("config.json", config)
}

mod tempdir {
    /// A scratch directory removed on drop.
    pub struct Dir(pub std::path::PathBuf);
    impl Dir {
        pub fn new(tag: &str) -> Dir {
            let p = std::env::temp_dir().join(format!(
                "albauth-check-{tag}-{}-{:?}",
                std::process::id(),
                std::thread::current().id()
            ));
            std::fs::create_dir_all(&p).unwrap();
            Dir(p)
        }
        pub fn write(&self, name: &str, text: &str) -> String {
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
}

fn now() -> String {
    NOW.to_string()
}

#[test]
fn authenticated_prints_identity_and_exits_0() {
    let k = TestKey::new(1);
    let d = tempdir::Dir::new("auth");
    let cfg = config_file(&d, &config(None, &[&k], json!({})));
    let t = AlbToken::new(&k).sign(&k);
    let r = run(tool()
        .args(["--config", &cfg, "--now", &now(), "--header"])
        .arg(format!("x-amzn-oidc-data: {t}")));
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(
        r.json,
        json!({"outcome":"authenticated","username":"Jane.Doe@Example.com","display_name":"Jane Doe",
               "email":"Jane.Doe@Example.com","groups":[],"sub":"a1b2c3d4-0000-4000-8000-000000000001"})
    );
    assert!(r.stdout.starts_with("{\"outcome\":\"authenticated\""));
}

#[test]
fn rejected_prints_code_and_exits_1() {
    let k = TestKey::new(1);
    let d = tempdir::Dir::new("rej");
    let cfg = config_file(&d, &config(None, &[&k], json!({})));
    let t = AlbToken::new(&k).sign(&k);
    let r = run(tool()
        .args([
            "--config",
            &cfg,
            "--now",
            &(NOW + 1000).to_string(),
            "--header",
        ])
        .arg(format!("X-Amzn-Oidc-Data: {t}")));
    assert_eq!(r.code, 1);
    assert_eq!(r.json["outcome"], "rejected");
    assert_eq!(r.json["error"], "expired");
    assert!(
        !r.stdout.contains(&t[..20]),
        "output must never contain the token"
    );
}

#[test]
fn no_token_header_is_anonymous_and_exits_3() {
    let k = TestKey::new(1);
    let d = tempdir::Dir::new("anon");
    let cfg = config_file(&d, &config(None, &[&k], json!({})));
    let r = run(tool().args(["--config", &cfg, "--header", "Accept: text/html"]));
    assert_eq!(r.code, 3);
    assert_eq!(r.json, json!({"outcome":"anonymous"}));
}

#[test]
fn bad_config_is_config_error_naming_the_field_and_exits_2() {
    let d = tempdir::Dir::new("badcfg");
    let cfg = config_file(&d, r#"{"trusted_albs":[],"issuer":null,"client_id":null}"#);
    let r = run(tool().args(["--config", &cfg]));
    assert_eq!(r.code, 2);
    assert_eq!(r.json["outcome"], "config_error");
    assert!(r.json["detail"].as_str().unwrap().contains("trusted_albs"));
}

#[test]
fn bad_usage_is_config_error_and_exits_2() {
    let r = run(tool().args(["--now", "yesterday"]));
    assert_eq!(r.code, 2);
    assert_eq!(r.json["outcome"], "config_error");
}

#[test]
fn now_replays_a_captured_expired_token() {
    let k = TestKey::new(1);
    let d = tempdir::Dir::new("replay");
    let cfg = config_file(&d, &config(None, &[&k], json!({})));
    // Signed for 2026-01-01: long expired by the system clock.
    let t = AlbToken::new(&k).sign(&k);
    let hdr = format!("x-amzn-oidc-data: {t}");
    assert_eq!(
        run(tool().args(["--config", &cfg, "--header", &hdr])).code,
        1
    );
    assert_eq!(
        run(tool().args(["--config", &cfg, "--header", &hdr, "--now", &now()])).code,
        0
    );
}

#[test]
fn batch_prints_one_result_per_line_through_one_verifier() {
    let k = TestKey::new(1);
    let server = KeyServer::start(&[&k]);
    let d = tempdir::Dir::new("batch");
    let cfg = config_file(
        &d,
        &config(Some(&server), &[], json!({"token_cache_size": 0})),
    );
    let good = AlbToken::new(&k).sign(&k);
    let lines = [
        json!({"x-amzn-oidc-data": good}),
        json!({"x-amzn-oidc-data": good}),
        json!({}),
        json!({"x-amzn-oidc-data": "garbage"}),
    ]
    .iter()
    .map(Value::to_string)
    .collect::<Vec<_>>()
    .join("\n");
    let batch = d.write("batch.jsonl", &lines);
    let r = run(tool().args(["--config", &cfg, "--batch", &batch, "--now", &now()]));
    assert_eq!(r.code, 0);
    let outcomes: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["outcome"].clone())
        .collect();
    assert_eq!(
        outcomes,
        vec![
            json!("authenticated"),
            json!("authenticated"),
            json!("anonymous"),
            json!("rejected")
        ]
    );
    assert_eq!(server.requests(), 1, "one verifier, one key fetch");
}

#[test]
fn explain_lists_each_check_in_order_and_warns_about_disabled_checks() {
    let k = TestKey::new(1);
    let d = tempdir::Dir::new("explain");
    let cfg = config_file(&d, &config(None, &[&k], json!({"issuer": null})));
    let t = AlbToken::new(&k).sign(&k);
    let r = run(tool()
        .args(["--config", &cfg, "--now", &now(), "--explain", "--header"])
        .arg(format!("x-amzn-oidc-data: {t}")));
    assert_eq!(r.code, 0);
    assert!(r.stderr.contains("WARNING") && r.stderr.contains("issuer check disabled"));
    let order = [
        "structure",
        "base64",
        "header_json",
        "alg",
        "signer",
        "kid",
        "key",
        "signature",
        "exp",
        "iss",
        "client",
        "sub",
        "username",
    ];
    let mut at = 0;
    for check in order {
        let found = r.stderr[at..]
            .find(&format!(" {check} "))
            .unwrap_or_else(|| panic!("{check} missing or out of order in:\n{}", r.stderr));
        at += found + 1;
    }
    assert!(!r.stderr.contains(&t[..20]));
    assert!(
        !r.stderr.contains("Jane"),
        "no personal data in the explanation"
    );
}

#[test]
fn explain_shows_the_failing_check() {
    let k = TestKey::new(1);
    let d = tempdir::Dir::new("explainfail");
    let cfg = config_file(&d, &config(None, &[&k], json!({})));
    let t = AlbToken::new(&k).header("signer", ALB_OTHER).sign(&k);
    let r = run(tool()
        .args(["--config", &cfg, "--now", &now(), "--explain", "--header"])
        .arg(format!("x-amzn-oidc-data: {t}")));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("FAIL     signer"), "{}", r.stderr);
}

#[test]
fn help_prints_usage_once_on_stdout_and_exits_0() {
    let r = run(tool().arg("--help"));
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stdout.matches("usage: albauth-check").count(),
        1,
        "{}",
        r.stdout
    );
    assert_eq!(r.stderr, "");
}

#[test]
fn unknown_flag_is_a_usage_error_naming_the_flag() {
    let r = run(tool().args(["--config", "x.json", "--verbose"]));
    assert_eq!(r.code, 2);
    assert_eq!(r.json["outcome"], "config_error");
    assert!(
        r.json["detail"]
            .as_str()
            .unwrap()
            .starts_with("unknown flag `--verbose`; usage: albauth-check"),
        "{}",
        r.stdout
    );
}

#[test]
fn header_file_keeps_the_token_out_of_the_command_line() {
    let k = TestKey::new(1);
    let d = tempdir::Dir::new("hfile");
    let cfg = config_file(&d, &config(None, &[&k], json!({})));
    let t = AlbToken::new(&k).sign(&k);
    let headers = d.write("headers.txt", &format!("x-amzn-oidc-data: {t}\n"));
    let r = run(tool().args(["--config", &cfg, "--now", &now(), "--header-file", &headers]));
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(r.json["outcome"], "authenticated");
}

#[test]
fn missing_config_names_the_path_in_plain_words() {
    let d = tempdir::Dir::new("nocfg");
    let path = d.0.join("albauth.json").to_string_lossy().into_owned();
    let r = run(tool().args(["--config", &path]));
    assert_eq!(r.code, 2);
    assert_eq!(
        r.json["detail"],
        format!("cannot read --config {path}: no such file")
    );
}

#[test]
fn batch_value_that_is_not_a_string_is_an_error_for_its_line_not_anonymous() {
    let k = TestKey::new(1);
    let d = tempdir::Dir::new("batchtype");
    let cfg = config_file(&d, &config(None, &[&k], json!({})));
    let batch = d.write("b.jsonl", "{}\n{\"x-amzn-oidc-data\": [\"a\"]}\n");
    let r = run(tool().args(["--config", &cfg, "--batch", &batch]));
    assert_eq!(r.code, 0);
    let second: Value = serde_json::from_str(r.stdout.lines().nth(1).unwrap()).unwrap();
    assert_eq!(
        second,
        json!({"outcome": "config_error",
               "detail": "line 2: the value of header `x-amzn-oidc-data` is an array, not a string"})
    );
}
