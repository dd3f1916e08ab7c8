//! The C tests (tests/c/) and examples/verify.c, compiled with
//! `gcc -std=c11 -Wall -Wextra -Werror -fsanitize=address,undefined` against the committed
//! include/albauth.h, linked to the library cargo just built, and run on tokens minted here.
mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use common::*;
use serde_json::{json, Value};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A scratch directory with the copied library, the compiled programs and the fixtures.
struct Build {
    dir: PathBuf,
    fixtures: PathBuf,
}

fn build() -> &'static Build {
    static BUILD: OnceLock<Build> = OnceLock::new();
    BUILD.get_or_init(|| {
        let dir = scratch_dir();
        // Copied, so that another build writing target/ meanwhile cannot swap it.
        std::fs::copy(library(), dir.join("libalbauth.so")).unwrap();
        let fixtures = dir.join("fixtures");
        write_fixtures(&fixtures);
        for (src, name) in [
            ("tests/c/test_api.c", "test_api"),
            ("tests/c/test_threads.c", "test_threads"),
            ("tests/c/test_lifecycle.c", "test_lifecycle"),
            ("examples/verify.c", "verify"),
        ] {
            compile(&dir, src, name);
        }
        Build { dir, fixtures }
    })
}

/// `target/tmp/c_abi-PID`, after removing those of test runs that have ended.
fn scratch_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    for entry in std::fs::read_dir(tmp).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(pid) = name.strip_prefix("c_abi-") {
            if !Path::new("/proc").join(pid).exists() {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    let dir = tmp.join(format!("c_abi-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The cdylib of this build: cargo writes it to `deps/`, next to the test binary.
fn library() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let lib = exe.parent().unwrap().join("libalbauth.so");
    assert!(
        lib.exists(),
        "{} not found (is crate-type cdylib?)",
        lib.display()
    );
    lib
}

fn compile(dir: &Path, src: &str, name: &str) {
    let out = Command::new("gcc")
        .args([
            "-std=c11",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-fsanitize=address,undefined",
        ])
        .args([
            "-fno-sanitize-recover=all",
            "-fno-omit-frame-pointer",
            "-g",
            "-pthread",
        ])
        .arg(format!("-I{ROOT}/include"))
        .arg(format!("-I{ROOT}/tests/c"))
        .arg(Path::new(ROOT).join(src))
        .arg("-o")
        .arg(dir.join(name))
        .arg(format!("-L{}", dir.display()))
        .arg(format!("-Wl,-rpath,{}", dir.display()))
        .arg("-lalbauth")
        .output()
        .expect("gcc is needed for the C tests (apt-get install gcc)");
    assert!(
        out.status.success(),
        "gcc {src} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn write_fixtures(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let k = TestKey::new(1);
    let k3 = TestKey::new(3);
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();
    write("now", &NOW.to_string());
    write(
        "config_pinned.json",
        &config(None, &[&k], json!({"groups_claim": "groups"})),
    );
    write(
        "config_azure.json",
        &config(
            None,
            &[&k],
            json!({"template": "azure", "issuer": AZURE_ISSUER,
                   "access_token_jwks_url": "http://127.0.0.1:9/jwks"}),
        ),
    );
    let base = || AlbToken::new(&k);
    let tokens = [
        (
            "token_valid",
            base()
                .claim("groups", json!(["jira-users", "ops"]))
                .sign(&k),
        ),
        ("token_malformed_token", "abc".to_string()),
        (
            "token_unsupported_algorithm",
            base().header("alg", "HS256").sign(&k),
        ),
        (
            "token_invalid_key_id",
            base().header("kid", "not-a-uuid").sign(&k),
        ),
        (
            "token_signer_not_trusted",
            base().header("signer", ALB_OTHER).sign(&k),
        ),
        (
            "token_issuer_mismatch",
            base()
                .header("iss", "https://evil.example")
                .claim("iss", "https://evil.example")
                .sign(&k),
        ),
        (
            "token_client_mismatch",
            base().header("client", "another-client").sign(&k),
        ),
        ("token_expired", base().exp(NOW - 600).sign(&k)),
        ("token_invalid_signature", base().sign(&TestKey::new(2))),
        ("token_key_unavailable", AlbToken::new(&k3).sign(&k3)),
        (
            "token_claim_missing",
            base().claim("sub", Value::Null).sign(&k),
        ),
        ("token_azure", azure_data_token(&k).sign(&k)),
    ];
    for (name, token) in &tokens {
        write(name, token);
    }
    for u in 0..4 {
        let t = base()
            .claim("email", format!("user{u}@example.com"))
            .sign(&k);
        write(&format!("token_user{u}"), &t);
    }
}

/// Runs a compiled program on the fixtures, with leak detection and fatal UB.
fn run(name: &str, extra: &[&str]) -> Output {
    let b = build();
    Command::new(b.dir.join(name))
        .arg(&b.fixtures)
        .args(extra)
        // cargo's LD_LIBRARY_PATH would win over the rpath and may hold a stale
        // target/debug/libalbauth.so from an earlier `cargo build`.
        .env_remove("LD_LIBRARY_PATH")
        .env(
            "ASAN_OPTIONS",
            "detect_leaks=1:abort_on_error=0:exitcode=23",
        )
        .env("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
        .output()
        .unwrap()
}

/// Asserts a TAP-like C test program passed every named test and ASan/UBSan were quiet.
fn assert_passed(out: &Output, tests: &[&str]) {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let report = format!(
        "exit {:?}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        out.status.code()
    );
    assert!(out.status.success(), "{report}");
    for t in tests {
        assert!(
            stdout.lines().any(|l| l == format!("ok - {t}")),
            "`ok - {t}` missing:\n{report}"
        );
    }
    assert!(!stdout.contains("not ok"), "{report}");
    assert!(stdout.contains("PASS: 0 failed check(s)"), "{report}");
    assert!(!stderr.contains("Sanitizer"), "{report}");
}

#[test]
fn c_binaries_are_built_with_asan_and_ubsan() {
    let b = build();
    for name in ["test_api", "test_threads", "test_lifecycle", "verify"] {
        let nm = Command::new("nm")
            .arg(b.dir.join(name))
            .output()
            .expect("nm (binutils)");
        let symbols = String::from_utf8_lossy(&nm.stdout);
        assert!(
            symbols.contains("__asan_init"),
            "{name} is not built with ASan"
        );
        assert!(
            symbols.contains("__ubsan_handle_"),
            "{name} is not built with UBSan"
        );
    }
}

#[test]
fn c_api_tests_pass() {
    assert_passed(
        &run("test_api", &[]),
        &[
            "versions_match_the_header",
            "status_names_are_the_codes",
            "valid_token_authenticates_with_every_field",
            "every_status_is_returned_with_its_message",
            "requests_without_a_token_are_anonymous",
            "null_arguments_are_refused",
            "invalid_utf8_is_invalid_argument",
            "missing_err_is_fine",
            "cache_hits_and_identities_are_independent",
            "counters_add_up",
            "explained_rejection_names_the_failed_check",
            "reload_keeps_the_old_verifier_when_the_new_config_is_bad",
            "provision_plan_creates_an_unknown_user",
        ],
    );
}

#[test]
fn eight_c_threads_share_one_verifier_with_correct_results() {
    assert_passed(
        &run("test_threads", &[]),
        &["eight_threads_share_one_verifier"],
    );
}

#[test]
fn c_create_and_free_in_a_loop_leaks_nothing() {
    assert_passed(
        &run("test_lifecycle", &[]),
        &[
            "create_verify_free_in_a_loop",
            "failed_creations_leak_nothing",
        ],
    );
}

#[test]
fn leak_sanitizer_catches_a_deliberately_leaked_identity() {
    let out = run("test_lifecycle", &["leak"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(23),
        "LeakSanitizer's exit code:\n{stderr}"
    );
    assert!(
        stderr.contains("LeakSanitizer: detected memory leaks"),
        "{stderr}"
    );
    assert!(stderr.contains("Direct leak of"), "{stderr}");
}

#[test]
fn example_verify_c_authenticates_a_valid_token() {
    let b = build();
    let token = std::fs::read_to_string(b.fixtures.join("token_valid")).unwrap();
    let config = b.fixtures.join("config_pinned.json");
    let out = run_example(&[config.to_str().unwrap(), &token, &NOW.to_string()]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "authenticated as Jane.Doe@Example.com\n"
    );
    assert!(out.status.success());
}

#[test]
fn example_verify_c_reports_a_rejection_by_code() {
    let b = build();
    let token = std::fs::read_to_string(b.fixtures.join("token_expired")).unwrap();
    let config = b.fixtures.join("config_pinned.json");
    let out = run_example(&[config.to_str().unwrap(), &token, &NOW.to_string()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("rejected (expired): expired: token expired 600 s ago"),
        "{stdout}"
    );
    assert_eq!(out.status.code(), Some(1));
}

fn run_example(args: &[&str]) -> Output {
    let b = build();
    let out = Command::new(b.dir.join("verify"))
        .args(args)
        .env_remove("LD_LIBRARY_PATH")
        .env("ASAN_OPTIONS", "detect_leaks=1")
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("Sanitizer"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The `cc` line of README "C API", exactly as written.
fn readme_cc_line() -> String {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    let lines: Vec<&str> = readme
        .lines()
        .filter(|l| l.starts_with("cc ") && l.contains("examples/verify.c"))
        .collect();
    assert_eq!(
        lines.len(),
        1,
        "one cc line for examples/verify.c in README.md"
    );
    lines[0].to_string()
}

#[test]
fn readme_build_line_writes_verify_under_target_and_it_runs_as_written() {
    let line = readme_cc_line();
    assert!(
        line.contains(" -o target/release/verify"),
        "built under target/, not the repo root: {line}"
    );
    // The line as written, with target/release standing for a scratch copy of this build's
    // library (cargo test builds the debug profile).
    let dir = build().dir.join("readme");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(library(), dir.join("libalbauth.so")).unwrap();
    let line = line.replace("target/release", dir.to_str().unwrap());
    let out = Command::new("sh")
        .args(["-c", &line])
        .current_dir(ROOT)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{line}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Run as the README does: a config and a token from `albauth keys new` and `albauth mint`.
    let albauth = env!("CARGO_BIN_EXE_albauth");
    let keys = dir.join("albauth-test");
    let _ = std::fs::remove_dir_all(&keys);
    let made = Command::new(albauth)
        .args(["keys", "new", "--out"])
        .arg(&keys)
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    let config: Value =
        serde_json::from_str(&std::fs::read_to_string(keys.join("albauth.json")).unwrap()).unwrap();
    let kid = config["pinned_keys"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap();
    let minted = Command::new(albauth)
        .args(["mint", "--key"])
        .arg(keys.join("alb.key"))
        .args(["--kid", kid])
        .args(["--signer", config["trusted_albs"][0].as_str().unwrap()])
        .args(["--iss", config["issuer"].as_str().unwrap()])
        .args(["--client", config["client_id"].as_str().unwrap()])
        .output()
        .unwrap();
    let token = String::from_utf8(minted.stdout).unwrap();
    let out = Command::new(dir.join("verify"))
        .arg(keys.join("albauth.json"))
        .arg(token.trim_end())
        .env_remove("LD_LIBRARY_PATH")
        .output()
        .unwrap();
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    assert!(readme.contains("\n# authenticated as test.user@example.com "));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "authenticated as test.user@example.com\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
