#!/usr/bin/env bash
# Java for the local Spark run of the test suite (tests/engine/test_spark.py): Debian's
# openjdk-17-jre-headless, installed when no java is on the PATH.
set -euo pipefail
if command -v java >/dev/null 2>&1; then exit 0; fi
echo "installing Java (Debian package openjdk-17-jre-headless)…" >&2
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
$SUDO apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq openjdk-17-jre-headless >&2
