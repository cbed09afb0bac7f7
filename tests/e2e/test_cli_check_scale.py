"""`apigov check` at scale (issue 13, item 18): the structural check records the schema objects
it has checked in a set (openapi-spec-validator's own list made a ``oneOf`` of 15,000 branches
quadratic), and `--max-seconds` stops a check that runs over its budget with an input error."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e._cli import apigov, assert_input_error


def big_one_of(path: Path, branches: int) -> Path:
    schemas = [
        {
            "type": "object",
            "required": [f"k{i}"],
            "properties": {f"k{i}": {"type": "string"}, "n": {"default": i}},
        }
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


def test_a_large_one_of_is_checked_within_a_generous_budget(tmp_path: Path) -> None:
    # the structural walk visits each schema object once: 4,000 branches is seconds, not minutes
    # (a hang guard with a generous limit; the speed itself is benchmarks/check.py's)
    spec = big_one_of(tmp_path / "big.json", 4000)
    result = apigov("check", str(spec), "--max-seconds", "120", "--fail-on", "none", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_max_seconds_stops_the_check_with_an_input_error(tmp_path: Path) -> None:
    # 40,000 branches: reading alone takes longer than the budget, however fast the walk gets
    spec = big_one_of(tmp_path / "big.json", 40_000)
    result = apigov("check", str(spec), "--max-seconds", "0.05", cwd=tmp_path)
    assert_input_error(result, "budget", "--max-seconds 0.05")
    assert result.stdout == ""


def test_max_seconds_must_be_positive(tmp_path: Path) -> None:
    spec = big_one_of(tmp_path / "small.json", 2)
    assert_input_error(apigov("check", str(spec), "--max-seconds", "0", cwd=tmp_path), "--max-seconds")
    result = apigov("check", str(spec), "--max-seconds", "60", "--fail-on", "none", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
