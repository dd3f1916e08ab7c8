#!/usr/bin/env bash
# Embedded Jetty 9 on 127.0.0.1 with the albauth filter in front of a servlet answering
# `user=<remote user>` (`user=` when anonymous). Logs to stdout; stays in the foreground.
#   jni/demo.sh --port PORT --config FILE [--directory-db PATH] [--param name=value ...]
# --directory-db PATH provisions users just in time into an H2 database at PATH (the config needs
# "provisioning": {"enabled": true}); the page then adds `groups=<the user's groups there>`.
# --param sets any other filter init parameter (see docs/java.md), e.g.
#   --param require-authentication=true --param logout-path=/logout --param logout-url=https://idp/logout
# The config file is re-read every 2 s when it changes. Builds what is out of date first
# (cargo build --release, the jar, the demo classes).
# Needs the Debian packages openjdk-17-jdk-headless libservlet-api-java libjetty9-java libh2-java.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ -f /usr/share/java/h2.jar ] || { echo "demo.sh: /usr/share/java/h2.jar is missing (apt-get install libh2-java)" >&2; exit 1; }
stamp=$here/build/demo-classes/.built
if [ ! -f "$stamp" ] || [ -n "$(find "$here/src/main" "$here/src/demo" "$here/../src" "$here/../Cargo.toml" \
        -newer "$stamp" -print -quit 2>/dev/null)" ]; then
    "$here/build-demo.sh" >&2
fi
exec java -Dorg.eclipse.jetty.util.log.class=org.eclipse.jetty.util.log.JavaUtilLog \
    -cp "$("$here/classpath.sh" demo)" io.albauth.demo.DemoServer "$@" 2>&1
