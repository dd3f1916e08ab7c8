#!/usr/bin/env bash
# The admin page's browser tests: headless Debian Chromium (/usr/bin/chromium) driven by
# playwright-core (pinned in package-lock.json; `npm ci` when node_modules is missing) against
# the Jetty test host. Prints one line per test and "browser: N passed, M failed"; exits
# non-zero on any failure. Screenshots of each page: jni/build/app/screenshots/*.png.
#
# Class path of the app, its tests and the host fakes: ALBAUTH_APP_TEST_CLASSPATH, else the file
# jni/build/app/test.classpath (jni/app/test.sh writes it after compiling the tests). Java
# options: ALBAUTH_APP_JAVA_OPTS, else the library and fixtures test.sh uses.
# Debian packages: chromium nodejs npm (plus what jni/app/test.sh needs).
set -euo pipefail
cd "$(dirname "$0")"
jni=$(cd ../.. && pwd)
root=$(cd "$jni/.." && pwd)
command -v node >/dev/null || { echo "run.sh: node is missing (apt-get install nodejs npm)" >&2; exit 1; }
[ -x /usr/bin/chromium ] || { echo "run.sh: /usr/bin/chromium is missing (apt-get install chromium)" >&2; exit 1; }
if [ ! -d node_modules/playwright-core ]; then
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi
if [ -z "${ALBAUTH_APP_TEST_CLASSPATH:-}" ]; then
    [ -f "$jni/build/app/test.classpath" ] || { echo "run.sh: no class path: run jni/app/test.sh first" >&2; exit 1; }
    ALBAUTH_APP_TEST_CLASSPATH=$(cat "$jni/build/app/test.classpath")
fi
if [ -z "${ALBAUTH_APP_JAVA_OPTS:-}" ]; then
    lib=$("$jni/classpath.sh" test-target)/release/libalbauth.so
    [ -f "$lib" ] || lib=$("$jni/classpath.sh" target)/release/libalbauth.so
    ALBAUTH_APP_JAVA_OPTS="-Dalbauth.library.path=$lib -Dalbauth.test.fixtures=$root/tests/fixtures/ids.properties"
    ALBAUTH_APP_JAVA_OPTS+=" -Djava.util.logging.config.file=$jni/src/test/logging.properties"
fi
export ALBAUTH_APP_TEST_CLASSPATH ALBAUTH_APP_JAVA_OPTS
rm -rf "$jni/build/app/screenshots"
exec node --test --test-concurrency=1 --test-reporter=./reporter.mjs arn.test.js admin.test.js
