#!/bin/sh
# System libraries and programs Guildhall uses beyond Python packages:
#   run:  libsodium (>= 1.0.18, for the ristretto255 group of the ballots)
#   test: the above, a Java runtime (Spark in local mode) and headless Chromium (page tests)
# Installs what is missing with apt-get when run as root; otherwise says what to install.
set -eu
need="${1:-test}"
missing=""
{ ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } | grep -q 'libsodium\.so' || missing="$missing libsodium23"
if [ "$need" = "test" ]; then
    command -v java >/dev/null 2>&1 || missing="$missing openjdk-17-jre-headless"
    command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
fi
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing:$missing" >&2
    apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
    echo "Guildhall needs:$missing (install them with your package manager, then re-run)" >&2
    exit 1
fi
