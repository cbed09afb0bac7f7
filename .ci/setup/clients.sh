#!/usr/bin/env bash
# Typed-client tests: TypeScript 5 (pinned in tests/e2e/clients-node/package-lock.json) for
# `tsc --strict --noEmit` on generated clients, and node to run them. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
cd tests/e2e/clients-node
if [ ! -x node_modules/.bin/tsc ] || ! node_modules/.bin/tsc --version | grep -q '^Version 5\.'; then
  npm ci --no-audit --no-fund --silent
fi
