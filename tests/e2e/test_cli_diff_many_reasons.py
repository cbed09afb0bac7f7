"""No cap drops a reason silently: a change keeps its own level whatever else changed beside it.

One schema with more proven changes than the engine's old per-schema cap (32): the change past
the cap must keep its level (breaking), through the real CLI, for OpenAPI bodies and JSON Schemas.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from apigov.schema.compat import UNCONFIRMED

from ._cli import apigov

LOWERED = 40  # more properties with `maxLength` lowered than the old cap of 32 reasons


def _properties(new: bool) -> dict[str, Any]:
    properties: dict[str, Any] = {
        f"p{i:02d}": {"type": "string", "maxLength": 10 if new else 20} for i in range(LOWERED)
    }
    properties["zz"] = {"type": "integer" if new else "string"}  # sorts after every p..
    return properties


def _openapi(new: bool) -> dict[str, Any]:
    body = {"type": "object", "properties": _properties(new)}
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1.0.0"},
        "paths": {
            "/x": {
                "post": {
                    "operationId": "x",
                    "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
                    "responses": {"204": {"description": "ok"}},
                }
            }
        },
    }


def _write(tmp_path: Path, old: object, new: object) -> tuple[str, str]:
    (tmp_path / "old.json").write_text(json.dumps(old), encoding="utf-8")
    (tmp_path / "new.json").write_text(json.dumps(new), encoding="utf-8")
    return str(tmp_path / "old.json"), str(tmp_path / "new.json")


def _report(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert result.returncode in (0, 1), result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def _levels(report: dict[str, Any], rule_id: str) -> list[str]:
    return [c["level"] for c in report["changes"] if c["id"] == rule_id]


def test_a_type_change_past_many_other_changes_stays_breaking(tmp_path: Path) -> None:
    old, new = _write(tmp_path, _openapi(False), _openapi(True))
    result = apigov("diff", old, new, "--format", "json")
    report = _report(result)
    assert result.returncode == 1
    assert _levels(report, "request-property-type-changed") == ["breaking"]
    assert _levels(report, "request-property-max-length-decreased") == ["breaking"] * LOWERED


def test_ignoring_the_known_changes_does_not_let_the_type_change_pass(tmp_path: Path) -> None:
    old, new = _write(tmp_path, _openapi(False), _openapi(True))
    ignore = tmp_path / "ignore.yaml"
    ignore.write_text(
        textwrap.dedent(
            """\
            version: 1
            ignore:
              - id: request-property-max-length-decreased
                operation: POST /x
                reason: the known decreases
            """
        ),
        encoding="utf-8",
    )
    result = apigov("diff", old, new, "--format", "json", "--ignore", str(ignore))
    report = _report(result)
    assert result.returncode == 1, report["changes"]
    assert _levels(report, "request-property-type-changed") == ["breaking"]
    assert _levels(report, "request-property-max-length-decreased") == []


def _json_schema(new: bool) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:example:many",
        "type": "object",
        "properties": _properties(new),
    }


@pytest.mark.parametrize("rule_off", [False, True])
def test_an_event_schema_type_change_past_many_other_changes_stays_breaking(
    tmp_path: Path, rule_off: bool
) -> None:
    old, new = _write(tmp_path, _json_schema(False), _json_schema(True))
    if rule_off:
        (tmp_path / "apigov.yaml").write_text(
            "diff:\n  rules: {schema-max-length-decreased: off}\n", encoding="utf-8"
        )
    result = apigov("diff", old, new, "--format", "json", "--mode", "BACKWARD", cwd=tmp_path)
    report = _report(result)
    assert result.returncode == 1, report["changes"]
    assert _levels(report, "schema-type-changed") == ["breaking"]
    assert _levels(report, "schema-max-length-decreased") == ([] if rule_off else ["breaking"] * LOWERED)


_LIMIT = textwrap.dedent(
    """\
    import resource, sys
    from apigov.cli.main import main
    resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))
    sys.argv = ["apigov", *sys.argv[1:]]
    main()
    """
)


@pytest.mark.slow
def test_thousands_of_property_changes_beside_thousands_of_required_ones_stay_small(tmp_path: Path) -> None:
    """10,000 properties, 5,000 of them required, each one changed: once took 10.8 s and 1.16 GB
    (a copy of the 5,000-property base instance per reason before any was dropped)."""
    names = [f"p{i:05d}" for i in range(10_000)]

    def schema(new: bool) -> dict[str, Any]:
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "properties": {n: {"type": "string", **({"maxLength": 3} if new else {})} for n in names},
            "required": names[:5_000],
        }

    old, new = _write(tmp_path, schema(False), schema(True))
    command = [sys.executable, "-c", _LIMIT, "diff", old, new, "--mode", "BACKWARD", "--format", "json"]
    started = time.monotonic()
    result = subprocess.run(
        [*command, "--undecided", "breaking"], capture_output=True, text=True, timeout=120, check=False
    )
    elapsed = time.monotonic() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert result.returncode == 1, result.stderr[-2000:]  # within 1.5 GB of address space
    report = json.loads(result.stdout)
    assert report["changes"], report
    # every change proven (breaking) or undecided (the units of work ran out): none is info
    assert all(c["level"] == "breaking" for c in report["changes"]), report["summary"]
    assert all(
        UNCONFIRMED in c["details"].get("undecided_why", "") or c.get("counter_example") is not None
        for c in report["changes"]
    )
    assert peak_kb < 800_000, peak_kb
    assert elapsed < 100, elapsed  # 24 s here (10,000 findings reported)
