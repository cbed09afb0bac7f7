"""The typed clients (``apigov generate client``) against a real ``apigov mock`` process serving
the shop's five v2 contracts: every operation, called with the contract's own examples, gets an
answer the client decodes (no error, no decoding failure).

TypeScript needs node and TypeScript 5 (tests/e2e/clients-node, installed by
.ci/setup/clients.sh): skipped without them, failed under CI=true.
"""

from __future__ import annotations

import importlib
import json
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e._clients import SERVICES, TOKEN, example_calls, generate, run, spec, tsc
from tests.e2e.test_cli_mock import mock
from tests.e2e.test_clients_typescript import _script

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    """``apigov mock`` of the five v2 contracts, each under its server path (``/orders``...)."""
    with mock(*(str(spec(s)) for s in SERVICES)) as url:
        yield url


def _kwargs(module: Any, call: Any) -> dict[str, Any]:
    kwargs: dict[str, Any] = {ident: value for ident, _, _, value in call.other_args}
    if call.body is not None:
        owner, _, attr = call.body_decoder.rpartition(".")
        decoder = getattr(getattr(module.models, owner), attr) if owner else getattr(module.models, attr)
        kwargs["body"] = decoder(call.body, "$")
    return kwargs


def test_the_python_clients_call_every_operation_of_the_mock(mock_url: str, tmp_path: Path) -> None:
    called: dict[str, int] = {}
    for service in SERVICES:
        package = f"mocked_{service}"
        generate("python", spec(service), tmp_path / service, package)
        sys.path.insert(0, str(tmp_path / service))
        try:
            module = importlib.import_module(package)
            with module.Client(f"{mock_url}/{service}", auth=module.BearerAuth(TOKEN), breaker=False) as client:
                for call in example_calls(service):
                    with warnings.catch_warnings(record=True):  # deprecated operations warn
                        warnings.simplefilter("always")
                        result = getattr(client, call.key)(*(v for _, _, v in call.path_args), **_kwargs(module, call))
                    if call.method != "delete" and result is not None:
                        assert type(result).__module__.startswith(package), (service, call.key, result)
                    called[service] = called.get(service, 0) + 1
        finally:
            sys.path.remove(str(tmp_path / service))
            for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
                del sys.modules[name]
    assert set(called) == set(SERVICES) and all(n >= 7 for n in called.values()), called


@pytest.mark.parametrize(
    "service",
    ["orders", "payments", *(pytest.param(s, marks=pytest.mark.slow) for s in ("inventory", "shipping", "notifications"))],
)
def test_the_typescript_clients_call_every_operation_of_the_mock(mock_url: str, tmp_path: Path, service: str) -> None:
    compiler = tsc()
    out = tmp_path / service
    generate("typescript", spec(service), out, f"mocked-{service}-client")
    built = run([str(compiler), "-p", "."], out)
    assert built.returncode == 0, built.stdout + built.stderr
    script = out / "mocked.mjs"
    # the script of the typed-client tests; its provider-state resets answer 404 here, unread
    script.write_text(_script(service, f"{mock_url}/{service}"))
    done = run(["node", str(script)], out, timeout=120)
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(results) >= 7 and all(r[1] == "ok" for r in results), results
