#!/usr/bin/env bash
# The admin page's browser tests: headless Debian Chromium (/usr/bin/chromium) driven by
# playwright-core (pinned in package-lock.json; `npm ci` when node_modules is missing) against
# the Jetty test host. Prints one line per test and "browser: N passed, M failed"; exits
# non-zero on any failure. Screenshots of each page: jni/build/app/screenshots/*.png.
#
# jni/app/test.sh runs it last, with the TestHost class path (the javax app classes, the stubs,
# the host fakes, the compiled tests) in ALBAUTH_TESTHOST_CLASSPATH and its JVM options in
# ALBAUTH_TESTHOST_JAVA_OPTS. Run alone after a test.sh, it takes them from jni/build/app.
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
out=$jni/${ALBAUTH_APP_OUT:-build/app} # where test.sh built (ALBAUTH_APP_OUT, as test.sh)
if [ -z "${ALBAUTH_TESTHOST_CLASSPATH:-}" ]; then
    [ -d "$out/test-classes-javax" ] || { echo "run.sh: no TestHost classes: run jni/app/test.sh first" >&2; exit 1; }
    j=/usr/share/java
    jetty="$j/jetty9-server.jar:$j/jetty9-servlet.jar:$j/jetty9-http.jar:$j/jetty9-io.jar:$j/jetty9-util.jar:$j/jetty9-security.jar"
    ALBAUTH_TESTHOST_CLASSPATH="$out/test-classes-javax:$out/javax/stub-classes:$out/javax/jira-classes:$j/servlet-api.jar:$jetty:$j/h2.jar"
fi
if [ -z "${ALBAUTH_TESTHOST_JAVA_OPTS:-}" ]; then
    ALBAUTH_TESTHOST_JAVA_OPTS="-Dorg.eclipse.jetty.util.log.class=org.eclipse.jetty.util.log.JavaUtilLog"
    ALBAUTH_TESTHOST_JAVA_OPTS+=" -Dalbauth.test.fixtures=$root/tests/fixtures/ids.properties"
    ALBAUTH_TESTHOST_JAVA_OPTS+=" -Djava.util.logging.config.file=$jni/app/src/test/logging.properties"
fi
export ALBAUTH_TESTHOST_CLASSPATH ALBAUTH_TESTHOST_JAVA_OPTS
rm -rf "$jni/build/app/screenshots"
exec node --test --test-concurrency=1 --test-reporter=./reporter.mjs arn.test.js admin.test.js sync.test.js
