"""Hostile specs: no file is read outside the spec's directory, no network, no runaway CPU."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e._cli import apigov, assert_input_error

SECRET = "TOP-SECRET-VALUE-42"


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "secret" / "s.json"
    secret.parent.mkdir()
    secret.write_text(json.dumps({"type": "string", "enum": [SECRET]}))
    return secret


def test_dynamic_ref_to_a_file_is_not_read_by_the_validator(tmp_path: Path) -> None:
    secret = _secret(tmp_path)
    api = tmp_path / "api"
    api.mkdir()
    (api / "a.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    S:\n"
        f"      type: object\n      properties:\n        p:\n          $dynamicRef: 'file://{secret}'\n"
        "          default: guess\n"
    )
    result = apigov("check", "a.yaml", "-f", "json", cwd=api)
    assert SECRET not in result.stdout + result.stderr
    assert result.returncode in (1, 2), result.stderr


def test_ref_target_inside_an_extension_is_checked_too(tmp_path: Path) -> None:
    secret = _secret(tmp_path)
    api = tmp_path / "api"
    api.mkdir()
    (api / "a.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\nx-defs:\n"
        f"  Foo: {{$ref: 'file://{secret}'}}\ncomponents:\n  schemas:\n    S: {{$ref: '#/x-defs/Foo'}}\n"
    )
    result = apigov("check", "a.yaml", cwd=api)
    assert_input_error(result, "reaches outside")
    assert SECRET not in result.stdout + result.stderr


def test_catastrophic_backtracking_patterns_run_in_linear_time(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    S:\n"
        "      type: string\n      pattern: '^(a+)+$'\n"
        f"      default: '{'a' * 40}!'\n      example: '{'a' * 40}!'\n"
    )
    result = apigov("check", "a.yaml", "-f", "json", cwd=tmp_path, timeout=30)  # backtracking: hours
    assert result.returncode == 1, result.stderr
    ids = {f["id"] for f in json.loads(result.stdout)["findings"]}
    assert "openapi-structure-invalid" in ids  # the default does not match its pattern


def test_long_ref_chains_are_refused(tmp_path: Path) -> None:
    schemas = {f"S{i}": {"$ref": f"#/components/schemas/S{i + 1}"} for i in range(100)}
    schemas["S100"] = {"type": "string"}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }
    (tmp_path / "a.json").write_text(json.dumps(spec))
    assert_input_error(apigov("check", "a.json", cwd=tmp_path, timeout=30), "chain of more than 64 $ref")


def test_moderate_alias_expansion_is_refused_fast(tmp_path: Path) -> None:
    lines = [
        "openapi: 3.0.3",
        "info: {title: T, version: '1'}",
        "paths: {}",
        'x0: &x0 ["a","a","a","a","a","a"]',
    ]
    lines += [f"x{i}: &x{i} [" + ",".join([f"*x{i - 1}"] * 6) + "]" for i in range(1, 8)]
    (tmp_path / "a.yaml").write_text("\n".join(lines) + "\n")
    assert_input_error(apigov("check", "a.yaml", cwd=tmp_path, timeout=30), "aliases expand to more than")


def test_diff_refuses_a_document_whose_operations_are_misshapen(tmp_path: Path) -> None:
    good = "swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\n"
    bad = good.replace("      responses: {'200': {description: ok}}", "      responses: [{description: ok}]")
    (tmp_path / "a.yaml").write_text(good)
    (tmp_path / "b.yaml").write_text(bad)
    result = apigov("diff", "a.yaml", "b.yaml", cwd=tmp_path)
    assert_input_error(result, "b.yaml:6", "paths./a.get.responses must be an object")
