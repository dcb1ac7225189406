#!/bin/sh
# Programs the tests use beyond Python packages: a Java runtime (Spark in local mode),
# headless Chromium (page tests) and, unless GUILDHALL_TEST_DATABASE_URL names a server, the
# PostgreSQL server programs (the tests start a throwaway server of their own).
# `make run` needs none of them.
# Installs what is missing with apt-get when run as root; otherwise says what to install.
set -eu
missing=""
command -v java >/dev/null 2>&1 || missing="$missing openjdk-17-jre-headless"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
if [ -z "${GUILDHALL_TEST_DATABASE_URL:-}" ] && ! command -v initdb >/dev/null 2>&1 \
    && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    missing="$missing postgresql"
fi
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
