#!/usr/bin/env bash
# Installs what the tests need on a fresh machine (idempotent; fast when all is present):
# Debian's gcc and Java jars (servlet API, Jetty 9, JUnit 5 console), the nightly toolchain
# with Miri, and cargo-fuzz. Needs root (apt-get) the first time.
set -euo pipefail

need_apt=()
command -v gcc >/dev/null || need_apt+=(gcc)
command -v javac >/dev/null || need_apt+=(openjdk-17-jdk-headless)
[ -e /usr/share/java/servlet-api-4.0.jar ] || [ -e /usr/share/java/servlet-api.jar ] || need_apt+=(libservlet-api-java)
ls /usr/share/java/jetty9-server*.jar >/dev/null 2>&1 || need_apt+=(libjetty9-java)
ls /usr/share/java/junit-platform-console-standalone*.jar >/dev/null 2>&1 || need_apt+=(junit5)
[ -e /usr/share/java/h2.jar ] || need_apt+=(libh2-java)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "install: apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! rustup toolchain list | grep -q '^nightly'; then
  echo "install: rustup toolchain install nightly"
  rustup toolchain install nightly --profile minimal --component rustfmt,miri,rust-src
fi
for c in rustfmt miri rust-src; do
  if ! rustup +nightly component list --installed 2>/dev/null | grep -q "^$c"; then
    echo "install: nightly component $c"
    rustup component add "$c" --toolchain nightly
  fi
done
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "install: cargo install cargo-fuzz"
  cargo install --locked cargo-fuzz
fi
