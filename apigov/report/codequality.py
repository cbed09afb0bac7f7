"""``--format codequality``: a GitLab Code Quality report (the subset of Code Climate's JSON it reads).

A JSON array with one object per finding, each with exactly the fields GitLab documents:
``description``, ``check_name`` (the rule id), ``fingerprint``, ``severity`` and
``location.path`` + ``location.lines.begin``. GitLab shows the report in a merge request's
widget and diff when a job hands it over with ``artifacts: reports: codequality:``.

- ``severity``: ``error`` and ``breaking`` findings are ``critical`` (they fail the default gate),
  ``warning`` is ``minor``, ``info`` is ``info``.
- ``fingerprint``: the same hash SARIF uses (rule id, file, JSON pointer, plus an occurrence number
  for findings that share all three), so it is unique within the report and stays the same when
  lines move or wording changes; GitLab compares fingerprints to tell new findings from fixed ones.
- ``location.path`` is relative to the repository, without a leading ``./`` (GitLab's rule);
  ``git:REV:path`` becomes ``path``. ``lines.begin`` is the finding's line, or 1 when it is
  unknown, and 1 for a diff finding in the base read from git, whose line is in a past revision:
  its description ends ``(at git:REV:path:LINE)`` instead, as in SARIF.
- In a diff report a description starts with its operation (``GET /pets: ...``). Findings an
  ignore file matched are left out: GitLab has no way to show a finding as accepted.

Descriptions are spec text: control characters, bidi overrides and line separators are shown as
escapes, so the widget shows one line that cannot pretend to be something else.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, TextIO

from apigov.core._types import JSONObject, JSONValue
from apigov.core.findings import Finding, Level, Report
from apigov.documents.sources import repository_path
from apigov.report import _diff
from apigov.report._common import dump_json, printable
from apigov.report.base import RenderOptions
from apigov.report.sarif import fingerprints, humanise

#: GitLab's severities, lowest first: info, minor, major, critical, blocker.
SEVERITIES: Final[Mapping[Level, str]] = MappingProxyType(
    {Level.ERROR: "critical", Level.BREAKING: "critical", Level.WARNING: "minor", Level.INFO: "info"}
)


def report_path(file: str) -> str:
    """The repository-relative path GitLab expects: ``git:REV:path`` as ``path``, no ``./``."""
    path = repository_path(file)
    if "://" in path or posixpath.isabs(path):
        return path
    normal = posixpath.normpath(path.replace("\\", "/"))
    return normal if normal != "." else path


def _description(finding: Finding, report: Report, past: str | None) -> str:
    message = finding.message if finding.message.strip() else humanise(finding.rule_id)
    if _diff.is_diff(report):
        message = f"{finding.operation}: {message}" if finding.operation else message
    if past is not None:
        message += f" (at {past})"
    return printable(message)


def _issue(finding: Finding, report: Report, fingerprint: str) -> JSONObject:
    past = _diff.past_location(finding, report)
    line = finding.location.line
    begin = 1 if past is not None or line is None or line < 1 else line
    return {
        "description": _description(finding, report, past),
        "check_name": finding.rule_id,
        "fingerprint": fingerprint,
        "severity": SEVERITIES[finding.level],
        "location": {"path": report_path(finding.location.file), "lines": {"begin": begin}},
    }


def report_to_codequality(report: Report) -> list[JSONValue]:
    """One Code Quality issue per finding (not per suppressed one), in report order."""
    return [
        _issue(finding, report, fingerprint)
        for finding, fingerprint in zip(report.findings, fingerprints(report.findings), strict=True)
    ]


class CodeQualityFormatter:
    description = "GitLab Code Quality report (Code Climate JSON) for artifacts:reports:codequality"

    def render(self, report: Report, out: TextIO, options: RenderOptions) -> None:
        dump_json(report_to_codequality(report), out)
