"""Engine reasons whose kind no schema family names: proven ones are a plain "schema narrowed /
widened" change with their counter-example, never "undecided"."""

from __future__ import annotations

import json
from pathlib import Path

from apigov.core._types import JSONValue
from apigov.core.findings import Level
from tests.unit.rules._support import by_id, diff_documents, ids


def _api(schema: JSONValue) -> dict[str, JSONValue]:
    body = {"content": {"application/json": {"schema": schema}}}
    operation = {"requestBody": body, "responses": {"200": {"description": "ok"}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1.0.0"},
        "paths": {"/a": {"post": operation}},
    }


def test_a_proven_one_of_overlap_is_a_narrowed_schema(tmp_path: Path) -> None:
    # every short string now matches both branches, so exactly-one fails: old requests are refused
    revision = {"oneOf": [{"type": "string"}, {"type": "string", "maxLength": 5}]}
    report = diff_documents(tmp_path, _api({"type": "string"}), _api(revision))
    assert "request-body-schema-undecided" not in ids(report)
    (finding,) = by_id(report, "request-body-schema-narrowed")
    assert finding.level is Level.BREAKING
    example = json.loads(finding.details["counter_example"])
    assert isinstance(example, str) and len(example) <= 5


def test_the_same_for_an_event_schema(tmp_path: Path) -> None:
    from apigov.config.project import Config
    from apigov.rules.run import DiffRequest, diff_sources

    old, new = tmp_path / "v1.json", tmp_path / "v2.json"
    old.write_text(json.dumps({"type": "string"}))
    new.write_text(json.dumps({"oneOf": [{"type": "string"}, {"type": "string", "maxLength": 5}]}))
    report = diff_sources(
        DiffRequest(base=str(old), revision=str(new), mode="BACKWARD"), Config(root=tmp_path)
    )
    assert "schema-undecided" not in ids(report)
    (finding,) = by_id(report, "schema-narrowed")
    assert finding.level is Level.BREAKING and "counter_example" in finding.details
