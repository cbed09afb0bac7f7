"""``apigov mock`` in a real process: every operation of every shop contract (v1 and v2, all five
served at once behind their base paths) answers its example request with a documented status
and a body that validates against the contract (Schemathesis' response checks)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests  # the fuzz extra installs both: a missing one fails, never skips
import schemathesis

from examples.shop.services import SERVICES, contract_path
from tests.e2e.test_shop_services import _case

pytestmark = pytest.mark.e2e


@contextmanager
def mock(*args: str) -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "apigov", "mock", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "listening on" in line, process.stderr.read() if process.stderr else ""
        base = line.split("listening on ", 1)[1].strip()
        assert base.startswith("http://127.0.0.1:") and base.split(":")[-1].isdigit(), line
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=1).close()
                break
            except urllib.error.HTTPError as answered:
                answered.close()
                break
            except OSError:
                time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


CHECKS_NAMES = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)


def _checks() -> list[Any]:
    from schemathesis.checks import CHECKS, load_all_checks

    load_all_checks()
    return CHECKS.get_by_names(list(CHECKS_NAMES))


@pytest.mark.parametrize("dynamic", [False, True], ids=["examples", "dynamic"])
@pytest.mark.parametrize("version", [1, 2])
def test_every_operation_of_every_shop_contract_answers_a_valid_body(version: int, dynamic: bool) -> None:
    paths = [str(contract_path(name, version)) for name in SERVICES]
    statuses: dict[str, int] = {}
    with mock(*paths, *(["--dynamic"] if dynamic else [])) as url, requests.Session() as session:
        for name in SERVICES:
            schema = schemathesis.openapi.from_path(contract_path(name, version))
            for result in schema.get_all_operations():
                operation = result.ok()
                case = _case(operation)
                response = case.call(base_url=f"{url}/{name}", session=session)
                case.validate_response(response, checks=_checks())
                statuses[f"{name} {operation.label}"] = response.status_code
    assert len(statuses) >= 35
    assert all(200 <= s < 300 for s in statuses.values()), {k: v for k, v in statuses.items() if v >= 300}


def _call(
    url: str, method: str = "GET", body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, Any, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None, response.headers
    except urllib.error.HTTPError as error:
        raw = error.read()
        error.close()
        return error.code, json.loads(raw) if raw else None, error.headers


def test_prefer_validation_errors_and_state() -> None:
    with mock(str(contract_path("orders", 1)), "--stateful") as url:
        base = url + "/orders"
        status, body, headers = _call(
            base + "/orders/ord_01JD3YQ8ZK4T9W6M2N5P7R8S0V", headers={"Prefer": "code=404"}
        )
        assert status == 404 and headers["content-type"] == "application/problem+json"
        status, body, _ = _call(
            base + "/orders/ord_01JD3YQ8ZK4T9W6M2N5P7R8S0V", headers={"Prefer": "example=paid"}
        )
        assert status == 200 and body["status"] == "paid"
        status, body, _ = _call(base + "/orders", "POST", {"lines": [{"sku": "TSHIRT-BLK-M", "quantity": 0}]})
        assert status == 400
        assert {"/lines/0/quantity", "/customerId"} <= {e["pointer"] for e in body["errors"]}
        assert _call(base + "/nowhere")[0] == 404
        status, _, headers = _call(base + "/orders", "DELETE")
        assert status == 405 and "GET" in headers["allow"]
        order = {
            "customerId": "cus_01JCZT0M3E5R7V9X1B3D5F7H9K",
            "lines": [{"sku": "TSHIRT-BLK-M", "quantity": 2}],
            "shippingAddress": {
                "recipientName": "E",
                "line1": "x",
                "postalCode": "10115",
                "city": "B",
                "countryCode": "DE",
            },
            "note": "ring twice",
        }
        status, created, headers = _call(base + "/orders", "POST", order)
        assert status == 201 and created["note"] == "ring twice"
        status, fetched, _ = _call(url + headers["location"])
        assert status == 200 and fetched == created
        status, _, _ = _call(base + "/orders/ord_01JD3YQ8ZK4T9W6M2N5P7R8S0X")
        assert status == 404  # never created


def test_bad_input_is_exit_2(tmp_path: Path) -> None:
    import socket

    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      parameters: [{name: q, in: query, schema: {type: string, pattern: '^(?=a)(a+)+$'}}]\n"
        "      responses: {'200': {description: ok}}\n"
    )
    same = tmp_path / "same.yaml"
    same.write_text(contract_path("orders", 1).read_text().replace("title: Shop Orders API", "title: Other"))
    (tmp_path / "components").mkdir()
    (tmp_path / "components" / "schemas.yaml").write_text(
        (contract_path("orders", 1).parent / "components" / "schemas.yaml").read_text()
    )
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        cases = {
            "missing file": ("mock", str(tmp_path / "nope.yaml"), "--port", "0"),
            "same base path": ("mock", str(contract_path("orders", 1)), str(same), "--port", "0"),
            "port in use": ("mock", str(contract_path("orders", 1)), "--port", str(port)),
            "hostile pattern": ("mock", str(hostile), "--port", "0"),
            "not openapi": (
                "mock",
                str(
                    contract_path("orders", 1).parents[2] / "events" / "v1" / "schemas" / "order-created.json"
                ),
            ),
        }
        messages: dict[str, str] = {}
        for name, args in cases.items():
            done = subprocess.run(
                [sys.executable, "-m", "apigov", *args],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert done.returncode == 2, (name, done.stdout, done.stderr)
            assert len(done.stderr.strip().splitlines()) == 1, (name, done.stderr)
            messages[name] = done.stderr
    assert "RE2" in messages["hostile pattern"] and "(?=a)" in messages["hostile pattern"]
    assert (
        str(same) in messages["same base path"]
        and str(contract_path("orders", 1)) in messages["same base path"]
    )
    assert "under /orders" in messages["same base path"]
