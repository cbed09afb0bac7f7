#!/usr/bin/env bash
# The apigov demo on the shop example: run by `make demo` (with .venv/bin first on PATH).
set -euo pipefail
cd "$(dirname "$0")/shop"
out="$(cd ../.. && pwd)/.demo"
rm -rf "$out"; mkdir -p "$out"

step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "$2"; }

step "The rule catalogue (first lines)" "apigov rules | head -n 12"
apigov rules | head -n 12 || true

step "Check the current (v2) contracts listed in examples/shop/apigov.yaml" "apigov check"
apigov check

step "Check every version of every contract, warnings fail the gate" "apigov check . --fail-on warning"
apigov check . --fail-on warning

step "The same as SARIF for GitHub code scanning" "apigov check -f sarif -o $out/shop.sarif"
apigov check -f sarif -o "$out/shop.sarif"
echo "wrote $out/shop.sarif ($(wc -c < "$out/shop.sarif") bytes)"

step "Bundle a multi-file spec into one self-contained document" \
     "apigov bundle orders/v1/openapi.yaml -o $out/orders-v1.bundled.yaml"
apigov bundle orders/v1/openapi.yaml -o "$out/orders-v1.bundled.yaml"
apigov check "$out/orders-v1.bundled.yaml" --fail-on none | tail -n 1

step "What changed from v1 to v2 of the notifications API: nothing breaks, the gate passes" \
     "apigov diff notifications/v1/openapi.yaml notifications/v2/openapi.yaml"
apigov diff notifications/v1/openapi.yaml notifications/v2/openapi.yaml | tail -n 4

step "The orders API v2 breaks its clients: the gate fails with exit code 1, with counter-examples" \
     "apigov diff orders/v1/openapi.yaml orders/v2/openapi.yaml"
set +e
apigov diff orders/v1/openapi.yaml orders/v2/openapi.yaml; code=$?
set -e
echo "exit code: $code"
[ "$code" -eq 1 ]

step "The same changes as a changelog for humans" \
     "apigov changelog orders/v1/openapi.yaml orders/v2/openapi.yaml -o $out/orders-changelog.md"
apigov changelog orders/v1/openapi.yaml orders/v2/openapi.yaml -o "$out/orders-changelog.md"
head -n 12 "$out/orders-changelog.md"

step "A broken contract: the gate fails with exit code 1" "apigov check broken.yaml"
cat > "$out/broken.yaml" <<'YAML'
openapi: 3.0.3
info: {title: Broken, version: 1.0.0}
paths:
  /orders/{orderId}:
    get:
      responses: {"200": {description: ok}}
YAML
set +e
(cd "$out" && apigov check broken.yaml); code=$?
set -e
echo "exit code: $code"
[ "$code" -eq 1 ]

step "Bad input: one line on stderr, exit code 2" "apigov check not-yaml.yaml"
printf 'openapi: 3.0.3\ninfo: {title: [unclosed\n' > "$out/not-yaml.yaml"
set +e
(cd "$out" && apigov check not-yaml.yaml); code=$?
set -e
echo "exit code: $code"
[ "$code" -eq 2 ]

# ---- event schemas: apigov diff --mode (JSON Schema, Avro, AsyncAPI) ----
expect() { # expect CODE CMD...: run CMD, show its exit code, fail the demo unless it is CODE
  local want=$1; shift
  set +e; "$@"; local got=$?; set -e
  echo "exit code: $got"; [ "$got" -eq "$want" ]
}

step "Event schemas, compatible: readers on v2 read v1 events (BACKWARD, the default mode)" \
     "apigov diff --mode backward events/v1/schemas/order-created.json events/v2/schemas/order-created.json"
expect 0 apigov diff --mode backward events/v1/schemas/order-created.json events/v2/schemas/order-created.json

step "Event schemas, incompatible: a new required property, with a counter-example event" \
     "apigov diff --mode BACKWARD events/v1/schemas/payment-processed.json events/v2/schemas/payment-processed.json"
expect 1 apigov diff --mode BACKWARD events/v1/schemas/payment-processed.json events/v2/schemas/payment-processed.json

step "Avro: a field added with a default is FULL compatible, one without a default is not" \
     "apigov diff --mode FULL events/v1/avro/shipment-delivered.avsc events/v2/avro/shipment-delivered.avsc"
expect 0 apigov diff --mode FULL events/v1/avro/shipment-delivered.avsc events/v2/avro/shipment-delivered.avsc
printf '$ apigov diff events/v1/avro/inventory-reserved.avsc events/v2/avro/inventory-reserved.avsc\n'
expect 1 apigov diff events/v1/avro/inventory-reserved.avsc events/v2/avro/inventory-reserved.avsc

step "AsyncAPI 2.6 -> 3.0: each message judged in its direction (sent: old consumers must read it)" \
     "apigov diff events/v1/asyncapi.yaml events/v2/asyncapi.yaml -f json   # mode, compatible, summary:"
set +e
apigov diff events/v1/asyncapi.yaml events/v2/asyncapi.yaml -f json > "$out/events.json"; code=$?
set -e
python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(json.dumps({k: r[k] for k in ("mode", "compatible", "summary")}))' "$out/events.json"
echo "exit code: $code"; [ "$code" -eq 1 ]

step "Transitive: v3 makes 'channel' required; consumers on v2 read it, consumers still on v1 do not" \
     "apigov diff --mode FORWARD events/v2/schemas/order-created.json events/v3/schemas/order-created.json"
expect 0 apigov diff --mode FORWARD events/v2/schemas/order-created.json events/v3/schemas/order-created.json
printf '$ apigov diff --mode FORWARD_TRANSITIVE events/v1/... events/v2/... events/v3/schemas/order-created.json\n'
expect 1 apigov diff --mode FORWARD_TRANSITIVE events/v1/schemas/order-created.json \
  events/v2/schemas/order-created.json events/v3/schemas/order-created.json

# ---------------------------------------------------------------- the contract registry
registry="$out/registry"
step "Registry: publish the v1 contracts into a fresh directory registry" \
     "for s in orders payments inventory shipping notifications; do apigov publish \$s/v1/openapi.yaml --subject \$s-api --registry $registry; done  (and two event schemas)"
for service in orders payments inventory shipping notifications; do
  apigov publish "$service/v1/openapi.yaml" --subject "$service-api" --registry "$registry"
done
apigov publish events/v1/schemas/order-created.json --subject shop.orders.order-created-value --registry "$registry"
apigov publish events/v1/avro/inventory-reserved.avsc --subject shop.inventory.inventory-reserved-value --registry "$registry"

step "Registry: orders v2 makes a header required, which breaks BACKWARD: refused, exit code 1" \
     "apigov publish orders/v2/openapi.yaml --subject orders-api --registry $registry"
set +e
apigov publish orders/v2/openapi.yaml --subject orders-api --registry "$registry"; code=$?
set -e
echo "exit code: $code"
[ "$code" -eq 1 ]

step "Registry: notifications v2 only adds: accepted, and --bump auto picks a minor version" \
     "apigov publish notifications/v2/openapi.yaml --subject notifications-api --registry $registry"
apigov publish notifications/v2/openapi.yaml --subject notifications-api --registry "$registry"
apigov publish events/v2/schemas/order-created.json --subject shop.orders.order-created-value --registry "$registry"

step "Registry: the subjects, and notifications-api's changelog (first lines)" \
     "apigov registry list --registry $registry; apigov registry changelog notifications-api --registry $registry"
apigov registry list --registry "$registry"
apigov registry changelog notifications-api --registry "$registry" > "$out/notifications-api.changelog.md"
head -n 8 "$out/notifications-api.changelog.md"

step "Registry refs work wherever a contract file does" \
     "APIGOV_REGISTRY=$registry apigov diff notifications-api@1.0.0 notifications-api@latest --fail-on none | tail -n 1"
APIGOV_REGISTRY="$registry" apigov diff notifications-api@1.0.0 notifications-api@latest --fail-on none | tail -n 1

# ---------------------------------------------------------------------------------------------
# Consumer-driven contracts (pacts, verification, can-i-deploy, diff --consumers): its own script
(cd ../.. && PYTHON="${PYTHON:-python}" bash examples/pact-demo.sh)
# ---------------------------------------------------------------------------------------------

printf '\n\033[1mdemo finished: every step behaved as expected\033[0m\n'
