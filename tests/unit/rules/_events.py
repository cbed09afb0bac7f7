"""Run ``apigov diff`` on event schema versions written in the tests, and check counter-examples."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from apigov.config.project import Config
from apigov.core._types import JSONValue
from apigov.core.findings import Finding, Report
from apigov.rules.run import DiffRequest, diff_sources
from tests.unit.rules._support import TODAY

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def schema(body: JSONValue) -> JSONValue:
    """A JSON Schema document: ``body`` with ``$schema`` (so it is never read as Avro)."""
    assert isinstance(body, dict)
    return {"$schema": DRAFT, **body}


def diff_versions(
    tmp_path: Path,
    *versions: JSONValue,
    mode: str | None = None,
    suffix: str = ".json",
    strict_open_model: bool | None = None,
) -> Report:
    """Write each version as JSON (``v1``, ``v2``... oldest first) and diff them."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, data in enumerate(versions, start=1):
        path = tmp_path / f"v{index}{suffix}"
        path.write_text(json.dumps(data), encoding="utf-8")
        paths.append(str(path))
    request = DiffRequest(
        base=paths[0],
        revision=paths[1],
        more=tuple(paths[2:]),
        mode=mode,
        strict_open_model=strict_open_model,
        today=TODAY,
    )
    return diff_sources(request, Config(root=tmp_path))


def asyncapi(payload: JSONValue, action: str = "send", *, headers: JSONValue = None) -> JSONValue:
    """An AsyncAPI 3.0 document with one channel, one message (``payload``) and one operation."""
    message: dict[str, Any] = {"payload": payload}
    if headers is not None:
        message["headers"] = headers
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "Orders", "version": "1.0.0"},
        "channels": {
            "orders": {
                "address": "shop.orders",
                "messages": {"OrderCreated": {"$ref": "#/components/messages/OrderCreated"}},
            }
        },
        "operations": {
            "onOrder": {
                "action": action,
                "channel": {"$ref": "#/channels/orders"},
                "messages": [{"$ref": "#/channels/orders/messages/OrderCreated"}],
            }
        },
        "components": {"messages": {"OrderCreated": message}},
    }


def ids(report: Report) -> set[str]:
    return {f.rule_id for f in report.findings}


def of(report: Report, rule_id: str) -> list[Finding]:
    return [f for f in report.findings if f.rule_id == rule_id]


def assert_counter_examples(report: Report, old: JSONValue, new: JSONValue) -> int:
    """Every breaking finding's counter-example is accepted by its writer and rejected by its
    reader (backward: writer old, reader new; forward: the other way), validated with the
    ``jsonschema`` package. Returns how many were checked."""
    checked = 0
    for finding in report.findings:
        if finding.level.value != "breaking":
            continue
        assert "counter_example" in finding.details, finding
        instance = json.loads(finding.details["counter_example"])
        writer, reader = (old, new) if finding.details["direction"] == "backward" else (new, old)
        assert Draft202012Validator(writer).is_valid(instance), (finding.rule_id, instance)
        assert not Draft202012Validator(reader).is_valid(instance), (finding.rule_id, instance)
        checked += 1
    return checked


def levels(findings: Sequence[Finding]) -> set[str]:
    return {f.level.value for f in findings}
