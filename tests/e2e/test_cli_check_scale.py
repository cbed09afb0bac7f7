"""`apigov check` at scale (issue 13, item 18): the structural check records the schema objects
it has checked in a set (openapi-spec-validator's own list made a ``oneOf`` of 15,000 branches
quadratic), and `--max-seconds` stops a check that runs over its budget with an input error."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e._cli import apigov, assert_input_error


def big_one_of(path: Path, branches: int) -> Path:
    schemas = [
        {"type": "object", "required": [f"k{i}"], "properties": {f"k{i}": {"type": "string"}, "n": {"default": i}}}
        for i in range(branches)
    ]
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Big", "version": "1.0.0"},
        "paths": {},
        "components": {"schemas": {"Big": {"oneOf": schemas}}},
    }
    path.write_text(json.dumps(spec))
    return path


def test_schema_objects_are_recorded_in_a_set() -> None:
    from apigov.documents.kinds import Kind
    from apigov.lint.structure.openapi import _validator_class

    spec = {"openapi": "3.0.3", "info": {"title": "A", "version": "1"}, "paths": {}}
    validator = _validator_class(Kind.OPENAPI_30)(spec)
    list(validator.iter_errors())
    seen = validator.keyword_validators_registry["schema"].schema_ids_registry
    assert isinstance(getattr(seen, "_seen", None), set)


def test_max_seconds_stops_the_check_with_an_input_error(tmp_path: Path) -> None:
    spec = big_one_of(tmp_path / "big.json", 4000)
    result = apigov("check", str(spec), "--max-seconds", "0.2", cwd=tmp_path)
    assert_input_error(result, "budget", "--max-seconds 0.2")
    assert result.stdout == ""


def test_max_seconds_must_be_positive(tmp_path: Path) -> None:
    spec = big_one_of(tmp_path / "small.json", 2)
    assert_input_error(apigov("check", str(spec), "--max-seconds", "0", cwd=tmp_path), "--max-seconds")
    result = apigov("check", str(spec), "--max-seconds", "60", "--fail-on", "none", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
