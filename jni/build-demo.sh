#!/usr/bin/env bash
# Builds jni/build/albauth.jar (build.sh) and the demo server classes in jni/build/demo-classes.
set -euo pipefail
cd "$(dirname "$0")"
./build.sh
rm -rf build/demo-classes
mkdir -p build/demo-classes
# -Xlint:-path: Debian's h2.jar names optional jars (Lucene ...) in its manifest Class-Path.
javac --release 17 -Xlint:all,-path -Werror -encoding UTF-8 -d build/demo-classes \
    -cp "$(./classpath.sh demo)" $(find src/demo/java -name '*.java' | sort)
touch build/demo-classes/.built
