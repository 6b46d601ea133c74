#!/usr/bin/env bash
# The web application's browser libraries and translations, built on this machine:
# ECharts and htmx from the npm registry (frontend/package-lock.json pins them), copied to
# the static files the application serves itself; axe-core (a development dependency, pinned
# there too) stays in frontend/node_modules for the browser tests' accessibility check and is
# never served; the English catalogue compiled with GNU gettext (Debian's gettext package,
# installed when msgfmt is missing).
set -euo pipefail
cd "$(dirname "$0")/.."
vendor=src/doudi/web/static/web/vendor
if [ ! -f "$vendor/echarts.min.js" ] || [ ! -f "$vendor/htmx.min.js" ] \
   || [ ! -f frontend/node_modules/axe-core/axe.min.js ] \
   || [ frontend/package-lock.json -nt "$vendor/echarts.min.js" ]; then
  if ! command -v npm >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
  fi
  (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
  mkdir -p "$vendor"
  cp frontend/node_modules/echarts/dist/echarts.min.js frontend/node_modules/htmx.org/dist/htmx.min.js "$vendor/"
fi
if ! command -v msgfmt >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null
fi
for po in src/doudi/web/locale/*/LC_MESSAGES/django.po; do
  mo="${po%.po}.mo"
  if [ ! -f "$mo" ] || [ "$po" -nt "$mo" ]; then msgfmt --check -o "$mo" "$po"; fi
done
