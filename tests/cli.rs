//! Black-box tests of the installed command `albauth` (src/bin/albauth/): `check` (the same
//! flags, output and exit codes as the `albauth-check` example), `keys new` and `mint`.

mod common;
#[path = "common/scripted.rs"]
mod scripted;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::*;
use serde_json::{json, Value};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn albauth() -> Command {
    Command::new(env!("CARGO_BIN_EXE_albauth"))
}

/// The `albauth-check` example cargo built for this test run.
fn example_check() -> Command {
    let mut p: PathBuf = std::env::current_exe().unwrap();
    p.pop();
    if p.ends_with("deps") {
        p.pop();
    }
    let p = p.join("examples").join("albauth-check");
    assert!(p.exists(), "build examples first: {}", p.display());
    Command::new(p)
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The first stdout line as JSON.
    fn json(&self) -> Value {
        serde_json::from_str(self.stdout.lines().next().unwrap_or("null")).unwrap_or(Value::Null)
    }
}

fn run(cmd: &mut Command) -> Run {
    run_with_stdin(cmd, "")
}

fn run_with_stdin(cmd: &mut Command, stdin: &str) -> Run {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    Run {
        code: status.code().unwrap(),
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    }
}

/// A scratch directory under target/tmp, removed on drop.
struct Dir(PathBuf);

impl Dir {
    fn new(tag: &str) -> Dir {
        let p = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("cli-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Dir(p)
    }
    fn path(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }
    fn write(&self, name: &str, text: &str) -> String {
        std::fs::write(self.0.join(name), text).unwrap();
        self.path(name)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A pinned-key config for test key 1 in `d`.
fn pinned_config(d: &Dir) -> String {
    d.write("config.json", &config(None, &[&TestKey::new(1)], json!({})))
}

fn now() -> String {
    NOW.to_string()
}

// ---- albauth check: the example's contract ----

#[test]
fn check_prints_and_exits_exactly_as_the_example_does() {
    let k = TestKey::new(1);
    let d = Dir::new("same");
    let cfg = pinned_config(&d);
    let bad_cfg = d.write(
        "bad.json",
        r#"{"trusted_albs":[],"issuer":null,"client_id":null}"#,
    );
    let good = format!("x-amzn-oidc-data: {}", AlbToken::new(&k).sign(&k));
    let expired = format!(
        "x-amzn-oidc-data: {}",
        AlbToken::new(&k).exp(NOW - 900).sign(&k)
    );
    let cases: Vec<Vec<&str>> = vec![
        vec!["--config", &cfg, "--now", "1767225600", "--header", &good],
        vec![
            "--config",
            &cfg,
            "--now",
            "1767225600",
            "--header",
            &expired,
        ],
        vec!["--config", &cfg, "--header", "Accept: text/html"],
        vec!["--config", &bad_cfg],
        vec!["--now", "yesterday"],
        vec![
            "--config",
            &cfg,
            "--explain",
            "--now",
            "1767225600",
            "--header",
            &good,
        ],
    ];
    for args in cases {
        let tool = run(albauth().arg("check").args(&args));
        let example = run(example_check().args(&args));
        assert_eq!(tool.code, example.code, "{args:?}");
        assert_eq!(tool.stderr, example.stderr, "{args:?}");
        assert_eq!(
            tool.stdout,
            example.stdout.replace("albauth-check", "albauth check"),
            "{args:?}"
        );
    }
}

#[test]
fn check_help_prints_usage_once_on_stdout_and_exits_0() {
    for cmd in [
        albauth().args(["check", "--help"]),
        example_check().arg("--help"),
    ] {
        let r = run(cmd);
        assert_eq!(r.code, 0, "{}", r.stdout);
        assert_eq!(r.stdout.matches("usage:").count(), 1, "{}", r.stdout);
        assert!(r.stdout.contains("--header-file"), "{}", r.stdout);
        assert_eq!(r.stderr, "");
    }
}

#[test]
fn every_command_help_prints_usage_once_on_stdout_and_exits_0() {
    for args in [
        vec!["--help"],
        vec!["mint", "--help"],
        vec!["keys", "--help"],
        vec!["keys", "new", "--help"],
    ] {
        let r = run(albauth().args(&args));
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert_eq!(
            r.stdout.matches("usage:").count(),
            1,
            "{args:?}: {}",
            r.stdout
        );
        assert_eq!(r.stderr, "", "{args:?}");
    }
}

#[test]
fn version_prints_the_version() {
    let r = run(albauth().arg("--version"));
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout, format!("{}\n", albauth::VERSION));
}

#[test]
fn check_unknown_flag_is_a_usage_error_naming_the_flag() {
    let d = Dir::new("unknown");
    let r = run(albauth().args(["check", "--config", &pinned_config(&d), "--bogus"]));
    assert_eq!(r.code, 2);
    assert_eq!(r.json()["outcome"], "config_error");
    let detail = r.json()["detail"].as_str().unwrap().to_string();
    assert!(detail.contains("unknown flag `--bogus`"), "{detail}");
    assert!(
        detail.contains("usage: albauth check --config FILE"),
        "{detail}"
    );
}

#[test]
fn mint_and_keys_unknown_flags_are_usage_errors_naming_the_flag() {
    for args in [
        vec!["mint", "--bogus"],
        vec!["keys", "new", "--bogus"],
        vec!["--bogus"],
    ] {
        let r = run(albauth().args(&args));
        assert_eq!(r.code, 2, "{args:?}");
        assert!(
            r.stderr.contains("unknown flag `--bogus`"),
            "{args:?}: {}",
            r.stderr
        );
        assert!(r.stderr.contains("usage: albauth"), "{}", r.stderr);
        assert_eq!(r.stdout, "", "{args:?}");
    }
}

#[test]
fn unknown_command_is_a_usage_error_naming_it() {
    let r = run(albauth().arg("frobnicate"));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unknown command `frobnicate`"),
        "{}",
        r.stderr
    );
    let r = run(&mut albauth());
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("usage: albauth COMMAND"), "{}", r.stderr);
}

#[test]
fn a_token_in_a_wrong_argument_is_never_repeated() {
    let k = TestKey::new(1);
    let t = AlbToken::new(&k).sign(&k);
    let d = Dir::new("noecho");
    let cfg = pinned_config(&d);
    for args in [
        vec![
            "check".to_string(),
            "--config".into(),
            cfg.clone(),
            format!("--header=x-amzn-oidc-data: {t}"),
        ],
        vec![
            "check".to_string(),
            "--config".into(),
            cfg.clone(),
            t.clone(),
        ],
        vec![
            "check".to_string(),
            "--config".into(),
            cfg.clone(),
            format!("--{t}"),
        ],
        vec![
            "check".to_string(),
            "--config".into(),
            cfg.clone(),
            "--header".into(),
            t.clone(),
        ],
        vec!["mint".to_string(), t.clone()],
        vec![t.clone()],
    ] {
        let r = run(albauth().args(&args));
        assert_eq!(r.code, 2);
        for out in [&r.stdout, &r.stderr] {
            assert!(!out.contains(&t[..24]), "token repeated in: {out}");
        }
    }
}

#[test]
fn check_header_file_supplies_the_headers() {
    let k = TestKey::new(1);
    let d = Dir::new("hfile");
    let t = AlbToken::new(&k).sign(&k);
    let headers = d.write(
        "headers.txt",
        &format!("x-amzn-oidc-data: {t}\r\n\nx-amzn-oidc-identity: a1b2c3d4-0000-4000-8000-000000000001\n"),
    );
    let r = run(albauth().args([
        "check",
        "--config",
        &pinned_config(&d),
        "--now",
        &now(),
        "--header-file",
        &headers,
    ]));
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(r.json()["outcome"], "authenticated");
}

#[test]
fn check_header_file_dash_reads_standard_input() {
    let k = TestKey::new(1);
    let d = Dir::new("hstdin");
    let t = AlbToken::new(&k).sign(&k);
    let r = run_with_stdin(
        albauth().args([
            "check",
            "--config",
            &pinned_config(&d),
            "--now",
            &now(),
            "--header-file",
            "-",
        ]),
        &format!("x-amzn-oidc-data: {t}\n"),
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn check_header_file_line_without_a_colon_names_the_line_not_its_text() {
    let k = TestKey::new(1);
    let d = Dir::new("hbad");
    let t = AlbToken::new(&k).sign(&k);
    let headers = d.write("headers.txt", &format!("accept: text/html\n{t}\n"));
    let r = run(albauth().args([
        "check",
        "--config",
        &pinned_config(&d),
        "--header-file",
        &headers,
    ]));
    assert_eq!(r.code, 2);
    let detail = r.json()["detail"].as_str().unwrap().to_string();
    assert!(
        detail.starts_with(&format!(
            "--header-file {headers} line 2: expected `Name: value`"
        )),
        "{detail}"
    );
    assert!(!r.stdout.contains(&t[..24]));
}

#[test]
fn check_missing_config_names_the_path_and_says_no_such_file() {
    let d = Dir::new("nocfg");
    let path = d.path("nope.json");
    let r = run(albauth().args(["check", "--config", &path]));
    assert_eq!(r.code, 2);
    assert_eq!(
        r.json(),
        json!({"outcome": "config_error", "detail": format!("cannot read --config {path}: no such file")})
    );
}

#[test]
fn check_config_that_is_a_directory_says_so() {
    let d = Dir::new("dircfg");
    let r = run(albauth().args(["check", "--config", &d.path("")]));
    assert_eq!(r.code, 2);
    let detail = r.json()["detail"].as_str().unwrap().to_string();
    assert!(
        detail.ends_with(": it is a directory, not a file"),
        "{detail}"
    );
    assert!(!detail.contains("os error"), "{detail}");
}

#[test]
fn check_config_that_is_not_utf8_says_so() {
    let d = Dir::new("binfile");
    std::fs::write(d.0.join("c.json"), [0xff, 0xfe, 0x00]).unwrap();
    let r = run(albauth().args(["check", "--config", &d.path("c.json")]));
    assert_eq!(r.code, 2);
    assert!(r.json()["detail"]
        .as_str()
        .unwrap()
        .ends_with(": it is not UTF-8 text"));
}

#[test]
fn batch_line_with_a_non_string_header_value_is_an_error_result_for_that_line() {
    let k = TestKey::new(1);
    let d = Dir::new("batchtype");
    let good = AlbToken::new(&k).sign(&k);
    let batch = d.write(
        "batch.jsonl",
        &format!(
            "{}\n{}\n{}\n{}\n",
            json!({"x-amzn-oidc-data": good}),
            json!({"accept": "text/html"}),
            json!({"x-amzn-oidc-data": 5}),
            json!({"x-amzn-oidc-data": good}),
        ),
    );
    let r = run(albauth().args([
        "check",
        "--config",
        &pinned_config(&d),
        "--batch",
        &batch,
        "--now",
        &now(),
    ]));
    assert_eq!(r.code, 0);
    let lines: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "{}", r.stdout);
    assert_eq!(lines[0]["outcome"], "authenticated");
    assert_eq!(lines[1]["outcome"], "anonymous");
    assert_eq!(
        lines[2],
        json!({"outcome": "config_error",
               "detail": "line 3: the value of header `x-amzn-oidc-data` is a number, not a string"})
    );
    assert_eq!(lines[3]["outcome"], "authenticated");
}

#[test]
fn batch_line_that_is_not_an_object_or_not_utf8_is_an_error_result_for_that_line() {
    let d = Dir::new("batchshape");
    let mut bytes = b"[\"x-amzn-oidc-data\"]\n".to_vec();
    bytes.extend_from_slice(b"{\"accept\": \"\xff\"}\n{}\n");
    std::fs::write(d.0.join("b.jsonl"), bytes).unwrap();
    let r = run(albauth().args([
        "check",
        "--config",
        &pinned_config(&d),
        "--batch",
        &d.path("b.jsonl"),
    ]));
    assert_eq!(r.code, 0);
    let lines: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines,
        vec![
            json!({"outcome": "config_error", "detail": "line 1: not a JSON object of header name to value"}),
            json!({"outcome": "config_error", "detail": "line 2: not UTF-8 text"}),
            json!({"outcome": "anonymous"}),
        ]
    );
}

#[test]
fn batch_line_with_a_header_twice_is_rejected_as_on_the_wire() {
    let k = TestKey::new(1);
    let d = Dir::new("batchdup");
    let t = AlbToken::new(&k).sign(&k);
    let other = AlbToken::new(&k)
        .claim("email", "mallory@example.com")
        .sign(&k);
    let batch = d.write(
        "b.jsonl",
        &format!(r#"{{"x-amzn-oidc-data": "{t}", "x-amzn-oidc-data": "{other}"}}"#),
    );
    let r = run(albauth().args([
        "check",
        "--config",
        &pinned_config(&d),
        "--batch",
        &batch,
        "--now",
        &now(),
    ]));
    assert_eq!(r.json()["outcome"], "rejected", "{}", r.stdout);
    assert_eq!(r.json()["error"], "malformed_token");
}

// ---- albauth keys new ----

fn keys_new(d: &Dir, extra: &[&str]) -> Run {
    run(albauth()
        .args(["keys", "new", "--out", &d.path("k")])
        .args(extra))
}

fn read_json(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn is_uuid_v4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && s.bytes()
            .all(|b| b == b'-' || b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && parts[2].starts_with('4')
        && "89ab".contains(&parts[3][..1])
}

#[test]
fn keys_new_writes_a_private_key_its_public_key_and_a_config_pinning_it() {
    let d = Dir::new("keysnew");
    let r = keys_new(&d, &["--signer", ALB, "--iss", ISSUER, "--client", CLIENT]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let key = std::fs::read_to_string(d.path("k/alb.key")).unwrap();
    let pem = std::fs::read_to_string(d.path("k/alb.pem")).unwrap();
    assert!(
        key.starts_with("-----BEGIN PRIVATE KEY-----\n"),
        "PKCS#8: {key}"
    );
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"), "{pem}");
    use p256::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePublicKey};
    let sk = p256::SecretKey::from_pkcs8_pem(&key).expect("a P-256 PKCS#8 key");
    let pk = p256::PublicKey::from_public_key_pem(&pem).expect("a P-256 public key");
    assert_eq!(sk.public_key(), pk, "alb.pem is alb.key's public key");

    let cfg = read_json(&d.path("k/albauth.json"));
    let pinned = cfg["pinned_keys"].as_object().unwrap();
    assert_eq!(pinned.len(), 1);
    let (kid, pinned_pem) = pinned.iter().next().unwrap();
    assert!(is_uuid_v4(kid), "{kid}");
    assert_eq!(
        pinned_pem.as_str().unwrap(),
        pk.to_public_key_pem(Default::default()).unwrap()
    );
    assert_eq!(cfg["trusted_albs"], json!([ALB]));
    assert_eq!(cfg["issuer"], ISSUER);
    assert_eq!(cfg["client_id"], CLIENT);
    assert!(
        r.stdout.contains(kid.as_str()),
        "the kid is printed: {}",
        r.stdout
    );
}

#[test]
fn keys_new_private_key_is_readable_only_by_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let d = Dir::new("keysmode");
    assert_eq!(keys_new(&d, &[]).code, 0);
    let mode = std::fs::metadata(d.path("k/alb.key"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn keys_new_without_values_uses_example_values_and_the_config_loads() {
    let d = Dir::new("keysdefault");
    assert_eq!(keys_new(&d, &[]).code, 0);
    let cfg = read_json(&d.path("k/albauth.json"));
    assert!(cfg["trusted_albs"][0]
        .as_str()
        .unwrap()
        .starts_with("arn:aws:elasticloadbalancing:"));
    assert!(cfg["issuer"].as_str().unwrap().starts_with("https://"));
    assert!(!cfg["client_id"].as_str().unwrap().is_empty());
    let r = run(albauth().args(["check", "--config", &d.path("k/albauth.json")]));
    assert_eq!((r.code, r.json()), (3, json!({"outcome": "anonymous"})));
}

#[test]
fn keys_new_makes_a_fresh_key_and_kid_each_time() {
    let (a, b) = (Dir::new("keysfresh-a"), Dir::new("keysfresh-b"));
    assert_eq!(keys_new(&a, &[]).code, 0);
    assert_eq!(keys_new(&b, &[]).code, 0);
    let read = |d: &Dir, f: &str| std::fs::read_to_string(d.path(f)).unwrap();
    assert_ne!(read(&a, "k/alb.key"), read(&b, "k/alb.key"));
    let kid = |d: &Dir| {
        read_json(&d.path("k/albauth.json"))["pinned_keys"]
            .as_object()
            .unwrap()
            .keys()
            .next()
            .unwrap()
            .clone()
    };
    assert_ne!(kid(&a), kid(&b));
}

#[test]
fn keys_new_never_overwrites_an_existing_key() {
    let d = Dir::new("keysexist");
    assert_eq!(keys_new(&d, &[]).code, 0);
    let before = std::fs::read_to_string(d.path("k/alb.key")).unwrap();
    let r = keys_new(&d, &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("alb.key exists; nothing written"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read_to_string(d.path("k/alb.key")).unwrap(),
        before
    );
}

#[test]
fn keys_new_with_an_invalid_signer_writes_nothing_and_names_the_field() {
    let d = Dir::new("keysbad");
    let r = keys_new(&d, &["--signer", "arn:aws:s3:::bucket"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("trusted_albs"), "{}", r.stderr);
    assert!(!Path::new(&d.path("k/alb.key")).exists());
}

#[test]
fn keys_new_prints_next_commands_that_run_as_printed() {
    let d = Dir::new("keysnext");
    let r = keys_new(&d, &["--signer", ALB]);
    assert_eq!(r.code, 0);
    let next: Vec<&str> = r
        .stdout
        .lines()
        .skip_while(|l| *l != "next:")
        .skip(1)
        .map(str::trim)
        .collect();
    assert_eq!(next.len(), 2, "{}", r.stdout);
    assert!(next[0].starts_with("albauth mint "), "{}", next[0]);
    assert!(next[1].starts_with("albauth check "), "{}", next[1]);
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_albauth")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let sh = |line: &str| {
        run(Command::new("sh")
            .args(["-c", line])
            .env("PATH", &path)
            .current_dir(&d.0))
    };
    assert_eq!(sh(next[0]).code, 0);
    let check = sh(next[1]);
    assert_eq!(check.code, 0, "{}\n{}", check.stdout, check.stderr);
    assert_eq!(check.json()["outcome"], "authenticated");
    assert_eq!(check.json()["username"], "test.user@example.com");
    assert!(
        check.stderr.contains("outcome  authenticated"),
        "{}",
        check.stderr
    );
}

// ---- albauth mint ----

/// `keys new` in `d`, returning (key path, kid, config path).
fn test_key(d: &Dir) -> (String, String, String) {
    assert_eq!(
        keys_new(d, &["--signer", ALB, "--iss", ISSUER, "--client", CLIENT]).code,
        0
    );
    let cfg = d.path("k/albauth.json");
    let kid = read_json(&cfg)["pinned_keys"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    (d.path("k/alb.key"), kid, cfg)
}

fn mint(key: &str, kid: &str, extra: &[&str]) -> Run {
    run(albauth()
        .args([
            "mint", "--key", key, "--kid", kid, "--signer", ALB, "--iss", ISSUER, "--client",
            CLIENT,
        ])
        .args(extra))
}

fn check_token(cfg: &str, token: &str, extra: &[&str]) -> Run {
    run_with_stdin(
        albauth()
            .args(["check", "--config", cfg, "--header-file", "-"])
            .args(extra),
        &format!("x-amzn-oidc-data: {token}"),
    )
}

#[test]
fn minted_token_authenticates_through_check_on_the_system_clock() {
    let d = Dir::new("mintok");
    let (key, kid, cfg) = test_key(&d);
    let m = mint(&key, &kid, &[]);
    assert_eq!(m.code, 0, "{}", m.stderr);
    assert_eq!(m.stderr, "", "the token goes to stdout only");
    assert_eq!(m.stdout.lines().count(), 1);
    let r = check_token(&cfg, m.stdout.trim_end(), &[]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(
        r.json(),
        json!({"outcome": "authenticated", "username": "test.user@example.com",
               "display_name": "Test User", "email": "test.user@example.com",
               "groups": [], "sub": "albauth-test-user"})
    );
}

#[test]
fn minted_token_is_alb_shaped_with_padded_segments() {
    let d = Dir::new("mintshape");
    let (key, kid, _) = test_key(&d);
    let m = mint(&key, &kid, &["--now", &now()]);
    let token = m.stdout.trim_end();
    let segs: Vec<&str> = token.split('.').collect();
    assert_eq!(segs.len(), 3);
    for s in &segs {
        assert_eq!(s.len() % 4, 0, "padded like the ALB's: {s}");
    }
    assert!(
        segs[2].ends_with('='),
        "a 64-byte signature is 86 chars + 2 padding"
    );
    let header = String::from_utf8(B64_PADDED.decode_str(segs[0])).unwrap();
    assert_eq!(
        header,
        json!({"typ": "JWT", "kid": kid, "alg": "ES256", "iss": ISSUER, "client": CLIENT,
               "signer": ALB, "exp": NOW + 120})
        .to_string()
    );
    let payload: Value = serde_json::from_slice(&B64_PADDED.decode_str(segs[1])).unwrap();
    assert_eq!(payload["exp"], NOW + 120);
    assert_eq!(payload["iss"], ISSUER);
}

/// base64 decoding for the shape test.
trait DecodeStr {
    fn decode_str(&self, s: &str) -> Vec<u8>;
}

impl DecodeStr for base64::engine::GeneralPurpose {
    fn decode_str(&self, s: &str) -> Vec<u8> {
        base64::Engine::decode(self, s).unwrap()
    }
}

#[test]
fn minted_token_is_accepted_by_the_library_with_a_pinned_key() {
    let d = Dir::new("mintlib");
    let (key, kid, cfg) = test_key(&d);
    let m = mint(&key, &kid, &["--now", &now()]);
    let v = albauth::Verifier::from_json(&std::fs::read_to_string(cfg).unwrap()).unwrap();
    let o = v.verify([("x-amzn-oidc-data", m.stdout.trim_end())], Some(NOW));
    assert_eq!(outcome_code(&o), "authenticated");
}

#[test]
fn mint_claims_replace_defaults_and_add_others() {
    let d = Dir::new("mintclaims");
    let (key, kid, cfg) = test_key(&d);
    let mut c = read_json(&cfg);
    c["groups_claim"] = json!("groups");
    let cfg = d.write("groups.json", &c.to_string());
    let m = mint(
        &key,
        &kid,
        &[
            "--claim",
            "email=Ops@Example.com",
            "--claim",
            "sub=u-42",
            "--claim-json",
            r#"groups=["jira-admins","ops"]"#,
        ],
    );
    assert_eq!(m.code, 0, "{}", m.stderr);
    let r = check_token(&cfg, m.stdout.trim_end(), &[]);
    assert_eq!(r.json()["username"], "Ops@Example.com");
    assert_eq!(r.json()["sub"], "u-42");
    assert_eq!(r.json()["groups"], json!(["jira-admins", "ops"]));
}

#[test]
fn mint_claim_json_null_makes_a_token_with_a_missing_claim() {
    let d = Dir::new("mintnull");
    let (key, kid, cfg) = test_key(&d);
    let m = mint(&key, &kid, &["--claim-json", "email=null"]);
    let r = check_token(&cfg, m.stdout.trim_end(), &[]);
    assert_eq!(
        (r.code, r.json()["error"].clone()),
        (1, json!("claim_missing"))
    );
}

#[test]
fn mint_exp_in_sets_the_expiry() {
    let d = Dir::new("mintexp");
    let (key, kid, cfg) = test_key(&d);
    let m = mint(&key, &kid, &["--now", &now(), "--exp-in", "-600"]);
    let r = check_token(&cfg, m.stdout.trim_end(), &["--now", &now()]);
    assert_eq!(r.json()["error"], "expired", "{}", r.stdout);
    let m = mint(&key, &kid, &["--now", &now(), "--exp-in", "3600"]);
    let r = check_token(
        &cfg,
        m.stdout.trim_end(),
        &["--now", &(NOW + 3000).to_string()],
    );
    assert_eq!(r.json()["outcome"], "authenticated", "{}", r.stdout);
}

#[test]
fn mint_for_another_signer_is_refused_by_check_as_signer_not_trusted() {
    let d = Dir::new("mintsigner");
    let (key, kid, cfg) = test_key(&d);
    let m = run(albauth().args([
        "mint", "--key", &key, "--kid", &kid, "--signer", ALB_OTHER, "--iss", ISSUER, "--client",
        CLIENT,
    ]));
    let r = check_token(&cfg, m.stdout.trim_end(), &["--explain"]);
    assert_eq!(
        (r.code, r.json()["error"].clone()),
        (1, json!("signer_not_trusted"))
    );
    assert!(r.stderr.contains("FAIL     signer"), "{}", r.stderr);
    assert!(!r.stderr.contains(&m.stdout[..24]), "no token on stderr");
}

#[test]
fn mint_reads_a_sec1_key_as_openssl_writes_it() {
    let k = TestKey::new(1);
    let d = Dir::new("mintsec1");
    let sec1 = p256::SecretKey::from(*k.signing.as_nonzero_scalar());
    let pem = sec1.to_sec1_pem(Default::default()).unwrap();
    assert!(pem.starts_with("-----BEGIN EC PRIVATE KEY-----"));
    let key = d.write("ec.pem", &pem);
    let m = mint(&key, &k.kid, &["--now", &now()]);
    assert_eq!(m.code, 0, "{}", m.stderr);
    let r = check_token(&pinned_config(&d), m.stdout.trim_end(), &["--now", &now()]);
    assert_eq!(r.json()["outcome"], "authenticated", "{}", r.stdout);
}

#[test]
fn mint_without_a_required_flag_is_a_usage_error_naming_it() {
    let r = run(albauth().args([
        "mint", "--kid", KID, "--signer", ALB, "--iss", ISSUER, "--client", CLIENT,
    ]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("albauth mint: --key is required\nusage: albauth mint"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stdout, "");
}

#[test]
fn mint_with_an_unusable_key_names_the_file_and_exits_2() {
    let d = Dir::new("mintbadkey");
    let missing = d.path("none.key");
    let r = mint(&missing, KID, &[]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        format!("albauth mint: cannot read --key {missing}: no such file\n")
    );
    let public = d.write("pub.pem", &TestKey::new(1).pem());
    let r = mint(&public, KID, &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not a P-256 private key"), "{}", r.stderr);
    assert_eq!(r.stdout, "");
}

#[test]
fn mint_refuses_a_claim_given_twice() {
    let d = Dir::new("mintdup");
    let (key, kid, _) = test_key(&d);
    let r = mint(
        &key,
        &kid,
        &["--claim", "email=a@x", "--claim-json", "email=\"b@x\""],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("claim `email` given twice"),
        "{}",
        r.stderr
    );
}

// ---- examples/config: one config per template ----

#[test]
fn every_template_has_an_example_config_that_check_loads() {
    for template in ["cognito", "azure", "okta", "google", "keycloak"] {
        let path = format!("{ROOT}/examples/config/{template}.json");
        let cfg = read_json(&path);
        assert_eq!(cfg["template"], template, "{path}");
        let r = run(albauth().args(["check", "--config", &path, "--explain"]));
        assert_eq!(
            (r.code, r.json()),
            (3, json!({"outcome": "anonymous"})),
            "{path}: {}",
            r.stdout
        );
        assert!(
            !r.stderr.contains("WARNING"),
            "{path} is warned about:\n{}",
            r.stderr
        );
        let doc = std::fs::read_to_string(format!("{ROOT}/examples/config/README.md")).unwrap();
        assert!(
            doc.contains(&format!("## `{template}.json`")),
            "examples/config/README.md documents {template}.json"
        );
    }
}

// ---- the quickstart's next steps ----

#[test]
fn quickstart_prints_the_three_commands_to_run_next() {
    let mut p: PathBuf = std::env::current_exe().unwrap();
    p.pop();
    if p.ends_with("deps") {
        p.pop();
    }
    let r = run(&mut Command::new(p.join("examples").join("quickstart")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let next = r
        .stdout
        .split_once("\nNext")
        .map(|(_, n)| n)
        .unwrap_or_else(|| panic!("{}", r.stdout));
    for cmd in [
        "cargo install --path .",
        "albauth keys new --out",
        "albauth mint --key",
        "albauth check --config",
    ] {
        assert!(next.contains(cmd), "`{cmd}` missing:\n{next}");
    }
}

// ---- README samples ----

#[test]
fn readme_troubleshooting_sample_is_what_check_prints() {
    let readme = std::fs::read_to_string(format!("{ROOT}/README.md")).unwrap();
    let cmd = "$ albauth check --config albauth.json --header-file headers.txt --explain\n";
    let sample = readme
        .split_once(cmd)
        .unwrap_or_else(|| panic!("README.md has no `{}` sample", cmd.trim()))
        .1
        .split("```")
        .next()
        .unwrap();
    // The sample's situation: a token from an ALB the config does not trust.
    let k = TestKey::new(1);
    let d = Dir::new("readme");
    let token = AlbToken::new(&k).header("signer", ALB_OTHER).sign(&k);
    let headers = d.write("headers.txt", &format!("x-amzn-oidc-data: {token}\n"));
    let r = run(albauth().args([
        "check",
        "--config",
        &pinned_config(&d),
        "--now",
        &now(),
        "--header-file",
        &headers,
        "--explain",
    ]));
    assert_eq!(r.code, 1);
    assert_eq!(format!("{}{}", r.stderr, r.stdout), sample);
}

// ---- albauth check --current-user: what a login would change ----

fn provisioning_config(d: &Dir) -> String {
    d.write(
        "prov.json",
        &config(
            None,
            &[&TestKey::new(1)],
            json!({"groups_claim": "groups",
                   "provisioning": {"default_groups": ["jira-software-users"]}}),
        ),
    )
}

fn check_with_current_user(d: &Dir, current: &str, explain: bool) -> Run {
    let k = TestKey::new(1);
    let t = AlbToken::new(&k)
        .claim("groups", json!(["Engineering"]))
        .sign(&k);
    let headers = d.write("h.txt", &format!("x-amzn-oidc-data: {t}\n"));
    let cfg = provisioning_config(d);
    let mut args = vec![
        "check",
        "--config",
        &cfg,
        "--header-file",
        &headers,
        "--current-user",
        current,
    ];
    let now = now();
    args.extend(["--now", &now]);
    if explain {
        args.push("--explain");
    }
    run(albauth().args(args))
}

#[test]
fn check_current_user_none_plans_the_creation() {
    let d = Dir::new("cu-none");
    let r = check_with_current_user(&d, "none", false);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let plan = &r.json()["plan"];
    assert_eq!(plan["refused"], Value::Null);
    let actions: Vec<&str> = plan["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["create_user", "add_to_group", "add_to_group"]);
}

#[test]
fn check_current_user_file_plans_against_the_host_record() {
    let d = Dir::new("cu-file");
    let id = AlbToken::new(&TestKey::new(1)).claims["sub"].clone();
    let rec = d.write(
        "user.json",
        &json!({"username": "jane@example.com", "active": false,
                "groups": ["jira-software-users", "Engineering"], "attributes": {"idp_id": id}})
        .to_string(),
    );
    let r = check_with_current_user(&d, &rec, false);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(r.json()["plan"]["refused"], "user_inactive", "{}", r.stdout);
}

#[test]
fn check_current_user_explain_says_why_each_action_without_values() {
    let d = Dir::new("cu-explain");
    let r = check_with_current_user(&d, "none", true);
    assert!(r.stderr.contains("plan     create_user"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("plan     add_to_group jira-software-users default group"),
        "{}",
        r.stderr
    );
    let email = r.json()["email"].as_str().unwrap().to_string();
    assert!(
        !r.stderr.contains(&email),
        "no personal data on stderr: {}",
        r.stderr
    );
}

#[test]
fn check_current_user_invalid_record_is_a_config_error_naming_the_field() {
    let d = Dir::new("cu-bad");
    let rec = d.write("user.json", r#"{"username": "x"}"#);
    let r = check_with_current_user(&d, &rec, false);
    assert_eq!(r.code, 2);
    assert_eq!(r.json()["outcome"], "config_error");
    assert!(
        r.json()["detail"].as_str().unwrap().contains("active"),
        "{}",
        r.stdout
    );
}

/// With `provisioning.source: directory`, `--current-user` asks the IdP's directory first (a
/// scripted Okta on loopback): its groups reach the plan, and a user it reports disabled is
/// refused although the ALB token is valid.
#[test]
fn check_current_user_with_a_directory_source_plans_the_merged_login() {
    use scripted::{Reply, ScriptedServer};
    for (status, refused) in [("ACTIVE", Value::Null), ("SUSPENDED", json!("not_allowed"))] {
        let s = ScriptedServer::start();
        s.on(
            "/api/v1/users",
            vec![Reply::json(json!([{"id": "00u1", "status": status,
                "profile": {"email": "jane.doe@example.com", "firstName": "Jane", "lastName": "Directory"}}]))],
        );
        s.on(
            "/api/v1/users/00u1/groups",
            vec![Reply::json(
                json!([{"id": "g1", "profile": {"name": "Jira Users"}}]),
            )],
        );
        let d = Dir::new("cu-directory");
        let cfg = d.write(
            "dir.json",
            &config(
                None,
                &[&TestKey::new(1)],
                json!({"provisioning": {"source": "directory"},
                       "directory_sync": {"connector": {"type": "okta", "org_url": s.url(""),
                                                        "api_token": "okta-s3cr3t-token"}}}),
            ),
        );
        let k = TestKey::new(1);
        let t = AlbToken::new(&k).sign(&k);
        let headers = d.write("h.txt", &format!("x-amzn-oidc-data: {t}\n"));
        let now = now();
        let r = run(albauth().args([
            "check",
            "--config",
            &cfg,
            "--header-file",
            &headers,
            "--current-user",
            "none",
            "--now",
            &now,
        ]));
        assert_eq!(r.code, 0, "{}", r.stdout);
        assert!(!r.stdout.contains("okta-s3cr3t-token") && !r.stderr.contains("okta-s3cr3t-token"));
        let plan = &r.json()["plan"];
        assert_eq!(plan["refused"], refused, "{}", r.stdout);
        if status == "ACTIVE" {
            let text = plan.to_string();
            assert!(text.contains("Jira Users"), "{text}");
            assert!(text.contains("Jane Directory"), "{text}");
            assert!(text.contains("00u1"), "the IdP id: {text}");
        } else {
            assert!(
                plan["detail"].as_str().unwrap().contains("disabled"),
                "{}",
                r.stdout
            );
        }
        let search = s
            .seen()
            .iter()
            .any(|r| r.target.contains("search=profile.email"));
        assert!(search, "the directory was asked");
    }
}
