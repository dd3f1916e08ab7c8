#!/usr/bin/env bash
# Builds the Rust library (cargo build --release), jni/build/albauth.jar, the demo and the tests,
# then runs every JUnit 5 test with the console launcher. Prints the JUnit summary and a final
# "java: N passed, N failed" line; exits non-zero on any failure.
# The tests run on a second build of the library, with the cargo feature test-natives (the
# natives io.albauth.TestNatives declares), in `classpath.sh test-target`; the jar keeps the
# production library, which NativeLoaderTest checks lacks them.
# Debian packages: openjdk-17-jdk-headless libservlet-api-java libjetty9-java junit5 libh2-java.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd .. && pwd)
[ -f /usr/share/java/h2.jar ] || { echo "test.sh: /usr/share/java/h2.jar is missing (apt-get install libh2-java)" >&2; exit 1; }
./build-demo.sh
if [ -n "${ALBAUTH_CARGO_FEATURES:-}" ]; then
    features="--no-default-features --features $ALBAUTH_CARGO_FEATURES,test-natives"
else
    features="--features test-natives"
fi
test_target=$(./classpath.sh test-target)
# shellcheck disable=SC2086 # $features is a list of cargo arguments
(cd "$root" && CARGO_TARGET_DIR="$test_target" cargo build --release --lib --quiet $features)
test_lib=$test_target/release/libalbauth.so
rm -rf build/test-classes
mkdir -p build/test-classes
# -Xlint:-path: Debian's h2.jar names optional jars (Lucene ...) in its manifest Class-Path.
javac --release 17 -Xlint:all,-serial,-try,-path -Werror -encoding UTF-8 -d build/test-classes \
    -cp "$(./classpath.sh test)" $(find src/test/java -name '*.java' | sort)

log=build/junit.log
set +e
java -Dorg.eclipse.jetty.util.log.class=org.eclipse.jetty.util.log.JavaUtilLog \
    -Dalbauth.library.path="$test_lib" \
    -Dalbauth.test.native="$test_lib" \
    -Dalbauth.test.fixtures="$root/tests/fixtures/ids.properties" \
    -Dalbauth.test.jni="$(pwd)" \
    -Djava.util.logging.config.file=src/test/logging.properties \
    -jar /usr/share/java/junit-platform-console-standalone.jar \
    --class-path "$(./classpath.sh test)" --scan-class-path build/test-classes \
    --disable-banner --disable-ansi-colors --details=tree --fail-if-no-tests "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
passed=$(sed -n 's/.*\[ *\([0-9]*\) tests successful *\].*/\1/p' "$log" | tail -1)
failed=$(sed -n 's/.*\[ *\([0-9]*\) tests failed *\].*/\1/p' "$log" | tail -1)
echo "java: ${passed:-0} passed, ${failed:-0} failed"
exit "$status"
