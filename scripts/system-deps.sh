#!/bin/sh
# Programs the tests use beyond Python packages: a Java runtime (Spark in local mode) and
# headless Chromium (page tests). `make run` needs none of them.
# Installs what is missing with apt-get when run as root; otherwise says what to install.
set -eu
missing=""
command -v java >/dev/null 2>&1 || missing="$missing openjdk-17-jre-headless"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing:$missing" >&2
    apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
    echo "Guildhall's tests need:$missing (install them with your package manager, then re-run)" >&2
    exit 1
fi
