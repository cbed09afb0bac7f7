"""Markdown for pull-request comments: spec text cannot break a table or inject markup."""

from __future__ import annotations

import io
import re

import pytest

from apigov.core.findings import Finding, Level, Location, Report
from apigov.report.base import RenderOptions
from apigov.report.markdown import MarkdownFormatter, code_span, escape_cell

from ._cases import CASES


def markdown(report: Report) -> str:
    out = io.StringIO()
    MarkdownFormatter().render(report, out, RenderOptions())
    return out.getvalue()


def cells(row: str) -> list[str]:
    """Split a table row as GFM does: at every ``|`` that a backslash does not escape."""
    parts, current, chars = [], "", iter(row.strip())
    for char in chars:
        if char == "\\":
            current += char + next(chars, "")
        elif char == "|":
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [part.strip() for part in parts[1:-1]]


def rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("|")]


@pytest.mark.parametrize("case", list(CASES))
def test_every_table_row_has_four_cells(case: str) -> None:
    report = CASES[case]
    text = markdown(report)
    files = {f.location.file for f in report.findings}
    assert len(rows(text)) == 2 * len(files) + len(report.findings)  # head and rule, then one per finding
    for row in rows(text):
        assert len(cells(row)) == 4, row


def test_hostile_text_stays_text() -> None:
    text = markdown(CASES["hostile"])
    assert "<script" not in text
    assert re.sub("<br>", "", text).count("<") == 0
    assert not re.search(r"(?<!\\)\[", text), "an unescaped [ could start a link or image"
    assert not re.search(r"@\w", text), "a mention would ping someone"
    assert "\n::" not in text


def test_heading_has_status_and_counts() -> None:
    assert markdown(CASES["mixed"]).startswith(
        "## ❌ apigov check: 6 problems (2 errors, 2 warnings, 2 info) in 4 files\n"
    )
    warning_only = Report("check", (Finding("r", Level.WARNING, "m", Location("a.yaml")),))
    assert markdown(warning_only).startswith("## ⚠️ apigov check: 1 problem (0 errors, 1 warning, 0 info)")


@pytest.mark.parametrize("case", ["empty", "clean"])
def test_clean_report_says_no_problems_found(case: str) -> None:
    text = markdown(CASES[case])
    assert "No problems found" in text
    assert rows(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a|b", "a\\|b"),
        ("`x`", "\\`x\\`"),
        ("<b>&", "&lt;b&gt;&amp;"),
        ("one\ntwo", "one<br>two"),
        ("[x](y)", "\\[x\\](y)"),
        ("@team", "@&#8203;team"),
        ("bell\x07", "bell\\\\x07"),
    ],
)
def test_escape_cell(text: str, expected: str) -> None:
    assert escape_cell(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a.yaml", "`a.yaml`"), ("a`b", "``a`b``"), ("`a``", "``` `a`` ```"), ("a\nb", "`a\\nb`")],
)
def test_code_span(text: str, expected: str) -> None:
    assert code_span(text) == expected
