#!/usr/bin/env bash
# Builds jni/build/albauth.jar: the io.albauth classes (Java 17) with the native library
# bundled as io/albauth/native/<os>-<arch>/libalbauth.so. Runs `cargo build --release` first
# (a no-op when up to date) unless ALBAUTH_SKIP_CARGO=1. ALBAUTH_CARGO_FEATURES=rust-crypto builds
# the pure-Rust signature backend instead (use a separate CARGO_TARGET_DIR). The library is the
# production one: never built with the test-natives feature.
# Compile-time jar: /usr/share/java/servlet-api.jar (Debian package libservlet-api-java).
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd .. && pwd)
lib=$(./classpath.sh target)/release/libalbauth.so
servlet=/usr/share/java/servlet-api.jar

case ",${ALBAUTH_CARGO_FEATURES:-}," in
    *,test-natives,*)
        echo "build.sh: the test-natives feature never goes into the jar (test.sh builds it apart)" >&2
        exit 2 ;;
esac
if [ "${ALBAUTH_SKIP_CARGO:-0}" != 1 ]; then
    features=()
    if [ -n "${ALBAUTH_CARGO_FEATURES:-}" ]; then
        features=(--no-default-features --features "$ALBAUTH_CARGO_FEATURES")
    fi
    (cd "$root" && cargo build --release --lib --quiet "${features[@]}")
fi
[ -f "$lib" ] || { echo "build.sh: $lib is missing (cargo build --release)" >&2; exit 1; }
[ -f "$servlet" ] || { echo "build.sh: $servlet is missing (apt-get install libservlet-api-java)" >&2; exit 1; }

case "$(uname -m)" in
    x86_64) platform=linux-amd64 ;;
    aarch64 | arm64) platform=linux-aarch64 ;;
    *) platform=linux-$(uname -m) ;;
esac

rm -rf build/classes
mkdir -p build/classes/io/albauth/native/$platform
javac --release 17 -Xlint:all -Werror -encoding UTF-8 -d build/classes -cp "$servlet" \
    $(find src/main/java -name '*.java' | sort)
cp "$lib" build/classes/io/albauth/native/$platform/libalbauth.so
# The release profile keeps line tables for backtraces; the bundled copy does not need them.
if command -v strip >/dev/null; then
    strip --strip-debug build/classes/io/albauth/native/$platform/libalbauth.so
fi
rm -f build/albauth.jar
jar --create --file build/albauth.jar -C build/classes .
echo "build.sh: built jni/build/albauth.jar ($platform)"
