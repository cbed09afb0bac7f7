"""A publish refusal shows each breaking change's counter-example, cut around the value that
breaks, in the CLI's text and JSON and in the server's refusal body (issue 13, item 12), and
names each operation once (item 13)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from apigov.config.project import Config
from apigov.registry.base import Change
from apigov.registry.filesystem import DirectoryBackend
from apigov.registry.present import render_outcome
from apigov.registry.publish import PublishOutcome, PublishRequest, publish
from tests.unit.registry._http_support import bearer, http_backend, served

#: A response whose properties sort before ``zone``, the one whose type changes: long enough
#: that a counter-example cut at its end would lose ``zone``.
_PROPERTIES = "\n".join(
    f"                  {name}: {{type: string, enum: [{value}]}}"
    for name, value in (
        ("address", "Hauptstrasse 1, 10115 Berlin"),
        ("createdAt", "2024-01-31T12:00:00Z"),
        ("customer", "cus_01JCZT0M3E5R7V9X1B3D5F7H9K"),
        ("id", "ord_01JD3YQ8ZK4T9W6M2N5P7R8S0V"),
    )
)
ORDERS = f"""\
openapi: 3.0.3
info: {{title: Orders, version: 1.0.0}}
paths:
  /orders/{{id}}:
    get:
      operationId: getOrder
      parameters:
        - {{name: id, in: path, required: true, schema: {{type: string}}}}
      responses:
        "200":
          description: An order.
          content:
            application/json:
              schema:
                type: object
                required: [address, createdAt, customer, id, zone]
                additionalProperties: false
                properties:
{_PROPERTIES}
                  zone: {{type: integer, enum: [7]}}
"""
TYPE_CHANGED = "response-property-type-changed"
ORDERS_BROKEN = ORDERS.replace("zone: {type: integer, enum: [7]}", "zone: {type: string}")


def _refused(root: Path, tmp: Path) -> PublishOutcome:
    file = tmp / "orders.yaml"
    for content in (ORDERS, ORDERS_BROKEN):
        file.write_text(content)
        outcome = publish(
            DirectoryBackend(root), PublishRequest(file=file, subject="orders-api"), Config(root=tmp)
        )
    assert outcome.refused
    return outcome


def _breaking(outcome: PublishOutcome) -> list[Change]:
    assert outcome.judgement is not None
    return [c for f in outcome.judgement.failures for c in f.changes if c.level == "breaking"]


def test_the_refusal_text_shows_the_counter_example_around_the_field(tmp_path: Path) -> None:
    outcome = _refused(tmp_path / "reg", tmp_path)
    [change] = [c for c in _breaking(outcome) if c.id == TYPE_CHANGED]
    assert change.example is not None and len(change.example) <= 120
    assert change.example.endswith('"zone": ""}')  # a response the old contract never sent
    assert change.message.startswith("GET /orders/{id}: ")
    out = io.StringIO()
    render_outcome(outcome, "text", out)
    lines = out.getvalue().splitlines()
    at = next(i for i, line in enumerate(lines) if line.endswith(TYPE_CHANGED))
    assert lines[at + 1].strip() == f"e.g. {change.example}"
    data = io.StringIO()
    render_outcome(outcome, "json", data)
    served_changes = [c for f in json.loads(data.getvalue())["failures"] for c in f["changes"]]
    assert any(c.get("example") == change.example for c in served_changes)


def test_the_example_is_one_line_whatever_the_spec_holds(tmp_path: Path) -> None:
    change = Change("x", "breaking", "m", '{"a": "line\\none\\u001b[2J"}\n::error::x')
    outcome = _refused(tmp_path / "reg", tmp_path)
    assert outcome.judgement is not None
    failure = outcome.judgement.failures[0]
    hostile = type(failure)(failure.against, failure.direction, True, (change,))
    judgement = type(outcome.judgement)(outcome.judgement.required_bump, (hostile,), ())
    out = io.StringIO()
    render_outcome(type(outcome)(**{**_fields(outcome), "judgement": judgement}), "text", out)
    [line] = [line for line in out.getvalue().splitlines() if "e.g." in line]
    assert "::error::x" in line and "\x1b" not in line


def _fields(outcome: PublishOutcome) -> dict[str, object]:
    return {name: getattr(outcome, name) for name in outcome.__dataclass_fields__}


@pytest.mark.parametrize("through", ["body", "client"])
def test_the_server_refusal_carries_the_example(tmp_path: Path, through: str) -> None:
    local = _refused(tmp_path / "local", tmp_path)
    [expected] = [c.example for c in _breaking(local) if c.id == TYPE_CHANGED]
    if through == "body":
        client, tokens = served(tmp_path / "reg")
        for content in (ORDERS, ORDERS_BROKEN):
            answer = client.post(
                "/v1/subjects/orders-api/publish",
                json={"content": content, "source": "orders.yaml"},
                headers=bearer(tokens["publish"]),
            )
        assert answer.status_code == 409, answer.text
        changes = [c for f in answer.json()["outcome"]["failures"] for c in f["changes"]]
        assert [c["example"] for c in changes if c["id"] == TYPE_CHANGED] == [expected]
        return
    backend = http_backend(tmp_path)
    remote = _refused_through(backend, tmp_path)
    assert [c.example for c in _breaking(remote) if c.id == TYPE_CHANGED] == [expected]


def _refused_through(backend: object, tmp: Path) -> PublishOutcome:
    file = tmp / "remote.yaml"
    for content in (ORDERS, ORDERS_BROKEN):
        file.write_text(content)
        outcome = publish(backend, PublishRequest(file=file, subject="orders-api"), Config(root=tmp))  # type: ignore[arg-type]
    assert outcome.refused
    return outcome
