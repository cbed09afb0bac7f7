#!/usr/bin/env bash
# Web UI browser tests: Debian's Chromium (driven by Playwright from PyPI; never
# `playwright install`) and axe-core (pinned in tests/e2e/ui-node/package-lock.json). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
missing=()
command -v chromium >/dev/null || missing+=(chromium)
{ command -v node >/dev/null && command -v npm >/dev/null; } || missing+=(nodejs npm)
if [ "${#missing[@]}" -gt 0 ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
cd tests/e2e/ui-node
if ! grep -q '"version": "4.10.3"' node_modules/axe-core/package.json 2>/dev/null; then
  npm ci --no-audit --no-fund --silent
fi
