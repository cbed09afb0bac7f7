"""``--format json`` of ``apigov check`` matches contracts/schemas/check-report.schema.json."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from apigov.config.project import Config
from apigov.core.findings import Report
from apigov.lint.check import check_paths
from apigov.report.base import RenderOptions
from apigov.report.json import JsonFormatter

from ._cases import CASES, INVALID_SPEC

SCHEMA_PATH = Path(__file__).resolve().parents[3] / "contracts" / "schemas" / "check-report.schema.json"


def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _as_json(report: Report) -> Any:
    out = io.StringIO()
    JsonFormatter().render(report, out, RenderOptions())
    return json.loads(out.getvalue())


def _errors(instance: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in _validator().iter_errors(instance)]


def test_schema_is_valid_draft_2020_12() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("case", list(CASES))
def test_json_output_of_every_case_matches_schema(case: str) -> None:
    assert _errors(_as_json(CASES[case])) == []


def test_real_check_output_matches_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "x.yaml").write_text(INVALID_SPEC, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    report = check_paths([Path("x.yaml")], Config(root=tmp_path), version="0.1.0")
    document = _as_json(report)
    assert document["findings"], "the spec is meant to produce a finding"
    assert _errors(document) == []


@pytest.mark.parametrize(
    ("pointer", "change"),
    [
        ((), {"apigov": "diff/1"}),
        ((), {"extra": 1}),
        (("summary",), {"error": -1}),
        (("findings", 0), {"line": 0}),
        (("findings", 0), {"level": "fatal"}),
        (("findings", 0), {"pointer": "paths"}),
        (("findings", 0), {"details": {"path": 1}}),
        (("documents", 0), {"kind": None}),
    ],
)
def test_schema_rejects_what_apigov_never_prints(
    pointer: tuple[str | int, ...], change: dict[str, Any]
) -> None:
    document = _as_json(CASES["mixed"])
    target = document
    for token in pointer:
        target = target[token]
    target.update(change)
    assert _errors(document), f"schema accepted {change} at {pointer}"
