#!/usr/bin/env bash
# Builds the four app jars (../build-app.sh; ALBAUTH_SKIP_CARGO=1 skips cargo, ALBAUTH_APP_OUT=dir
# builds and tests in jni/dir instead of jni/build/app), compiles the host
# fakes and the tests, and runs them with the JUnit 5 console launcher:
#   javax   Felix resolution of all four jars, the flow in Jetty 9 with the fakes (TestHost), the admin tests
#   jakarta the jakarta flavour's filter on embedded Tomcat 10.1 (sources through the same sed as the jar)
# then the admin's browser tests (browser/run.sh) if present, which get the TestHost class path in
# ALBAUTH_TESTHOST_CLASSPATH and JVM options in ALBAUTH_TESTHOST_JAVA_OPTS, and end with a line
# "... N passed, M failed". The last line here is "java: N passed, M failed", summed over all of it.
# Debian packages: openjdk-17-jdk-headless bnd libfelix-framework-java libjetty9-java tomcat10 (its jars:
# libtomcat10-java) libservlet-api-java libjakarta-servlet-api-java libh2-java junit5.
set -euo pipefail
cd "$(dirname "$0")"
app=$(pwd)
jni=$(cd .. && pwd)
root=$(cd ../.. && pwd)
j=/usr/share/java
for f in org.apache.felix.framework.jar tomcat10-catalina.jar h2.jar junit-platform-console-standalone.jar; do
    [ -f "$j/$f" ] || { echo "test.sh: $j/$f is missing (see the Debian packages above)" >&2; exit 1; }
done
../build-app.sh
out=$jni/${ALBAUTH_APP_OUT:-build/app}
junit="$j/junit-jupiter-api.jar:$j/junit-jupiter-params.jar:$j/opentest4j.jar:$j/junit-platform-commons.jar:$j/apiguardian-api.jar"
jetty="$j/jetty9-server.jar:$j/jetty9-servlet.jar:$j/jetty9-http.jar:$j/jetty9-io.jar:$j/jetty9-util.jar:$j/jetty9-security.jar"
tomcat="$j/tomcat10-catalina.jar:$j/tomcat10-coyote.jar:$j/tomcat10-util.jar:$j/tomcat10-util-scan.jar:$j/tomcat10-juli.jar:$j/tomcat10-api.jar:$j/tomcat10-jni.jar:$j/tomcat10-jaspic-api.jar:$j/tomcat10-annotations-api.jar:$j/tomcat10-servlet-api.jar"
testing=$jni/src/test/java/io/albauth/testing
javac_opts=(--release 17 -Xlint:all,-serial,-try,-path -Werror -encoding UTF-8)

# Stub bundles for Felix: the stub classes of each flavour, exporting every package.
bundles=$out/test-bundles
mkdir -p "$bundles"
for flavour in javax jakarta; do
    rm -f "$bundles/stubs-$flavour-plain.jar"
    jar --create --file "$bundles/stubs-$flavour-plain.jar" -C "$out/$flavour/stub-classes" .
    printf 'Bundle-SymbolicName: albauth.test.atlassian-stubs.%s\nBundle-Version: 1.0.0\nExport-Package: com.atlassian.*;version=0\nImport-Package: *\n-noee: true\n' \
        "$flavour" > "$bundles/stubs-$flavour.bnd"
    java -jar "$j/bnd.jar" wrap --properties "$bundles/stubs-$flavour.bnd" --output "$bundles/stubs-$flavour.jar" \
        "$bundles/stubs-$flavour-plain.jar" >/dev/null
    rm -f "$bundles/stubs-$flavour-plain.jar"
done

# javax: everything but the jakarta-only tests.
javax_classes=$out/test-classes-javax
rm -rf "$javax_classes"
mkdir -p "$javax_classes"
javax_cp="$out/javax/stub-classes:$out/javax/jira-classes:$out/javax/confluence-classes:$j/servlet-api.jar:$jetty:$j/h2.jar:$j/org.apache.felix.framework.jar:$junit"
javac "${javac_opts[@]}" -d "$javax_classes" -cp "$javax_cp" \
    $(find src/test/java -name '*.java' -not -path '*/io/albauth/atlassian/jakarta/*' | sort) "$testing"/*.java

# jakarta: the host fakes (without the Jetty host) and the Tomcat tests, through the jar's sed.
jakarta_src=$out/test-src-jakarta
jakarta_classes=$out/test-classes-jakarta
rm -rf "$jakarta_src" "$jakarta_classes"
mkdir -p "$jakarta_src" "$jakarta_classes"
for f in $(find src/test/java/io/albauth/atlassian/host src/test/java/io/albauth/atlassian/jakarta -name '*.java' \
        -not -name TestHost.java) "$testing"/*.java; do
    sed 's/javax\.servlet/jakarta.servlet/g' "$f" > "$jakarta_src/$(basename "$f")"
done
# Tomcat 10.1 brings its own Servlet 6 API; the app was compiled against Servlet 5 (what the jar needs).
jakarta_cp="$out/jakarta/stub-classes:$out/jakarta/jira-classes:$out/jakarta/confluence-classes:$tomcat:$j/h2.jar:$junit"
javac "${javac_opts[@]}" -d "$jakarta_classes" -cp "$jakarta_cp" "$jakarta_src"/*.java

# --add-opens: Felix 4.6 (Debian's) reaches into java.net and java.security as it did before modules.
java_opts=(--add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.security=ALL-UNNAMED
    --add-opens=java.base/java.lang=ALL-UNNAMED
    -Dorg.eclipse.jetty.util.log.class=org.eclipse.jetty.util.log.JavaUtilLog
    -Dalbauth.test.fixtures="$root/tests/fixtures/ids.properties"
    -Dalbauth.app.build="$out"
    -Djava.util.logging.config.file="$app/src/test/logging.properties")
passed=0
failed=0
status=0
suite() { # name classpath classes
    local log=$out/junit-$1.log
    set +e
    java "${java_opts[@]}" -jar "$j/junit-platform-console-standalone.jar" \
        --class-path "$2" --scan-class-path "$3" \
        --disable-banner --disable-ansi-colors --details=tree --fail-if-no-tests 2>&1 | tee "$log"
    local rc=${PIPESTATUS[0]}
    set -e
    [ "$rc" = 0 ] || status=1
    local p f
    p=$(sed -n 's/.*\[ *\([0-9]*\) tests successful *\].*/\1/p' "$log" | tail -1)
    f=$(sed -n 's/.*\[ *\([0-9]*\) tests failed *\].*/\1/p' "$log" | tail -1)
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
}
suite javax "$javax_classes:$javax_cp" "$javax_classes"
suite jakarta "$jakarta_classes:$jakarta_cp" "$jakarta_classes"

if [ -x browser/run.sh ] || [ -f browser/run.sh ]; then
    export ALBAUTH_TESTHOST_CLASSPATH="$javax_classes:$javax_cp"
    export ALBAUTH_TESTHOST_JAVA_OPTS="${java_opts[*]}"
    log=$out/browser.log
    set +e
    bash browser/run.sh 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    set -e
    [ "$rc" = 0 ] || status=1
    line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$log" | tail -1 || true)
    if [ -z "$line" ]; then
        echo "test.sh: browser/run.sh printed no \"N passed, M failed\" line" >&2
        failed=$((failed + 1))
        status=1
    else
        passed=$((passed + $(echo "$line" | sed -E 's/^(.*[^0-9])?([0-9]+) passed.*/\2/')))
        failed=$((failed + $(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')))
    fi
fi
echo "java: $passed passed, $failed failed"
exit "$status"
