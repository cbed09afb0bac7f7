#!/usr/bin/env bash
# Consumer-driven contracts on the shop (called by examples/demo.sh; runnable alone from the
# repository root with apigov on PATH): pacts published, providers verified against the running
# shop services, can-i-deploy yes; a breaking provider change names checkout-web, fails
# verification and can-i-deploy says no; a change nobody's pact uses affects no known consumer.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="$root/.demo/pacts"
rm -rf "$out"; mkdir -p "$out"
registry="$out/registry"
python=${PYTHON:-python}
export PACT_DO_NOT_TRACK=true

step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "$2"; }
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
free_port() { "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
start() {  # start SERVICE VERSION -> prints its URL once it answers
  local port; port=$(free_port)
  "$python" -m "examples.shop.services.$1" --port "$port" --contract-version "$2" >"$out/$1-v$2.log" 2>&1 &
  pids+=($!)
  "$python" - "$port" <<'PY'
import socket, sys, time
for _ in range(200):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close(); break
    except OSError:
        time.sleep(0.05)
PY
  echo "http://127.0.0.1:$port"
}

step "Contract testing: the consumers' pacts (written by their pact-python tests) go to the registry" \
     "apigov pact publish examples/shop/pacts/checkout-web-*.json --consumer-version 2.3.1 --branch main"
apigov pact publish examples/shop/pacts/checkout-web-orders.json examples/shop/pacts/checkout-web-payments.json \
  --consumer-version 2.3.1 --branch main -r "$registry"
apigov pact publish examples/shop/pacts/backoffice-job-orders.json --consumer-version 1.0.0 --branch main -r "$registry"

orders=$(start orders 1); payments=$(start payments 1)
step "The providers verify every consumer's pact against the running services (pact-python's Verifier)" \
     "apigov pact verify --provider orders --base-url $orders --provider-version 1.3.0 --state-change-url .../_pact/provider-states --publish"
apigov pact verify --provider orders --base-url "$orders" --provider-version 1.3.0 \
  --state-change-url "$orders/_pact/provider-states" --publish -r "$registry" 2>/dev/null | tail -n 5
apigov pact verify --provider payments --base-url "$payments" --provider-version 1.0.0 \
  --state-change-url "$payments/_pact/provider-states" --publish -r "$registry" 2>/dev/null | tail -n 3
for s in "orders 1.3.0" "payments 1.0.0" "backoffice-job 1.0.0"; do
  set -- $s; apigov record-deployment --service "$1" --version "$2" --env production -r "$registry"
done

step "May checkout-web 2.3.1 go to production? Yes: both providers there verified its pacts" \
     "apigov can-i-deploy --pacticipant checkout-web --version 2.3.1 --to-environment production"
apigov can-i-deploy --pacticipant checkout-web --version 2.3.1 --to-environment production -r "$registry"
apigov record-deployment --service checkout-web --version 2.3.1 --env production -r "$registry"

step "orders v2 drops customerEmail: the diff names the consumer it breaks and where it runs" \
     "apigov diff orders/v1/openapi.yaml orders/v2/openapi.yaml --consumers --provider orders"
set +e
apigov diff examples/shop/orders/v1/openapi.yaml examples/shop/orders/v2/openapi.yaml --consumers --provider orders \
  -r "$registry" | grep -E "customerEmail" | head -n 3
set -e

step "Even with no provider running, the pact checked against the v2 contract says the same" \
     "apigov pact check examples/shop/pacts/checkout-web-orders.json orders/v2/openapi.yaml"
set +e
apigov pact check examples/shop/pacts/checkout-web-orders.json examples/shop/orders/v2/openapi.yaml | grep pact-response
set -e

orders2=$(start orders 2)
step "Verifying orders 2.0.0 fails: checkout-web's pact expects customerEmail" \
     "apigov pact verify --provider orders --base-url $orders2 --provider-version 2.0.0 --publish"
set +e
apigov pact verify --provider orders --base-url "$orders2" --provider-version 2.0.0 \
  --state-change-url "$orders2/_pact/provider-states" --publish -r "$registry" 2>/dev/null | tail -n 5
code=$?
step "So orders 2.0.0 may not go to production, and the answer says why" \
     "apigov can-i-deploy --pacticipant orders --version 2.0.0 --to-environment production"
apigov can-i-deploy --pacticipant orders --version 2.0.0 --to-environment production -r "$registry"
code=$?
set -e
echo "exit code: $code"; [ "$code" -eq 1 ]

step "A change to a field no pact uses (customerId removed): no known consumer is affected" \
     "apigov diff orders/v1/openapi.yaml <customerId removed> --consumers --provider orders"
mkdir -p "$out/orders-unused"; cp -r examples/shop/orders/v1/. "$out/orders-unused/"
"$python" - "$out/orders-unused/components/schemas.yaml" <<'PY'
import sys, yaml
path = sys.argv[1]
data = yaml.safe_load(open(path))
data["Order"]["required"].remove("customerId"); del data["Order"]["properties"]["customerId"]
yaml.safe_dump(data, open(path, "w"), sort_keys=False)
PY
set +e
apigov diff examples/shop/orders/v1/openapi.yaml "$out/orders-unused/openapi.yaml" --consumers --provider orders \
  -r "$registry" | grep -E "customerId" | head -n 2
set -e
