"""The shop's running services honour their contracts: every operation of every service, v1 and v2,
called with the contract's own example request over HTTP, answers a documented status with a body
that validates against the contract (Schemathesis' response checks, independent of the services'
own validation code)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

requests = pytest.importorskip("requests")
schemathesis = pytest.importorskip("schemathesis")

from examples.shop.services import SERVICES, contract_path, start  # noqa: E402
from examples.shop.services._engine import DEFAULT_TOKEN, PROVIDER_STATES_PATH  # noqa: E402

pytestmark = pytest.mark.e2e
AUTH = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}


def _example(node: dict[str, Any]) -> Any:
    if "example" in node:
        return node["example"]
    for ex in (node.get("examples") or {}).values():
        if isinstance(ex, dict) and "value" in ex:
            return ex["value"]
    schema = node.get("schema") or {}
    return schema.get("example", schema.get("default"))


def _case(operation: Any) -> Any:
    definition = operation.definition.raw
    path: dict[str, Any] = {}
    headers: dict[str, Any] = dict(AUTH)
    for param in operation.iter_parameters():
        raw = param.definition
        value = _example(raw)
        if raw.get("in") == "path":
            path[raw["name"]] = value
        elif raw.get("in") == "header" and value is not None:
            headers[raw["name"]] = str(value)
    kwargs: dict[str, Any] = {"path_parameters": path, "headers": headers}
    for body in operation.body:
        kwargs["body"] = _example(body.definition)
        kwargs["media_type"] = body.media_type
        break
    assert definition is not None
    return operation.Case(**kwargs)


def _post(url: str, payload: dict[str, Any]) -> Any:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.mark.parametrize("version", [1, 2])
def test_every_operation_answers_what_its_contract_says(version: int) -> None:
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    seen: dict[str, int] = {}
    for name in SERVICES:
        schema = schemathesis.openapi.from_path(contract_path(name, version))
        operations = [r.ok() for r in schema.get_all_operations()]
        operations.sort(key=lambda op: op.method.upper() == "DELETE")  # removals last
        with start(name, version=version) as url, requests.Session() as session:
            for operation in operations:
                case = _case(operation)
                response = case.call(base_url=url, session=session)
                case.validate_response(response, checks=checks)
                seen[f"{name} {operation.definition.raw['operationId']}"] = response.status_code
            # provider states: a reset brings the examples back, an id in params creates that resource
            assert _post(url + PROVIDER_STATES_PATH, {"state": "reset"}) == {}
    failed = {op: status for op, status in seen.items() if status >= 400}
    # every operation works with its own example request, except what the examples make conflict
    assert len(seen) >= 35
    assert all(status in (404, 409) for status in failed.values()), failed
    assert len(failed) <= 6, failed


def test_invalid_request_names_the_field_and_unknown_paths_are_problems() -> None:
    with start("orders") as url:
        bad = urllib.request.Request(
            url + "/orders",
            data=b'{"lines": [{"sku": "TSHIRT-BLK-M", "quantity": 0}]}',
            method="POST",
            headers={**AUTH, "Content-Type": "application/json"},
        )
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(bad, timeout=10)
        assert caught.value.code == 400
        problem = json.loads(caught.value.read())
        caught.value.close()
        pointers = {e["pointer"] for e in problem["errors"]}
        assert {"/lines/0/quantity", "/customerId", "/shippingAddress"} <= pointers
        for path, method, status in (
            ("/nowhere", "GET", 404),
            ("/orders", "DELETE", 405),
            ("/orders", "GET", 401),
        ):
            request = urllib.request.Request(url + path, method=method)
            with pytest.raises(urllib.error.HTTPError) as caught:
                urllib.request.urlopen(request, timeout=10)
            assert caught.value.code == status
            assert caught.value.headers["content-type"] == "application/problem+json"
            caught.value.close()


def test_provider_state_creates_the_named_resource() -> None:
    with start("orders") as url:
        made = _post(
            url + PROVIDER_STATES_PATH,
            {
                "state": "an order exists",
                "params": {"orderId": "ord_01JD3YQ8ZK4T9W6M2N5P7R8S0W", "status": "shipped"},
                "action": "setup",
            },
        )
        assert made["/orders"]["id"] == "ord_01JD3YQ8ZK4T9W6M2N5P7R8S0W"
        request = urllib.request.Request(
            url + "/orders/ord_01JD3YQ8ZK4T9W6M2N5P7R8S0W/cancel",
            method="POST",
            data=b'{"reason": "customer-request"}',
            headers={**AUTH, "Content-Type": "application/json"},
        )
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(request, timeout=10)
        assert caught.value.code == 409  # shipped orders cannot be cancelled
        caught.value.close()
        _post(url + PROVIDER_STATES_PATH, {"state": "empty"})
        listing = urllib.request.Request(url + "/orders", headers=AUTH)
        with urllib.request.urlopen(listing, timeout=10) as response:
            assert json.loads(response.read())["items"] == []
