"""URLs that cannot be parsed are input errors (exit 2) or findings, never internal errors
(issue 13, item 6)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e._cli import apigov, assert_input_error


def test_unparsable_server_url_is_a_finding(tmp_path: Path) -> None:
    spec = tmp_path / "a.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: A, version: 1.0.0}\nservers: [{url: 'http://[x]/'}]\npaths: {}\n"
    )
    result = apigov("check", str(spec), "-f", "json", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    findings = json.loads(result.stdout)["findings"]
    bad = [f for f in findings if f["pointer"] == "/servers/0/url"]
    assert bad and "not a valid URL" in bad[0]["message"], findings


@pytest.mark.parametrize("ref", ["http://[x/y", "http://h:abc/x.yaml"])
def test_unparsable_ref_url_is_an_input_error(tmp_path: Path, ref: str) -> None:
    spec = tmp_path / "b.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: A, version: 1.0.0}\npaths:\n  /a:\n    get:\n"
        f"      responses:\n        '200': {{$ref: '{ref}'}}\n"
    )
    result = apigov("check", str(spec), cwd=tmp_path)
    assert_input_error(result, "not a valid URL")


@pytest.mark.parametrize("url", ["http://[x", "http://h:abc", "http://[x]/"])
def test_unparsable_registry_url_is_an_input_error(tmp_path: Path, url: str) -> None:
    result = apigov("registry", "list", cwd=tmp_path, env={"APIGOV_REGISTRY": url})
    assert_input_error(result, "registry URL")
