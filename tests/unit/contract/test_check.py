"""``apigov pact check``: each rule id found on a pact that breaks it, nothing on one that fits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from apigov.cli.main import run
from apigov.contract import rules as R
from apigov.contract.check import check_pact
from apigov.contract.model import parse_pact

CONTRACT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Orders", "version": "1.0.0"},
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {"Order": {"type": "object", "required": ["id", "status"],
                              "properties": {"id": {"type": "integer"}, "status": {"enum": ["open", "paid"]}}}},
    },
    "security": [{"bearer": []}],
    "paths": {
        "/orders/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "get": {"parameters": [{"name": "expand", "in": "query", "required": True, "schema": {"type": "boolean"}}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}},
                                  "4XX": {"description": "problem"}}},
        },
        "/orders": {"post": {"requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}},
                             "responses": {"201": {"description": "made"}}}},
    },
}
AUTH = {"Authorization": "Bearer t"}


def _interaction(**changes: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "description": "get an order",
        "request": {"method": "GET", "path": "/orders/7", "query": {"expand": ["true"]}, "headers": AUTH},
        "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": {"id": 7, "status": "paid"}},
    }
    for key, value in changes.items():
        part, _, field = key.partition("__")
        item[part][field] = value
    return item


def _ids(*interactions: dict[str, Any]) -> list[str]:
    raw = json.dumps({"consumer": {"name": "web"}, "provider": {"name": "orders"}, "interactions": list(interactions),
                      "metadata": {"pactSpecification": {"version": "3.0.0"}}}).encode()
    report = check_pact(parse_pact(raw), CONTRACT, pact_source="p.json", contract_source="c.yaml", contract_kind="openapi-3.1")
    return [f.rule_id for f in report.findings]


POST_OK = {"description": "create", "request": {"method": "POST", "path": "/orders", "headers": {**AUTH, "Content-Type": "application/json"}, "body": {"id": 1, "status": "open"}},
           "response": {"status": 201}}


def test_interactions_that_fit_have_no_findings() -> None:
    assert _ids(_interaction(), POST_OK, _interaction(response__status=404, response__body=None)) == []


@pytest.mark.parametrize(
    "interaction, rule",
    [
        (_interaction(request__path="/customers/7"), R.OPERATION_NOT_FOUND),
        (_interaction(request__method="DELETE"), R.OPERATION_NOT_FOUND),
        (_interaction(request__path="/orders/seven"), R.REQUEST_PARAMETER_INVALID),
        (_interaction(request__query={}), R.REQUEST_PARAMETER_MISSING),
        (_interaction(request__query={"expand": ["maybe"]}), R.REQUEST_PARAMETER_INVALID),
        (_interaction(request__headers={}), R.REQUEST_SECURITY_MISSING),
        (_interaction(response__status=500), R.RESPONSE_STATUS),
        (_interaction(response__body={"id": "7", "status": "paid"}), R.RESPONSE_BODY_INVALID),
        (_interaction(response__body={"id": 7, "status": "gone"}), R.RESPONSE_BODY_INVALID),
        (_interaction(response__headers={"Content-Type": "text/csv"}), R.RESPONSE_MEDIA_TYPE),
        ({**POST_OK, "request": {**POST_OK["request"], "body": {"id": 1}}}, R.REQUEST_BODY_INVALID),
        ({**POST_OK, "request": {**POST_OK["request"], "headers": {**AUTH, "Content-Type": "text/plain"}}}, R.REQUEST_MEDIA_TYPE),
        ({"description": "event", "type": "Asynchronous/Messages", "contents": {}}, R.INTERACTION_SKIPPED),
    ],
)
def test_each_rule_is_found(interaction: dict[str, Any], rule: str) -> None:
    assert _ids(interaction) == [rule]


def test_every_rule_is_documented() -> None:
    assert (Path(__file__).parents[3] / "docs" / "pact-check-rules.md").read_text() == R.rules_markdown()
    assert len({r.id for r in R.PACT_RULES}) == len(R.PACT_RULES)


def test_the_cli_renders_findings_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    contract = tmp_path / "c.json"
    contract.write_text(json.dumps(CONTRACT))
    pact = tmp_path / "p.json"
    pact.write_text(json.dumps({"consumer": {"name": "web"}, "provider": {"name": "orders"},
                                "interactions": [_interaction(response__status=500)]}))
    assert run(["pact", "check", str(pact), str(contract), "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["apigov"] == "pact-check/1" and out["findings"][0]["id"] == R.RESPONSE_STATUS
    assert run(["pact", "check", str(tmp_path / "missing.json"), str(contract)]) == 2


def test_a_pact_lists_only_what_its_consumer_uses() -> None:
    # 'status' left out of the expected body is fine; an undocumented property is not
    assert _ids(_interaction(response__body={"id": 7})) == []
    assert _ids(_interaction(response__body={"id": 7, "nickname": "x"})) == [R.RESPONSE_BODY_INVALID]


@pytest.mark.parametrize(
    "pact_file, contract, expected",
    [
        ("checkout-web-orders.json", "orders/v1/openapi.yaml", []),
        ("checkout-web-payments.json", "payments/v1/openapi.yaml", []),
        ("backoffice-job-orders.json", "orders/v1/openapi.yaml", []),
        ("checkout-web-orders.json", "orders/v2/openapi.yaml", [R.RESPONSE_BODY_INVALID]),  # customerEmail is gone
        ("backoffice-job-orders.json", "orders/v2/openapi.yaml", []),
    ],
)
def test_the_shop_pacts_against_the_shop_contracts(pact_file: str, contract: str, expected: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    shop = Path(__file__).parents[3] / "examples" / "shop"
    code = run(["pact", "check", str(shop / "pacts" / pact_file), str(shop / contract), "-f", "json"])
    out = json.loads(capsys.readouterr().out)
    assert [f["id"] for f in out["findings"]] == expected and code == (1 if expected else 0)
