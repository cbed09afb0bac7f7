"""Generated TypeScript clients: `tsc --strict` clean and calling every operation of the running shop.

Needs node and TypeScript 5 (tests/e2e/clients-node, installed by .ci/setup/clients.sh): the
tests skip without them, and fail under CI=true.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e._clients import SERVICES, TOKEN, example_calls, generate, run, spec, tsc

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def ts_clients(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    compiler = tsc()
    out = tmp_path_factory.mktemp("ts-clients")
    for service in SERVICES:
        generate("typescript", spec(service), out / service, f"shop-{service}-client")
        built = run([str(compiler), "-p", "."], out / service)  # strict; emits dist/ for node
        assert built.returncode == 0, built.stdout + built.stderr
    yield out


def test_shop_clients_pass_tsc_strict(ts_clients: Path) -> None:
    for service in SERVICES:
        config = json.loads((ts_clients / service / "tsconfig.json").read_text())
        assert config["compilerOptions"]["strict"] is True
        assert (ts_clients / service / "dist" / "index.d.ts").is_file()  # the fixture's strict build passed
        package = json.loads((ts_clients / service / "package.json").read_text())
        assert package["type"] == "module" and "dependencies" not in package
        assert package["apigov"]["digest"].startswith("sha256:")


def _script(service: str, url: str) -> str:
    lines = [
        'import { Client, BearerAuth, ApiError } from "./dist/index.js";',
        f"const client = new Client({{ baseUrl: {json.dumps(url)}, auth: new BearerAuth({json.dumps(TOKEN)}), breaker: false }});",
        f"const reset = (body) => fetch({json.dumps(url + '/_pact/provider-states')}, {{ method: 'POST', headers: {{ 'content-type': 'application/json' }}, body: JSON.stringify(body) }});",
        "const results = [];",
    ]
    for call in example_calls(service):
        state = {"state": "reset"}
        if (service, call.key) in {("payments", "capture_payment"), ("payments", "void_payment")}:
            state = {
                "state": "resource",
                "params": {**call.path_wire, "status": "authorized"},
                "action": "setup",
            }
        if (service, call.key) == ("notifications", "resend_notification"):
            state = {"state": "resource", "params": {**call.path_wire, "status": "failed"}, "action": "setup"}
        args = [json.dumps(v) for _, _, v in call.path_args]
        fields = {ts: v for _, ts, _, v in call.other_args}
        if call.body is not None:
            fields["body"] = call.body
        if fields:
            args.append(json.dumps(fields))
        lines.append(f"await reset({json.dumps(state)});")
        lines.append(
            f"try {{ const r = await client.{call.ts_name}({', '.join(args)}); "
            f"results.push([{json.dumps(call.ts_name)}, 'ok', r === undefined ? null : typeof r]); }} "
            f"catch (e) {{ results.push([{json.dumps(call.ts_name)}, e instanceof ApiError ? e.status : String(e)]); }}"
        )
    lines.append("console.log(JSON.stringify(results));")
    return "\n".join(lines) + "\n"


def test_every_operation_round_trips_against_the_running_service(ts_clients: Path) -> None:
    from examples.shop.services import start_all

    with start_all(version=2) as urls:
        for service in SERVICES:
            script = ts_clients / service / "roundtrip.mjs"
            script.write_text(_script(service, urls[service]))
            done = run(["node", str(script)], ts_clients / service, timeout=120)
            assert done.returncode == 0, done.stderr
            results = json.loads(done.stdout.strip().splitlines()[-1])
            failed = [r for r in results if r[1] != "ok"]
            assert not failed, (service, failed)
            assert len(results) >= 7


RESILIENCE = r"""
import { Client, CircuitBreaker, CircuitOpenError, ServerError, OAuth2ClientCredentials } from "./dist/index.js";
const order = ORDER;
let plan = [];
const seen = [];
let tokens = 0;
const fakeFetch = async (url, init) => {
  if (String(url).endsWith("/token")) {
    tokens += 1;
    return new Response(JSON.stringify({ access_token: `tok-${tokens}`, expires_in: 60 }), { status: 200 });
  }
  seen.push({ method: init.method, headers: init.headers });
  const next = plan.shift();
  if (next) return new Response(JSON.stringify({ title: "scripted", status: next[0] }), { status: next[0], headers: { "content-type": "application/problem+json", ...next[1] } });
  return new Response(JSON.stringify(order), { status: init.method === "POST" ? 201 : 200 });
};
let now = 1000;
const sleeps = [];
const base = (extra) => new Client({ baseUrl: "http://127.0.0.1:9", fetch: fakeFetch, breaker: false,
  retry: { maxAttempts: 4, initialBackoff: 0.5, maxBackoff: 2 }, sleep: async (s) => { sleeps.push(s); now += s; },
  wallClock: () => now, ...extra });
const out = {};
plan = [[503, {}], [502, {}], [504, {}]];
await base({ rng: () => 1 }).getOrder("ord_1");
out.capped = sleeps.splice(0);
plan = [[503, {}], [503, {}], [503, {}]];
let r = 0.37;
await base({ rng: () => { r = (r * 7.3) % 1; return r; } }).getOrder("ord_1");
out.jittered = sleeps.splice(0);
plan = [[429, { "retry-after": "7" }], [503, { "retry-after": "3" }]];
await base({}).getOrder("ord_1");
out.retryAfter = sleeps.splice(0);
plan = [[503, {}]]; seen.length = 0;
try { await base({}).cancelOrder("ord_1", { body: { reason: "customer-request" } }); } catch (e) { out.cancelError = e instanceof ServerError; }
out.cancelAttempts = seen.length;
plan = [[503, {}], [503, {}]]; seen.length = 0;
await base({}).createOrder({ body: CREATE, idempotencyKey: "retry-key-0001" });
out.keys = seen.map((s) => s.headers["idempotency-key"]);
now = 5000;  // a whole second: the jittered sleeps above (Math.random) leave a float whose + 30 may round below
const breaker = new CircuitBreaker(3, 30, () => now);
const guarded = base({ breaker, retry: { maxAttempts: 1 } });
plan = [[500, {}], [500, {}], [500, {}]]; seen.length = 0;
for (let i = 0; i < 3; i++) { try { await guarded.getOrder("ord_1"); } catch {} }
out.opened = breaker.state("127.0.0.1:9");
try { await guarded.getOrder("ord_1"); } catch (e) { out.refused = e instanceof CircuitOpenError; }
out.sentWhileOpen = seen.length;
now += 30;
out.halfOpen = breaker.state("127.0.0.1:9");
await guarded.getOrder("ord_1");
out.closed = breaker.state("127.0.0.1:9");
const auth = new OAuth2ClientCredentials("http://127.0.0.1:9/token", "svc", "secret", { clock: () => now });
const authed = base({ auth });
seen.length = 0;
await authed.getOrder("ord_1"); await authed.getOrder("ord_1");
now += 45;
await authed.getOrder("ord_1");
plan = [[401, {}]];
await authed.getOrder("ord_1");
out.tokens = tokens;
out.auths = seen.map((s) => s.headers["authorization"]);
console.log(JSON.stringify(out));
"""


def test_resilience_retries_jitter_retry_after_breaker_and_oauth(ts_clients: Path) -> None:
    from tests.e2e.test_clients_python import _order_example

    create = next(c for c in example_calls("orders") if c.key == "create_order").body
    script = ts_clients / "orders" / "resilience.mjs"
    script.write_text(
        RESILIENCE.replace("ORDER", json.dumps(_order_example())).replace("CREATE", json.dumps(create))
    )
    done = run(["node", str(script)], ts_clients / "orders", timeout=60)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["capped"] == [0.5, 1, 2]  # full jitter's caps (rng = 1): 0.5 * 2^n, limited by maxBackoff
    assert all(0 <= s <= cap for s, cap in zip(out["jittered"], [0.5, 1, 2], strict=True))
    assert len(set(out["jittered"])) == 3
    assert out["retryAfter"] == [7, 3]
    assert out["cancelError"] is True and out["cancelAttempts"] == 1  # POST without a key: no retry
    assert out["keys"] == ["retry-key-0001"] * 3
    assert out["opened"] == "open" and out["refused"] is True and out["sentWhileOpen"] == 3
    assert out["halfOpen"] == "half-open" and out["closed"] == "closed"
    assert out["tokens"] == 3
    assert (
        out["auths"][0] == "Bearer tok-1"
        and out["auths"][2] == "Bearer tok-2"
        and out["auths"][-1] == "Bearer tok-3"
    )


def test_deprecated_operation_carries_its_sunset_in_jsdoc(ts_clients: Path) -> None:
    source = (ts_clients / "shipping" / "src" / "client.ts").read_text()
    head, _, _ = source.partition("async getShipmentLabel(")
    assert "@deprecated Deprecated; sunset 2027-06-30." in head.rsplit("/**", 1)[1]


def test_check_reports_a_stale_typescript_client(tmp_path: Path) -> None:
    from tests.e2e._cli import apigov

    args = ["generate", "client", "--lang", "typescript", str(spec("orders")), "-o", str(tmp_path)]
    assert apigov(*args).returncode == 0
    assert apigov(*args, "--check").returncode == 0
    (tmp_path / "src" / "client.ts").write_text("// edited\n")
    stale = apigov(*args, "--check")
    assert stale.returncode == 1 and "src/client.ts" in stale.stdout


def test_pagination_helper_follows_the_cursor(ts_clients: Path) -> None:
    from examples.shop.services import start

    create = next(c for c in example_calls("orders") if c.key == "create_order").body
    with start("orders", version=2) as url:
        script = ts_clients / "orders" / "paging.mjs"
        script.write_text(
            'import { Client, BearerAuth } from "./dist/index.js";\n'
            f"const client = new Client({{ baseUrl: {json.dumps(url)}, auth: new BearerAuth({json.dumps(TOKEN)}) }});\n"
            "for (let i = 0; i < 4; i++) {\n"
            f"  await client.createOrder({{ body: {json.dumps(create)}, idempotencyKey: `paging-key-${{i}}000` }});\n"
            "}\n"
            "const first = await client.listOrders({ limit: 2 });\n"
            "const ids = [];\n"
            "for await (const order of client.iterListOrders({ limit: 2 })) ids.push(order.id);\n"
            "console.log(JSON.stringify([first.items.length, first.nextCursor !== null, ids.length, new Set(ids).size]));\n"
        )
        done = run(["node", str(script)], ts_clients / "orders", timeout=60)
    assert done.returncode == 0, done.stderr
    first, has_next, count, unique = json.loads(done.stdout)
    assert first == 2 and has_next and count >= 5 and unique == count
