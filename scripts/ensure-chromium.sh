#!/usr/bin/env bash
# The browser tests and `make screenshots` drive Debian's Chromium with Playwright (no
# browser download); the pages are Chinese, so a CJK font is needed to render them.
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
