#!/usr/bin/env bash
# Prints a class path: `compile` (servlet API), `demo` (+ Jetty 9, H2, the jar, the demo),
# `test` (+ JUnit 5 and the test classes); `target`: cargo's target directory, absolute
# (CARGO_TARGET_DIR as cargo reads it when run from the repository root, else target/); or
# `test-target`: where test.sh and bench.sh build the library with the test-natives feature
# (a directory of its own, so that the production build next to it is never rebuilt or replaced).
# Jars come from Debian packages in /usr/share/java.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
j=/usr/share/java
jetty="$j/jetty9-server.jar:$j/jetty9-servlet.jar:$j/jetty9-http.jar:$j/jetty9-io.jar:$j/jetty9-util.jar:$j/jetty9-security.jar"
case "${1:-}" in
    target)
        root=$(cd "$here/.." && pwd)
        case "${CARGO_TARGET_DIR:-}" in
            "") echo "$root/target" ;;
            /*) echo "$CARGO_TARGET_DIR" ;;
            *) echo "$root/$CARGO_TARGET_DIR" ;;
        esac ;;
    test-target) echo "$("$here/classpath.sh" target)/test-natives" ;;
    compile) echo "$j/servlet-api.jar" ;;
    demo) echo "$here/build/albauth.jar:$here/build/demo-classes:$j/servlet-api.jar:$jetty:$j/h2.jar" ;;
    test) echo "$here/build/test-classes:$here/build/albauth.jar:$here/build/demo-classes:$j/servlet-api.jar:$jetty:$j/h2.jar:$j/junit-jupiter-api.jar:$j/junit-jupiter-params.jar:$j/opentest4j.jar:$j/junit-platform-commons.jar:$j/apiguardian-api.jar" ;;
    *) echo "usage: classpath.sh compile|demo|test|target|test-target" >&2; exit 2 ;;
esac
