"""The text format: colour only when asked, honest locations, one line per finding."""

from __future__ import annotations

import io
import re

import pytest

from apigov.core.findings import Finding, Level, Location, Report
from apigov.report.base import RenderOptions
from apigov.report.text import TextFormatter

from ._cases import CASES

ESC = "\x1b"


def text(report: Report, *, color: bool = False) -> str:
    out = io.StringIO()
    TextFormatter().render(report, out, RenderOptions(color=color))
    return out.getvalue()


@pytest.mark.parametrize("case", list(CASES))
def test_ansi_codes_only_with_color(case: str) -> None:
    plain, colored = text(CASES[case]), text(CASES[case], color=True)
    assert ESC not in plain
    assert ESC in colored
    assert _strip_ansi(colored) == plain


def _strip_ansi(value: str) -> str:
    return re.sub("\x1b\\[[0-9;]*m", "", value)


def test_one_line_per_finding_plus_headers_and_summary() -> None:
    report = CASES["hostile"]
    lines = text(report).splitlines()
    files = {f.location.file for f in report.findings}
    assert len(lines) == len(report.findings) + 2 * len(files) + 1


def test_location_without_line_is_the_file_alone() -> None:
    report = Report("check", (Finding("r", Level.WARNING, "m", Location("a.yaml", "/x")),))
    assert "  a.yaml  warning  m  r\n" in text(report)


def test_location_with_line_but_no_column() -> None:
    report = Report("check", (Finding("r", Level.INFO, "m", Location("a.yaml", "/x", 4)),))
    assert "  a.yaml:4  info     m  r\n" in text(report)


def test_empty_report() -> None:
    assert text(Report("check", ())) == "✔ no problems in 0 files\n"


def test_findings_of_one_file_stay_together_when_unsorted() -> None:
    findings = tuple(
        Finding("r", Level.INFO, str(n), Location(file, "", n)) for n, file in enumerate(["a", "b", "a"], 1)
    )
    headers = [
        line for line in text(Report("check", findings)).splitlines() if line and not line[0].isspace()
    ]
    assert headers[:2] == ["a", "b"]
