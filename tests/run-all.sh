#!/usr/bin/env bash
# Every test albauth has: Rust on both signature backends (with the C tests under
# ASan/UBSan and the check-tool tests), Java (JNI and the filter in real Jetty), a fuzz smoke
# of every target, and the Miri subset. The README's "all tests" command; .ci/run runs it.
#
#   bash tests/run-all.sh            # FUZZ_SECONDS=20 per target by default
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
exec > >(tee "$log") 2>&1
bash .ci/install.sh

step() { printf '\n==== %s\n' "$*"; }

step "Rust tests, aws-lc-rs backend (default), incl. C ABI tests and the check tool"
cargo test

step "Rust tests, rust-crypto backend (p256)"
cargo test --no-default-features --features rust-crypto

step "Java: JNI bindings and the servlet filter in Jetty 9"
bash jni/test.sh

step "Fuzz smoke: every target for ${FUZZ_SECONDS:-20} s"
bash fuzz/run.sh "${FUZZ_SECONDS:-20}"

step "Miri subset"
bash tests/miri.sh

step "all suites passed"
# One closing line over the Rust (cargo test) and Java (JUnit) counts.
awk '/^test result:/ {p += $4; f += $6} /^java: / {p += $2; f += $4}
     END {printf "all: %d passed, %d failed\n", p, f}' "$log"
rm -f "$log"
