"""Hostile spec pairs through ``apigov diff``: each answers within seconds and bounded memory, with
exit 0/1 (a finding) or 2 (one clear line), never a traceback. Inputs are generated here."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from apigov.core._types import JSONValue

MEMORY = 1 << 30
"""Address space allowed to the diff (bytes): a runaway allocation fails instead of swapping."""
SECONDS = 8.0
"""The most one hostile diff may take on a loaded 2-core CI machine (each takes < 2 s alone)."""


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _diff(tmp_path: Path, base: JSONValue, revision: JSONValue, suffix: str = "json") -> dict[str, JSONValue]:
    """Run the diff under limits; the parsed JSON report (exit 0 or 1)."""
    paths = []
    for name, doc in (("base", base), ("revision", revision)):
        path = tmp_path / f"{name}.{suffix}"
        path.write_text(json.dumps(doc))
        paths.append(str(path))
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("APIGOV_DEBUG", None)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "apigov", "diff", *paths, "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=_limit,
    )
    elapsed = time.monotonic() - started
    assert result.returncode in (0, 1), (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    assert elapsed < SECONDS, f"took {elapsed:.1f} s"
    report = json.loads(result.stdout)
    assert isinstance(report, dict)
    return report


def _ids(report: dict[str, JSONValue]) -> set[str]:
    changes = report["changes"]
    assert isinstance(changes, list)
    return {str(c["id"]) for c in changes if isinstance(c, dict)}


def _openapi(schema: JSONValue) -> JSONValue:
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/S"}}}}
    operation = {"requestBody": {"required": True, **body}, "responses": {"200": {"description": "ok", **body}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {"/x": {"post": operation}},
        "components": {"schemas": {"S": schema}},
    }


def test_numbers_beyond_a_float_and_a_zero_step_are_undecided_not_a_crash(tmp_path: Path) -> None:
    """A 4,000-digit bound used to end in 'internal error' (exit 3), ``multipleOf: 0`` too."""
    huge = int("9" * 4000)
    base = _openapi({"type": "object", "properties": {"n": {"type": "integer"}, "m": {"type": "number"}}})
    revision = _openapi(
        {
            "type": "object",
            "properties": {"n": {"type": "integer", "minimum": huge}, "m": {"type": "number", "multipleOf": 0}},
        }
    )
    report = _diff(tmp_path, base, revision)
    assert "request-property-schema-undecided" in _ids(report)
