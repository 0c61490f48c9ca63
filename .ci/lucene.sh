#!/usr/bin/env bash
# Installs what the differential test against Lucene (tests/lucene.rs) needs:
# a Java runtime (17 is on the image; installed if missing) and Debian's
# liblucene8-java. Idempotent; called by .ci/run before the tests.
set -euo pipefail

have_lucene() {
    command -v java >/dev/null 2>&1 &&
        compgen -G "/usr/share/java/lucene-core-8*.jar" >/dev/null &&
        compgen -G "/usr/share/java/lucene-queryparser-8*.jar" >/dev/null
}

if have_lucene; then
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
packages=(liblucene8-java)
if ! command -v java >/dev/null 2>&1; then
    packages+=(openjdk-17-jre-headless)
fi
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${packages[@]}"
have_lucene || { echo "lucene.sh: Lucene 8 is still missing after apt-get install" >&2; exit 1; }
