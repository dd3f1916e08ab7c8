#!/usr/bin/env bash
# The JNI benchmark: ns per AlbAuth.verify through JNI (cache hit and miss), a pure-JDK ES256
# verifier on the same tokens in the same JVM, and the Rust API on the same tokens
# (examples/rust_baseline.rs). Prints the figures, the ratios and the targets.
#   jni/bench.sh [--rounds N]
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd .. && pwd)
target=$(./classpath.sh target)
test_target=$(./classpath.sh test-target)
(cd "$root" && cargo build --release --quiet --lib --example rust_baseline)
# The in-JVM Rust baseline is a test-only native: the library with the test-natives feature,
# built in a directory of its own (see test.sh), is the one loaded.
(cd "$root" && CARGO_TARGET_DIR="$test_target" cargo build --release --quiet --lib --features test-natives)
ALBAUTH_SKIP_CARGO=1 ./build-demo.sh >&2
rm -rf build/bench-classes
mkdir -p build/bench-classes
# The benchmark reuses the tests' key and token helpers (io.albauth.testing).
# -Xlint:-path: Debian's h2.jar names optional jars (Lucene ...) in its manifest Class-Path.
javac --release 17 -Xlint:all,-path -Werror -encoding UTF-8 -d build/bench-classes -cp "$(./classpath.sh test)" \
    $(find src/test/java/io/albauth/testing src/test/java/io/albauth/TestNatives.java src/bench/java -name '*.java' | sort)
exec java -Xms256m -Dalbauth.library.path="$test_target/release/libalbauth.so" \
    -Dalbauth.test.fixtures="$root/tests/fixtures/ids.properties" -cp "build/bench-classes:$(./classpath.sh demo)" io.albauth.bench.JniBenchmark \
    --rust "$target/release/examples/rust_baseline" "$@"
