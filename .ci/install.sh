#!/usr/bin/env bash
# Installs what the tests need on a fresh machine (idempotent; fast when all is present):
# Debian's gcc and Java jars (servlet API, Jetty 9, JUnit 5 console, H2, Felix, bnd, Tomcat 10),
# Chromium and npm, the nightly toolchain
# with Miri, cargo-fuzz, and moto[server] (pip). Needs root (apt-get) the first time.
set -euo pipefail

need_apt=()
command -v gcc >/dev/null || need_apt+=(gcc)
command -v javac >/dev/null || need_apt+=(openjdk-17-jdk-headless)
[ -e /usr/share/java/servlet-api-4.0.jar ] || [ -e /usr/share/java/servlet-api.jar ] || need_apt+=(libservlet-api-java)
ls /usr/share/java/jetty9-server*.jar >/dev/null 2>&1 || need_apt+=(libjetty9-java)
ls /usr/share/java/junit-platform-console-standalone*.jar >/dev/null 2>&1 || need_apt+=(junit5)
[ -e /usr/share/java/h2.jar ] || need_apt+=(libh2-java)
# The Jira/Confluence app (jni/build-app.sh, jni/app/test.sh): the OSGi framework and bnd for
# the bundle, Tomcat 10 and the Jakarta servlet API for the Jakarta flavour, Chromium for the
# admin page's browser tests (driven by npm's playwright-core, installed by jni/app/browser/run.sh).
[ -e /usr/share/java/org.apache.felix.framework.jar ] || need_apt+=(libfelix-framework-java)
[ -e /usr/share/java/bnd.jar ] || need_apt+=(bnd)
[ -e /usr/share/java/tomcat10-catalina.jar ] || need_apt+=(libtomcat10-java)
[ -e /usr/share/java/jakarta-servlet-api.jar ] || need_apt+=(libjakarta-servlet-api-java)
command -v chromium >/dev/null || need_apt+=(chromium)
command -v npm >/dev/null || need_apt+=(nodejs npm)
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
# moto's server mode: the Cognito emulator tests/connectors.rs starts on 127.0.0.1.
if ! command -v moto_server >/dev/null 2>&1; then
  echo "install: pip install 'moto[server]'"
  python3 -m pip install --quiet 'moto[server]'
fi
