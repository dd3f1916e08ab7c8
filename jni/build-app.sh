#!/usr/bin/env bash
# Builds the Jira and Confluence Data Center app jars into jni/build/app/:
#   albauth-jira-VERSION.jar, albauth-confluence-VERSION.jar              (javax.servlet: Jira 9-10, Confluence 8-9)
#   albauth-jira-VERSION-jakarta.jar, albauth-confluence-VERSION-jakarta.jar (jakarta.servlet: Jira 11, Confluence 10)
# VERSION is the crate version (Cargo.toml). Each jar is an OSGi bundle (manifest by Debian's bnd)
# holding the core classes, the app, its admin page, the product's own classes only, and the native
# library (jni/build.sh builds it; ALBAUTH_SKIP_CARGO=1 skips cargo). No Atlassian class is inside:
# the app compiles against the stubs in jni/atlassian-api, which are never shipped.
# The jakarta flavour is the same sources passed through sed 's/javax\.servlet/jakarta.servlet/g'.
# Also leaves build/app/<flavour>/stub-classes (the stubs, for the tests) and the jars' class dirs.
# ALBAUTH_APP_OUT=dir (relative to jni/) writes there instead of build/app.
# Debian packages: openjdk-17-jdk-headless libservlet-api-java libjakarta-servlet-api-java bnd.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd .. && pwd)
j=/usr/share/java
bnd=$j/bnd.jar
for f in "$bnd" "$j/servlet-api.jar" "$j/jakarta-servlet-api.jar"; do
    [ -f "$f" ] || { echo "build-app.sh: $f is missing (apt-get install bnd libservlet-api-java libjakarta-servlet-api-java)" >&2; exit 1; }
done
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -1)
[ -n "$version" ] || { echo "build-app.sh: no version in Cargo.toml" >&2; exit 1; }

# cargo (and jni/build.sh's own checks) unless ALBAUTH_SKIP_CARGO=1; the library is then taken
# from cargo's target directory, not from build/classes, which another build may be replacing.
if [ "${ALBAUTH_SKIP_CARGO:-0}" != 1 ]; then
    ./build.sh >/dev/null
fi
lib=$(./classpath.sh target)/release/libalbauth.so
[ -f "$lib" ] || { echo "build-app.sh: $lib is missing (cargo build --release, or jni/build.sh)" >&2; exit 1; }
case "$(uname -m)" in
    x86_64) platform=linux-amd64 ;;
    aarch64 | arm64) platform=linux-aarch64 ;;
    *) platform=linux-$(uname -m) ;;
esac
native=io/albauth/native/$platform/libalbauth.so

# ALBAUTH_APP_OUT: another output directory (relative to jni/), so that two runs do not share one.
out=${ALBAUTH_APP_OUT:-build/app}
rm -rf "$out"
mkdir -p "$out/native"
cp "$lib" "$out/native/libalbauth.so"
# The release profile keeps line tables for backtraces; the bundled copy does not need them.
if command -v strip >/dev/null; then
    strip --strip-debug "$out/native/libalbauth.so"
fi
javac_opts=(--release 17 -Xlint:all -Werror -encoding UTF-8)

# The sources of one flavour: javax as they are, jakarta rewritten.
flavour_src() { # flavour dest
    local flavour=$1 dest=$2
    mkdir -p "$dest"
    for tree in src/main/java app/src/main/java atlassian-api/src/main/java; do
        mkdir -p "$dest/$tree"
        (cd "$tree" && find . -name '*.java') | while read -r f; do
            mkdir -p "$dest/$tree/$(dirname "$f")"
            if [ "$flavour" = jakarta ]; then
                sed 's/javax\.servlet/jakarta.servlet/g' "$tree/$f" > "$dest/$tree/$f"
            else
                cp "$tree/$f" "$dest/$tree/$f"
            fi
        done
    done
}

for flavour in javax jakarta; do
    if [ "$flavour" = jakarta ]; then servlet=$j/jakarta-servlet-api.jar; suffix=-jakarta; else servlet=$j/servlet-api.jar; suffix=; fi
    fdir=$out/$flavour
    flavour_src "$flavour" "$fdir/src"
    mkdir -p "$fdir/stub-classes"
    javac "${javac_opts[@]}" -d "$fdir/stub-classes" -cp "$servlet" $(find "$fdir/src/atlassian-api" -name '*.java' | sort)
    for product in jira confluence; do
        other=$([ "$product" = jira ] && echo confluence || echo jira)
        classes=$fdir/$product-classes
        mkdir -p "$classes"
        javac "${javac_opts[@]}" -d "$classes" -cp "$servlet:$fdir/stub-classes" \
            $(find "$fdir/src/src/main/java" "$fdir/src/app/src/main/java" -name '*.java' \
                -not -path "*/io/albauth/atlassian/$other/*" | sort)
        # Resources: the admin page's, this product's plugin descriptor and Spring context.
        res=app/src/main/resources
        if [ -d "$res" ]; then
            (cd "$res" && find . -type f ! -name 'atlassian-plugin-*.xml' ! -path './META-INF/spring/*') | while read -r f; do
                mkdir -p "$classes/$(dirname "$f")"
                cp "$res/$f" "$classes/$f"
            done
        fi
        sed "s/@VERSION@/$version/g" "$res/atlassian-plugin-$product.xml" > "$classes/atlassian-plugin.xml"
        mkdir -p "$classes/META-INF/spring"
        cp "$res/META-INF/spring/albauth-$product.xml" "$classes/META-INF/spring/albauth.xml"
        mkdir -p "$classes/$(dirname "$native")"
        cp "$out/native/libalbauth.so" "$classes/$native"
        plain=$fdir/albauth-$product-plain.jar
        rm -f "$plain"
        jar --create --file "$plain" -C "$classes" .
        key=io.albauth.atlassian.$product
        cat > "$fdir/$product.bnd" <<BND
Bundle-SymbolicName: $key
Bundle-Name: albauth ALB sign-in for ${product^}
Bundle-Version: $version
Bundle-Vendor: albauth
Bundle-Description: Signs users in from the identity headers of an AWS Application Load Balancer
Atlassian-Plugin-Key: $key
Spring-Context: *
Export-Package:
Private-Package: io.albauth.*
Import-Package: com.atlassian.*;version=0, ${flavour}.servlet.*;version=0, \\
 org.eclipse.gemini.blueprint.service.importer;resolution:=optional, \\
 org.eclipse.gemini.blueprint.service.importer.support;resolution:=optional, \\
 org.springframework.osgi.service.importer;resolution:=optional, \\
 org.springframework.osgi.service.importer.support;resolution:=optional, \\
 org.springframework.aop;resolution:=optional, org.springframework.aop.framework;resolution:=optional, \\
 org.aopalliance.aop;resolution:=optional, *
-noimportjava: true
-noee: true
-removeheaders: Bnd-LastModified, Tool, Created-By, Include-Resource, Private-Package
BND
        jarname=albauth-$product-$version$suffix.jar
        java -jar "$bnd" wrap --properties "$fdir/$product.bnd" --bsn "$key" --version "$version" \
            --output "$out/$jarname" "$plain" >/dev/null
        if unzip -l "$out/$jarname" | grep -q ' com/atlassian/'; then
            echo "build-app.sh: $jarname contains Atlassian classes" >&2
            exit 1
        fi
        rm -f "$plain"
    done
done
echo "build-app.sh: built $(cd "$out" && ls albauth-*.jar | tr '\n' ' ')"
