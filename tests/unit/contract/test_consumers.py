"""``apigov diff --consumers``: each breaking change names the consumers whose pacts use it
(matched by operation and JSON path) and where they are deployed; the JSON gains ``consumers``;
``diff.consumers: used`` fails only on changes a consumer uses."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from apigov.cli.main import run

ROOT = Path(__file__).parents[3]
V1 = str(ROOT / "examples/shop/orders/v1/openapi.yaml")
V2 = str(ROOT / "examples/shop/orders/v2/openapi.yaml")


def _pact(consumer: str, body: dict[str, object]) -> str:
    return json.dumps({
        "consumer": {"name": consumer}, "provider": {"name": "orders"},
        "interactions": [{"description": f"{consumer} reads an order", "request": {"method": "GET", "path": "/orders/ord_1"},
                          "response": {"status": 200, "body": body}}],
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    })


@pytest.fixture
def registry(tmp_path: Path) -> str:
    reg = str(tmp_path / "registry")
    (tmp_path / "web.json").write_text(_pact("checkout-web", {"id": "ord_1", "customerEmail": "a@b.c"}))
    (tmp_path / "job.json").write_text(_pact("backoffice-job", {"id": "ord_1", "status": "paid"}))
    assert run(["pact", "publish", str(tmp_path / "web.json"), "--consumer-version", "2.3.1", "-r", reg]) == 0
    assert run(["pact", "publish", str(tmp_path / "job.json"), "--consumer-version", "1.0.0", "-r", reg]) == 0
    assert run(["record-deployment", "--service", "checkout-web", "--version", "2.3.1", "--env", "production", "-r", reg]) == 0
    return reg


def test_breaking_changes_name_the_consumers_that_use_them(registry: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run(["diff", V1, V2, "--consumers", "--provider", "orders", "-r", registry, "-f", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    schema = json.loads((ROOT / "contracts/schemas/diff-report.schema.json").read_text())
    jsonschema.validate(out, schema)
    email = [c for c in out["changes"] if c["operation"] == "GET /orders/{orderId}" and c["location"].endswith("customerEmail")]
    assert [(u["consumer"], u["version"], u["environments"]) for u in email[0]["consumers"]] == [
        ("checkout-web", "2.3.1", ["production"])
    ]
    assert "breaks checkout-web@2.3.1 (production)" in email[0]["message"]
    unused = [c for c in out["changes"] if c["operation"] == "POST /orders" and c["level"] == "breaking"]
    assert unused and all(c["consumers"] == [] for c in unused)
    assert "no known consumer uses it" in unused[0]["message"]


def test_policy_used_fails_only_on_changes_a_consumer_uses(
    registry: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "apigov.yaml"
    config.write_text("diff:\n  consumers: used\n")
    monkeypatch.chdir(tmp_path)
    # only a change nobody uses: POST /orders gained a required property; no pact posts orders
    capsys.readouterr()
    code = run(["diff", V1, V2, "--consumers", "--provider", "orders", "-r", registry, "-f", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1  # customerEmail is used by checkout-web
    post = [c for c in out["changes"] if c["operation"] == "POST /orders" and c["id"] == "new-required-request-property"]
    assert post[0]["level"] == "warning"


def test_publish_names_the_consumers_of_its_breaking_changes(registry: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["publish", V1, "-s", "orders-api", "-r", registry]) == 0
    capsys.readouterr()
    run(["publish", V2, "-s", "orders-api", "-r", registry, "--dry-run", "--consumers", "--provider", "orders"])
    err = capsys.readouterr().err
    assert "GET /orders/{orderId}: response-required-property-removed" in err
    assert "breaks checkout-web@2.3.1 (production)" in err
