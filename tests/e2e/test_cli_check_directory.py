"""`apigov check DIR` reports every file: the unparsable ones as input errors in the report,
then exits 2 (issue 13, item 10)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e._cli import apigov

GOOD = "openapi: 3.0.3\ninfo: {title: A, version: 1.0.0}\npaths: {}\n"


def test_every_file_is_reported_and_unparsable_ones_exit_2(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "a-good.yaml").write_text(GOOD)
    (specs / "b-broken.yaml").write_text("openapi: 3.0.3\ninfo: {title: [\n")
    (specs / "c-good.yaml").write_text(GOOD.replace("title: A", "title: C"))
    (specs / "d-dup.json").write_text('{"openapi": "3.0.3", "openapi": "3.0.3"}')
    result = apigov("check", "specs", "-f", "json", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    report = json.loads(result.stdout)
    sources = {d["source"] for d in report["documents"]}
    assert {"specs/a-good.yaml", "specs/c-good.yaml"} <= sources
    unreadable = [f for f in report["findings"] if f["id"] == "document-unreadable"]
    assert sorted(f["file"] for f in unreadable) == ["specs/b-broken.yaml", "specs/d-dup.json"]
    assert all(f["level"] == "error" for f in unreadable)
    assert any("duplicate key" in f["message"] for f in unreadable)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "2 files could not be read" in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_a_single_unparsable_file_is_still_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("openapi: 3.0.3\ninfo: {title: [\n")
    result = apigov("check", "bad.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert result.stdout == ""


def test_a_contract_in_a_version_apigov_does_not_read_is_reported_not_skipped(tmp_path: Path) -> None:
    # a file that declares a contract kind is a contract: an unsupported version is an error in
    # the report, where a YAML file that declares nothing (a CI config, say) is skipped
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "a-good.yaml").write_text(GOOD)
    (specs / "b-future.yaml").write_text("asyncapi: 9.9.9\ninfo: {title: B, version: 1.0.0}\n")
    (specs / "c-old.yaml").write_text("openapi: 2.5.0\ninfo: {title: C, version: 1.0.0}\npaths: {}\n")
    (specs / "d-dialect.json").write_text('{"$schema": "https://example.com/my-dialect", "type": "object"}')
    (specs / "e-other.yaml").write_text("steps: [build, test]\n")
    result = apigov("check", "specs", "-f", "json", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    report = json.loads(result.stdout)
    unreadable = {f["file"]: f["message"] for f in report["findings"] if f["id"] == "document-unreadable"}
    assert sorted(unreadable) == ["specs/b-future.yaml", "specs/c-old.yaml", "specs/d-dialect.json"]
    assert "unsupported AsyncAPI version '9.9.9'" in unreadable["specs/b-future.yaml"]
    assert "unsupported OpenAPI version '2.5.0'" in unreadable["specs/c-old.yaml"]
    assert "unknown JSON Schema dialect" in unreadable["specs/d-dialect.json"]
    assert "3 files could not be read" in result.stderr
