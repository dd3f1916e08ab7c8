#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 20) on the nightly toolchain, with
# -rss_limit_mb=512 -timeout=2, and prints one summary line per target. Exits non-zero if any
# target crashes, leaks, times out or runs out of memory; the crashing input is left in
# fuzz/artifacts/<target>/ (add it to tests/fixtures/fuzz/ with a regression test).
#
#   fuzz/run.sh          # CI smoke: 20 s per target
#   fuzz/run.sh 600      # the long run: 10 minutes per target
#
# Env: FUZZ_TARGETS="a b" to run a subset (e.g. two run.sh in parallel on two cores);
#      FUZZ_FEATURES="--no-default-features --features rust-crypto" for the pure-Rust backend;
#      FUZZ_TARGET_DIR=DIR: the instrumented build's directory (default fuzz/target, or
#      CARGO_TARGET_DIR when set). The build is reused whenever it is up to date: a second run
#      in the same tree starts fuzzing within a second. A fresh clone builds every dependency
#      (about 16 minutes on 2 busy cores) unless FUZZ_TARGET_DIR points at a kept build, in
#      which case only albauth and the fuzz crate are compiled again (about 30 s).
# Committed seeds in fuzz/corpus/<target> are read only; what the fuzzer finds goes to
# fuzz/target/corpus/<target> (not committed), so repeated runs build on each other.
set -uo pipefail

SECONDS_PER_TARGET="${1:-20}"
cd "$(dirname "$0")"
# Debug assertions and overflow checks on: an arithmetic overflow on attacker input is a bug.
# shellcheck disable=SC2206
FEATURES=(--debug-assertions ${FUZZ_FEATURES:-})
if [ -n "${FUZZ_TARGET_DIR:-}" ]; then
    FEATURES+=(--target-dir "$FUZZ_TARGET_DIR")
fi

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz/run.sh: needs cargo-fuzz and the nightly toolchain (cargo install cargo-fuzz; rustup toolchain install nightly)" >&2
    exit 2
fi

targets="${FUZZ_TARGETS:-$(cargo +nightly fuzz list)}"
echo "fuzz/run.sh: building $(echo "$targets" | wc -w) targets ${FEATURES[*]} (reused when up to date)"
build_started=$(date +%s)
cargo +nightly fuzz build "${FEATURES[@]}" || exit 2
echo "fuzz/run.sh: build ready in $(( $(date +%s) - build_started )) s"

failed=0
ok=0
summary=()
for t in $targets; do
    work="target/corpus/$t"
    mkdir -p "$work" "corpus/$t" "artifacts/$t"
    log="target/fuzz-$t.log"
    started=$(date +%s)
    cargo +nightly fuzz run "${FEATURES[@]}" "$t" "$work" "corpus/$t" -- \
        -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=512 -timeout=2 \
        -dict=albauth.dict -print_final_stats=1 \
        >"$log" 2>&1
    rc=$?
    elapsed=$(( $(date +%s) - started ))
    # libFuzzer's final stats: executions and the last coverage / feature counts.
    execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
    cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
    corpus=$(find "$work" -type f | wc -l)
    if [ "$rc" -eq 0 ]; then
        status=ok
        ok=$((ok + 1))
    else
        status="FAILED (exit $rc, see fuzz/$log and fuzz/artifacts/$t/)"
        failed=1
    fi
    line=$(printf '%-20s %-4s %6ss  execs %-10s %-22s corpus %s' "$t" "$status" "$elapsed" "$execs" "${cov:-cov: ?}" "$corpus")
    [ "$rc" -eq 0 ] || line=$(printf '%-20s %s  %6ss  execs %s  %s' "$t" "$status" "$elapsed" "$execs" "${cov:-cov: ?}")
    echo "$line"
    summary+=("$line")
done

echo "---- fuzz summary (${SECONDS_PER_TARGET}s per target) ----"
printf '%s\n' "${summary[@]}"
# One count line, read by tests/run-all.sh.
echo "fuzz: $ok ok, $(( $(echo "$targets" | wc -w) - ok )) failed"
exit "$failed"
