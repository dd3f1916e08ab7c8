//! The step runner of `tests/run-all.sh` (`tests/steps.sh`), on short commands: each step's
//! duration, progress lines while a step is quiet, per-step counts and the closing table.

use std::process::Command;

/// Runs `script` in bash with tests/steps.sh sourced and a scratch `logs`; (exit, output).
fn steps(script: &str, quiet_secs: u32) -> (i32, String) {
    let logs = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("run_all-{}-{quiet_secs}", std::process::id()));
    std::fs::create_dir_all(&logs).unwrap();
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "set -euo pipefail; logs={}; source tests/steps.sh; {script}",
            logs.display()
        ))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("PROGRESS_QUIET_SECS", quiet_secs.to_string())
        .env("PROGRESS_POLL_SECS", "1")
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&logs);
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn a_step_prints_its_title_output_and_duration() {
    let (code, out) = steps("run_step a 'Step A' echo hello", 25);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("==== Step A\nhello\n==== Step A: ok, 0m 0"),
        "{out}"
    );
}

#[test]
fn a_quiet_step_gets_progress_lines() {
    let (code, out) = steps("run_step q 'Quiet step' sleep 6", 2);
    assert_eq!(code, 0, "{out}");
    let progress = out
        .lines()
        .filter(|l| l.starts_with(".... Quiet step: still running ("))
        .count();
    assert!(progress >= 1, "{out}");
}

#[test]
fn a_step_that_keeps_printing_gets_no_progress_lines() {
    let (code, out) = steps(
        "run_step busy 'Busy step' bash -c 'for i in 1 2 3 4 5 6; do echo $i; sleep 1; done'",
        3,
    );
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("still running"), "{out}");
}

#[test]
fn counts_cargo_junit_and_fuzz_lines_per_step_in_the_summary() {
    let (code, out) = steps(
        r#"run_step r 'Rust' printf 'test result: ok. 5 passed; 0 failed; 0 ignored\ntest result: ok. 2 passed; 0 failed;\n'
           run_step j 'Java' echo 'java: 7 passed, 0 failed'
           run_step z 'Fuzz' echo 'fuzz: 8 ok, 0 failed'
           print_summary
           echo "rust=${passed_in[r]} java=${passed_in[j]} fuzz=${passed_in[z]}""#,
        25,
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("rust=7 java=7 fuzz=8"), "{out}");
    assert!(out.contains("==== summary: 0m 0"), "{out}");
    let row = out.lines().find(|l| l.starts_with("Rust ")).unwrap();
    assert!(row.ends_with("      7       0"), "{row}");
}

#[test]
fn a_failing_step_stops_the_run_with_its_exit_code_and_the_summary_so_far() {
    let (code, out) = steps(
        "run_step ok 'First' true; run_step bad 'Second' bash -c 'exit 3'; echo not reached",
        25,
    );
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("==== Second: FAILED (exit 3), 0m 0"), "{out}");
    assert!(out.contains("==== summary"), "{out}");
    assert!(!out.contains("not reached"), "{out}");
}
