"""SARIF output meets what GitHub code scanning documents for uploads.

The official SARIF 2.1.0 schema cannot be vendored here, so these tests check, on real output,
the requirements GitHub's "SARIF support for code scanning" and "SARIF results exceed limits"
pages state:

1. ``version`` is ``"2.1.0"`` and ``$schema`` names the 2.1.0 schema.
2. ``runs`` is a non-empty array (at most 20 runs per file).
3. Every run has ``tool.driver.name`` and a ``results`` array (at most 25,000 results).
4. ``tool.driver.rules`` has unique ``id`` values (at most 25,000 rules); ``shortDescription.text``
   is what GitHub shows at the top of an alert, so it is non-empty; ``defaultConfiguration.level``
   is one of ``none``/``note``/``warning``/``error``.
5. Every result has a ``ruleId`` that is in ``tool.driver.rules``; ``ruleIndex``, when present,
   points at that same rule.
6. Every result has a non-empty ``message.text`` and a ``level`` of ``none``/``note``/``warning``/``error``.
7. Every result has at least one location (at most 1,000) with a ``physicalLocation`` whose
   ``artifactLocation.uri`` is set and whose ``region.startLine`` is an integer >= 1; a
   ``startColumn``, when present, is >= 1.
8. File paths are consistent, relative URIs (so fingerprints stay stable across runs): no
   backslashes, no spaces or other characters that need percent-encoding left raw.
9. ``partialFingerprints`` values are strings and are unique within a run, so two results are
   never merged into one alert.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from apigov.config.project import Config
from apigov.core.findings import Finding, Level, Location, Report
from apigov.lint.check import check_paths
from apigov.report.base import RenderOptions
from apigov.report.sarif import FINGERPRINT_KEY, SarifFormatter, artifact_location, fingerprints

from ._cases import CASES, INVALID_SPEC

LEVELS = {"none", "note", "warning", "error"}
URI_UNSAFE = re.compile(r"[\s\\<>\"{}|^`]")


def sarif(report: Report) -> Any:
    out = io.StringIO()
    SarifFormatter().render(report, out, RenderOptions())
    return json.loads(out.getvalue())


def _results(case: str) -> list[Any]:
    results: list[Any] = sarif(CASES[case])["runs"][0]["results"]
    return results


def _first_text(report: Report) -> str:
    text: str = sarif(report)["runs"][0]["results"][0]["message"]["text"]
    return text


def assert_github_accepts(log: Any) -> None:
    assert log["version"] == "2.1.0"
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert 1 <= len(log["runs"]) <= 20
    for run in log["runs"]:
        _check_run(run)


def _check_run(run: Any) -> None:
    driver = run["tool"]["driver"]
    assert driver["name"]
    rules = driver.get("rules", [])
    ids = [rule["id"] for rule in rules]
    assert len(ids) == len(set(ids)) and len(ids) <= 25_000
    for rule in rules:
        assert rule["shortDescription"]["text"].strip()
        assert rule["defaultConfiguration"]["level"] in LEVELS
    results = run["results"]
    assert len(results) <= 25_000
    for result in results:
        _check_result(result, ids)
    prints = [value for result in results for value in result["partialFingerprints"].values()]
    assert all(isinstance(value, str) for value in prints)
    assert len(prints) == len(set(prints)), "two results share a fingerprint"


def _check_result(result: Any, rule_ids: list[str]) -> None:
    assert result["ruleId"] in rule_ids
    if "ruleIndex" in result:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
    assert result["message"]["text"].strip()
    assert result["level"] in LEVELS
    assert 1 <= len(result["locations"]) <= 1000
    for location in result["locations"]:
        physical = location["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        assert uri and not URI_UNSAFE.search(uri), uri
        region = physical["region"]
        assert isinstance(region["startLine"], int) and region["startLine"] >= 1
        assert region.get("startColumn", 1) >= 1


@pytest.mark.parametrize("case", list(CASES))
def test_every_case_meets_github_requirements(case: str) -> None:
    assert_github_accepts(sarif(CASES[case]))


def test_real_check_output_meets_github_requirements(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "x.yaml").write_text(INVALID_SPEC, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    log = sarif(check_paths([Path("x.yaml")], Config(root=tmp_path), version="0.1.0"))
    assert_github_accepts(log)
    [result] = log["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "x.yaml",
        "uriBaseId": "%SRCROOT%",
    }


def test_levels_map_to_sarif_levels() -> None:
    levels = {f.level: r["level"] for f, r in zip(CASES["mixed"].findings, _results("mixed"), strict=True)}
    assert levels == {
        Level.ERROR: "error",
        Level.BREAKING: "error",
        Level.WARNING: "warning",
        Level.INFO: "note",
    }


def test_unknown_line_becomes_line_one_without_column() -> None:
    report = Report("check", (Finding("r", Level.ERROR, "m", Location("a.yaml", "/x")),))
    [result] = sarif(report)["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}


def test_operation_becomes_a_logical_location() -> None:
    [with_operation] = [r for r in _results("mixed") if r["ruleId"] == "request-parameter-became-required"]
    assert with_operation["locations"][0]["logicalLocations"] == [
        {"name": "POST /payments", "fullyQualifiedName": "POST /payments"}
    ]
    assert with_operation["properties"]["pointer"] == "/paths/~1payments/post/parameters/0"


def test_empty_message_falls_back_to_the_rule() -> None:
    report = Report("check", (Finding("path-trailing-slash", Level.INFO, "  ", Location("a.yaml")),))
    assert _first_text(report) == "Path trailing slash"


@pytest.mark.parametrize(
    ("file", "expected"),
    [
        ("api/orders.yaml", {"uri": "api/orders.yaml", "uriBaseId": "%SRCROOT%"}),
        ("./api/my orders.yaml", {"uri": "api/my%20orders.yaml", "uriBaseId": "%SRCROOT%"}),
        ("/tmp/x.yaml", {"uri": "file:///tmp/x.yaml"}),
        ("https://example.com/a.yaml", {"uri": "https://example.com/a.yaml"}),
    ],
)
def test_artifact_locations(file: str, expected: dict[str, str]) -> None:
    assert artifact_location(file) == expected


def test_fingerprints_ignore_line_and_message_but_not_pointer() -> None:
    base = Finding("r", Level.ERROR, "one", Location("a.yaml", "/x", 3))
    moved = Finding("r", Level.ERROR, "reworded", Location("a.yaml", "/x", 30))
    other = Finding("r", Level.ERROR, "one", Location("a.yaml", "/y", 3))
    [first], [second], [third] = (list(fingerprints([f])) for f in (base, moved, other))
    assert first == second != third
    assert re.fullmatch(r"[0-9a-f]{64}:1", first)


def test_repeated_findings_get_distinct_fingerprints() -> None:
    finding = Finding("r", Level.ERROR, "m", Location("a.yaml", ""))
    assert [p.rsplit(":", 1)[1] for p in fingerprints([finding, finding, finding])] == ["1", "2", "3"]
    assert FINGERPRINT_KEY == "apigovFindingHash/v1"
