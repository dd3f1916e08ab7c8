# Step runner of tests/run-all.sh (sourced): each step's duration, a progress line while a
# step is quiet, per-step test counts and a closing table. tests/run_all.rs tests it on short
# commands. The caller sets `logs` (a scratch directory).
#
# Env: PROGRESS_QUIET_SECS (default 25): a quiet step gets a progress line after this long;
#      checked every PROGRESS_POLL_SECS (default 5), so a line appears at least every 30 s.

# 75 -> "1m 15s".
dur() { printf '%dm %02ds' $(($1 / 60)) $(($1 % 60)); }

# Prints a line for step $1 each time its log $2 has not grown for PROGRESS_QUIET_SECS.
progress() {
    local title=$1 log=$2 start=$SECONDS size last=0 quiet_since=$SECONDS
    local quiet=${PROGRESS_QUIET_SECS:-25} poll=${PROGRESS_POLL_SECS:-5}
    while sleep "$poll"; do
        size=$(stat -c %s "$log" 2>/dev/null || echo 0)
        if [ "$size" != "$last" ]; then
            last=$size
            quiet_since=$SECONDS
        elif [ $((SECONDS - quiet_since)) -ge "$quiet" ]; then
            printf '.... %s: still running (%s so far)\n' "$title" "$(dur $((SECONDS - start)))"
            quiet_since=$SECONDS
        fi
    done
}

# "PASSED FAILED" of a step's log: cargo's `test result:` lines, jni/test.sh's `java:` line,
# fuzz/run.sh's closing `fuzz:` line (targets, not tests).
count() {
    awk '/^test result:/ {p += $4; f += $6}
         /^java: [0-9]+ passed/ {p += $2; f += $4}
         /^fuzz: [0-9]+ ok/ {p += $2; f += $4}
         END {print p + 0, f + 0}' "$1"
}

summary=()
declare -A passed_in failed_in
total_start=$SECONDS
ticker=

print_summary() {
    printf '\n==== summary: %s in all\n' "$(dur $((SECONDS - total_start)))"
    printf '%-52s %8s %7s %7s\n' step time passed failed
    printf '%s\n' "${summary[@]}"
}

# run_step NAME TITLE COMMAND...: runs COMMAND with its output shown and kept for counting.
run_step() {
    local name=$1 title=$2 start=$SECONDS rc p f
    shift 2
    printf '\n==== %s\n' "$title"
    : >"$logs/$name.log"
    progress "$title" "$logs/$name.log" &
    ticker=$!
    set +e
    "$@" 2>&1 | tee "$logs/$name.log"
    rc=${PIPESTATUS[0]}
    set -e
    kill "$ticker" 2>/dev/null || true
    wait "$ticker" 2>/dev/null || true
    ticker=
    read -r p f < <(count "$logs/$name.log")
    passed_in[$name]=$p
    failed_in[$name]=$f
    local secs=$((SECONDS - start)) status=ok
    [ "$rc" -eq 0 ] || status="FAILED (exit $rc)"
    printf '==== %s: %s, %s\n' "$title" "$status" "$(dur "$secs")"
    summary+=("$(printf '%-52s %8s %7s %7s' "$title" "$(dur "$secs")" "$p" "$f")")
    if [ "$rc" -ne 0 ]; then
        print_summary
        exit "$rc"
    fi
}

