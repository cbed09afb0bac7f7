"""``--format codequality``: GitLab's Code Quality report, checked against GitLab's documented fields.

GitLab documents the report as a JSON array of objects, each with ``description``,
``check_name``, ``fingerprint``, ``severity`` (``info``, ``minor``, ``major``, ``critical`` or
``blocker``) and ``location.path`` (a repository-relative path without ``./``) plus
``location.lines.begin`` (or ``location.positions.begin.line``). The schema below says exactly
that, written here from the documentation, and every report case must pass it.
(Goldens of every case are in test_formatters.py and test_diff_formats.py.)
"""

from __future__ import annotations

import io
import json
from dataclasses import replace
from typing import Any, Final

import pytest
from jsonschema import Draft202012Validator

from apigov.core.findings import DocumentInfo, Level, Location, Report
from apigov.report.base import RenderOptions
from apigov.report.codequality import report_path
from apigov.report.formatters import FORMATTERS

from ._cases import CASES, finding
from ._diff_cases import DIFF_CASES

_LINE: Final = {"type": "integer", "minimum": 1}
GITLAB_CODE_QUALITY: Final[dict[str, Any]] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "GitLab Code Quality report (the documented required fields)",
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path"],
                "properties": {
                    "path": {"type": "string", "minLength": 1, "not": {"pattern": "^\\./"}},
                    "lines": {"type": "object", "required": ["begin"], "properties": {"begin": _LINE}},
                    "positions": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {
                            "begin": {"type": "object", "required": ["line"], "properties": {"line": _LINE}}
                        },
                    },
                },
                "oneOf": [{"required": ["lines"]}, {"required": ["positions"]}],
            },
        },
    },
}
ALL_CASES: Final = {
    **{f"check-{k}": v for k, v in CASES.items()},
    **{f"diff-{k}": v for k, v in DIFF_CASES.items()},
}


def render(report: Report) -> Any:
    out = io.StringIO()
    FORMATTERS["codequality"].render(report, out, RenderOptions())
    return json.loads(out.getvalue())


def gitlab_errors(instance: Any) -> list[str]:
    validator = Draft202012Validator(GITLAB_CODE_QUALITY)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]


def test_the_schema_is_valid_and_refuses_what_gitlab_refuses() -> None:
    Draft202012Validator.check_schema(GITLAB_CODE_QUALITY)
    good = {
        "description": "d",
        "check_name": "c",
        "fingerprint": "f",
        "severity": "minor",
        "location": {"path": "a.yaml", "lines": {"begin": 1}},
    }
    assert gitlab_errors([good]) == []
    for broken in (
        {**good, "severity": "error"},
        {**good, "location": {"path": "./a.yaml", "lines": {"begin": 1}}},
        {**good, "location": {"path": "a.yaml", "lines": {"begin": 0}}},
        {**good, "location": {"path": "a.yaml"}},
        {k: v for k, v in good.items() if k != "fingerprint"},
    ):
        assert gitlab_errors([broken]), broken


@pytest.mark.parametrize("case", list(ALL_CASES))
def test_every_case_has_gitlabs_fields(case: str) -> None:
    issues = render(ALL_CASES[case])
    assert gitlab_errors(issues) == []
    assert len(issues) == len(ALL_CASES[case].findings)
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert len(fingerprints) == len(set(fingerprints)), "two issues share a fingerprint"


def test_severities_follow_levels() -> None:
    issues = render(CASES["mixed"])
    by_rule = {issue["check_name"]: issue["severity"] for issue in issues}
    assert by_rule["openapi-structure-invalid"] == "critical"
    assert by_rule["request-parameter-became-required"] == "critical"
    assert by_rule["component-unused"] == "minor"
    assert by_rule["info-contact-missing"] == "info"


def test_lines_and_unknown_lines() -> None:
    issues = {issue["check_name"]: issue for issue in render(CASES["mixed"])}
    assert issues["request-parameter-became-required"]["location"] == {
        "path": "api/payments.yaml",
        "lines": {"begin": 22},
    }
    assert issues["component-unused"]["location"]["lines"] == {"begin": 1}  # no line known


def test_fingerprints_survive_moved_lines_and_new_wording() -> None:
    report = CASES["mixed"]
    moved = replace(
        report,
        findings=tuple(
            replace(
                f,
                message=f.message + " (reworded)",
                location=replace(f.location, line=(f.location.line or 0) + 40),
            )
            for f in report.findings
        ),
    )
    assert [i["fingerprint"] for i in render(report)] == [i["fingerprint"] for i in render(moved)]


def test_two_findings_alike_get_two_fingerprints() -> None:
    same = finding("component-unused", Level.WARNING, "x", Location("a.yaml", "/components/schemas/A", 3))
    issues = render(Report("check", (same, same)))
    assert issues[0]["fingerprint"] != issues[1]["fingerprint"]


def test_paths_are_repository_relative() -> None:
    assert report_path("./api/a.yaml") == "api/a.yaml"
    assert report_path("git:HEAD~1:api/./a.yaml") == "api/a.yaml"
    assert report_path("api\\a.yaml") == "api/a.yaml"
    assert report_path("/abs/a.yaml") == "/abs/a.yaml"


def test_diff_issue_in_the_git_base_points_at_line_one_and_says_where() -> None:
    issues = render(DIFF_CASES["mixed"])
    [server] = [i for i in issues if i["check_name"] == "api-server-removed"]
    assert server["location"] == {"path": "api/petstore.yaml", "lines": {"begin": 1}}
    assert server["description"].endswith("(at git:HEAD~1:api/petstore.yaml:8:5)")


def test_diff_descriptions_start_with_the_operation_and_ignored_changes_are_left_out() -> None:
    report = DIFF_CASES["mixed"]
    assert report.suppressed
    issues = render(report)
    assert len(issues) == len(report.findings)
    with_operation = [f for f in report.findings if f.operation]
    assert with_operation
    descriptions = {i["description"] for i in issues}
    for f in with_operation:
        assert any(d.startswith(f"{f.operation}: ") for d in descriptions)


def test_hostile_text_stays_one_line() -> None:
    for issue in render(CASES["hostile"]):
        assert "\n" not in issue["description"] and "\x1b" not in issue["description"]
        assert "\u202e" not in issue["description"]


def test_an_empty_report_is_an_empty_array() -> None:
    assert render(Report("check", (), (DocumentInfo("a.yaml", "openapi-3.0"),))) == []
