#!/usr/bin/env bash
# Every test albauth has: Rust on both signature backends (with the C tests under
# ASan/UBSan and the command-line tests), Java (JNI and the filter in real Jetty), the
# Jira/Confluence app (Felix, Jetty, Tomcat 10, the admin page in Chromium), a fuzz smoke of
# every target, and the Miri subset. The README's "all tests" command; .ci/run runs it.
#
#   bash tests/run-all.sh            # FUZZ_SECONDS=20 per target by default
#
# Each step prints its duration when it ends, and a progress line whenever it has been quiet
# for 25 s (Miri runs minutes without output), so a line appears at least every 30 s. The
# closing table gives each step's time and test counts, and the last lines say what was
# counted: the Rust suite runs once per signature backend, so most Rust tests count twice.
set -euo pipefail
cd "$(dirname "$0")/.."
logs=$(mktemp -d)
# shellcheck source=tests/steps.sh
source tests/steps.sh
cleanup() {
    if [ -n "$ticker" ]; then kill "$ticker" 2>/dev/null || true; fi
    rm -rf "$logs"
}
trap cleanup EXIT
exec > >(tee "$logs/all.log") 2>&1

run_step install "Install what the tests need (.ci/install.sh)" bash .ci/install.sh
run_step rust "Rust tests, aws-lc-rs backend (default)" cargo test
run_step rust_crypto "Rust tests, rust-crypto backend (p256)" \
    cargo test --no-default-features --features rust-crypto
run_step java "Java: JNI bindings and the servlet filter in Jetty 9" bash jni/test.sh
run_step app "Jira/Confluence app: four jars, Felix, Jetty 9, Tomcat 10, Chromium" bash jni/app/test.sh
run_step fuzz "Fuzz smoke: every target for ${FUZZ_SECONDS:-20} s" bash fuzz/run.sh "${FUZZ_SECONDS:-20}"
run_step miri "Miri subset" bash tests/miri.sh

print_summary
tests=(rust rust_crypto java app miri)
p=0 f=0
for t in "${tests[@]}"; do
    p=$((p + passed_in[$t]))
    f=$((f + failed_in[$t]))
done
printf 'all: %d passed, %d failed\n' "$p" "$f"
printf '     (test runs, not distinct tests: the Rust suite runs on both signature backends,\n'
printf '     %d on aws-lc-rs + %d on p256 (a few tests exist for one backend only), so most Rust\n' \
    "${passed_in[rust]}" "${passed_in[rust_crypto]}"
printf '     tests count twice; then %d JUnit tests, %d app tests (JUnit and browser), and %d Rust\n' \
    "${passed_in[java]}" "${passed_in[app]}" "${passed_in[miri]}"
printf '     tests a third time under Miri.\n'
printf '     The %d fuzz targets are not counted.)\n' "${passed_in[fuzz]}"
