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
        checked = run([str(tsc()), "-p", ".", "--noEmit"], ts_clients / service)
        assert checked.returncode == 0, checked.stdout
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
