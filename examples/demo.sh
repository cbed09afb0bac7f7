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
     "apigov registry list --registry $registry; apigov registry changelog notifications-api --registry $registry -f markdown"
apigov registry list --registry "$registry"
apigov registry changelog notifications-api --registry "$registry" -f markdown > "$out/notifications-api.changelog.md"
head -n 8 "$out/notifications-api.changelog.md"

step "Registry refs work wherever a contract file does" \
     "APIGOV_REGISTRY=$registry apigov diff notifications-api@1.0.0 notifications-api@latest --fail-on none | tail -n 1"
APIGOV_REGISTRY="$registry" apigov diff notifications-api@1.0.0 notifications-api@latest --fail-on none | tail -n 1

# ---------------------------------------------------------------- fuzz: the shop's running services
# (examples/shop/services; apigov fuzz needs the fuzz extra, which `make demo` installs with dev)
root="$(cd ../.. && pwd)"
pids=()
stop_services() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop_services EXIT
start_service() {  # NAME [BUG]: starts it on a free port, sets $url
  local log="$out/service-$1${2:+-$2}.log"
  (cd "$root" && APIGOV_SHOP_BUG="${2:-}" exec python -m "examples.shop.services.$1" --port 0 > "$log" 2>/dev/null) &
  pids+=("$!")
  for _ in $(seq 200); do grep -q "listening on" "$log" 2>/dev/null && break; sleep 0.1; done
  url="$(grep -o 'http://[0-9.:]*' "$log")"
}

start_service orders
step "Fuzz: the correct orders service passes the default checks" \
     "apigov fuzz orders/v1/openapi.yaml --base-url $url --auth bearer:shop-token --seed 1 -n 3 --phases examples,coverage"
apigov fuzz orders/v1/openapi.yaml --base-url "$url" --auth bearer:shop-token --seed 1 -n 3 --phases examples,coverage

start_service orders server-error
step "Fuzz: APIGOV_SHOP_BUG=server-error crashes on limit=100: caught, with the curl line, exit code 1" \
     "apigov fuzz orders/v1/openapi.yaml --base-url $url --auth bearer:shop-token --seed 1 -n 3 --phases examples,coverage --include listOrders"
set +e
apigov fuzz orders/v1/openapi.yaml --base-url "$url" --auth bearer:shop-token --seed 1 -n 3 \
  --phases examples,coverage --include listOrders; code=$?
set -e
echo "exit code: $code"
[ "$code" -eq 1 ]
stop_services

# ---- typed clients (issue 17): generate the shop's clients, one call through each --------------
step "Typed clients: generate the orders client in Python and TypeScript, call the running orders service" \
     "apigov generate client --lang python orders/v2/openapi.yaml -o \$out/clients/orders-py --package-name orders_client"
apigov generate client --lang python orders/v2/openapi.yaml -o "$out/clients/orders-py" --package-name orders_client
apigov generate client --lang typescript orders/v2/openapi.yaml -o "$out/clients/orders-ts" --package-name orders-client
(cd ../.. && DEMO_TS="$out/clients/orders-ts" PYTHONPATH="$out/clients/orders-py:." python - <<'PY'
import os, shutil, subprocess
from pathlib import Path

from examples.shop.services import start
from orders_client import BearerAuth, Client, RetryPolicy

with start("orders", version=2) as url, Client(url, auth=BearerAuth("shop-token"), retry=RetryPolicy(max_attempts=3)) as client:
    order = client.get_order("ord_01JD3YQ8ZK4T9W6M2N5P7R8S0V")
    print(f"python client: {order.id} is {order.status}, total {order.total_amount} {order.currency}")
    tsc = Path("tests/e2e/clients-node/node_modules/.bin/tsc").resolve()
    if shutil.which("node") and tsc.is_file():  # TypeScript 5 from .ci/setup/clients.sh
        ts = Path(os.environ["DEMO_TS"])
        subprocess.run([str(tsc), "-p", str(ts)], check=True)
        (ts / "demo.mjs").write_text(
            'import { BearerAuth, Client } from "./dist/index.js";\n'
            f'const client = new Client({{ baseUrl: "{url}", auth: new BearerAuth("shop-token") }});\n'
            'const order = await client.getOrder("ord_01JD3YQ8ZK4T9W6M2N5P7R8S0V");\n'
            "console.log(`typescript client: ${order.id} is ${order.status}`);\n"
        )
        subprocess.run(["node", "demo.mjs"], cwd=ts, check=True)
    else:
        print("typescript client: not called (node or TypeScript 5 missing; see .ci/setup/clients.sh)")
PY
)
# ---- end of typed clients ----------------------------------------------------------------------

# ---- gateway (issue 16): the shop's Envoy config, generated and proven by one request ---------
step "Gateway: generate the shop's Envoy config (two replicas per service) from apigov.yaml" \
     "apigov generate gateway --target envoy -o $out/gateway"
apigov generate gateway --target envoy -o "$out/gateway" 2> "$out/gateway-warnings.txt"
sed -n 's/^apigov: warning: //p' "$out/gateway-warnings.txt" | head -n 3
stub="$(cd ../.. && pwd)/tests/e2e/gateway_stub.py"
pids=()
stop_gateway() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop_gateway EXIT
for service in orders:91 payments:92 inventory:93 shipping:94 notifications:95; do
  for replica in 1 2; do
    python3 "$stub" --service "${service%%:*}" --replica "$replica" --port "${service##*:}0$replica" > /dev/null &
    pids+=($!)
  done
done
envoy -c "$out/gateway/envoy.yaml" --base-id "$$" --log-level error > "$out/envoy.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:8080/ && break; sleep 0.1; done

step "Gateway: a request through Envoy reaches an orders replica, path and query intact" \
     "curl -s -H 'Authorization: Bearer demo' 'http://127.0.0.1:8080/orders/orders/ord_01JD3YQ8ZK4T9W6M2N5P7R8S0V?expand=lines'"
curl -sf -H 'Authorization: Bearer demo' 'http://127.0.0.1:8080/orders/orders/ord_01JD3YQ8ZK4T9W6M2N5P7R8S0V?expand=lines'; echo
step "Gateway: without credentials the gateway answers 401 itself" \
     "curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/orders/orders/ord_01JD3YQ8ZK4T9W6M2N5P7R8S0V"
code=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/orders/orders/ord_01JD3YQ8ZK4T9W6M2N5P7R8S0V); echo "$code"
[ "$code" = 401 ]
stop_gateway
trap - EXIT
# ---- end of the gateway block ------------------------------------------------------------------

# ---------------------------------------------------------------- Kafka and the Confluent API
# `apigov serve` speaks the Confluent Schema Registry API under /confluent: a Kafka serializer
# turns one shop event into bytes (schema id inside) and a fresh deserializer reads it back.
# No Kafka broker is involved; the serializers talk only to the registry.
if python3 -c 'import confluent_kafka.schema_registry.avro' 2>/dev/null; then
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  token=$(apigov token create --scope read --name kafka-demo --registry "$registry")
  apigov serve --registry "$registry" --port "$port" --log-level warning 2>"$out/serve.log" &
  serve_pid=$!
  trap 'kill "$serve_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 100); do
    python3 -c "import urllib.request, sys; urllib.request.urlopen('http://127.0.0.1:$port/health/ready')" 2>/dev/null && break
    sleep 0.1
  done
  step "Kafka: serialise an InventoryReserved event through apigov's Confluent API, and read it back" \
       "python3 ../kafka/roundtrip.py http://127.0.0.1:$port/confluent \$TOKEN shop.inventory.inventory-reserved-value"
  python3 ../kafka/roundtrip.py "http://127.0.0.1:$port/confluent" "$token" shop.inventory.inventory-reserved-value
  kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true
  trap - EXIT
else
  printf '\n(skipped the Kafka step: confluent-kafka[avro,schemaregistry] is not installed; pip install it to run it)\n'
fi

# ---------------------------------------------------------------------------------------------
# Consumer-driven contracts (pacts, verification, can-i-deploy, diff --consumers): its own script
(cd ../.. && PYTHON="${PYTHON:-python}" bash examples/pact-demo.sh)
# ---------------------------------------------------------------------------------------------

printf '\n\033[1mdemo finished: every step behaved as expected\033[0m\n'
