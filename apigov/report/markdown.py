"""``--format markdown``: a pull-request comment (GitHub-flavoured Markdown).

A heading with a status emoji and the counts, then one table per file with findings (level,
line, rule id, message), or "No problems found". Spec text is untrusted: in table cells ``|``,
backticks, ``\\``, emphasis and link brackets are backslash-escaped, ``<``, ``>`` and ``&``
become entities (no HTML gets through), ``@`` is followed by a zero-width space (no one is
pinged), newlines become ``<br>`` and other control characters are shown as escapes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, TextIO

from apigov.core.findings import Finding, Level, Report
from apigov.report._common import FileGroup, by_file, counts, plural, printable, summary_sentence, worst_level
from apigov.report.base import RenderOptions

_EMOJI: Final[Mapping[Level, str]] = MappingProxyType(
    {Level.ERROR: "❌", Level.BREAKING: "❌", Level.WARNING: "⚠️", Level.INFO: "ℹ️"}
)
_CLEAN: Final = "✅"
_ESCAPES: Final = str.maketrans(
    {
        **{char: "\\" + char for char in "\\`*_[]|~"},
        "<": "&lt;",
        ">": "&gt;",
        "&": "&amp;",
        "@": "@&#8203;",
    }
)
_TABLE_HEAD: Final = "| Level | Line | Rule | Message |\n| --- | --- | --- | --- |\n"


def escape_cell(text: str) -> str:
    """Untrusted text made safe (and one line) for a table cell."""
    return printable(text, keep="\n").translate(_ESCAPES).replace("\n", "<br>")


def code_span(text: str) -> str:
    """``text`` as inline code, with a fence longer than any run of backticks inside it."""
    text = printable(text)
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _line(finding: Finding) -> str:
    location = finding.location
    if location.line is None:
        return "–"
    return f"{location.line}" if location.column is None else f"{location.line}:{location.column}"


def _row(finding: Finding) -> str:
    level = f"{_EMOJI[finding.level]} {finding.level.value}"
    rule = code_span(finding.rule_id).replace("|", "\\|")
    return f"| {level} | {_line(finding)} | {rule} | {escape_cell(finding.message)} |\n"


def _table(group: FileGroup) -> str:
    rows = "".join(_row(finding) for finding in group.findings)
    return f"### {code_span(group.file)}\n\n{_TABLE_HEAD}{rows}"


def _heading(report: Report) -> str:
    level = worst_level(report)
    title = f"apigov {report.command}"
    if level is None:
        return f"## {_CLEAN} {title}: No problems found in {plural(counts(report).files, 'file')}\n"
    return f"## {_EMOJI[level]} {title}: {summary_sentence(report)}\n"


class MarkdownFormatter:
    description = "Markdown for a pull-request comment: status heading and one table per file"

    def render(self, report: Report, out: TextIO, options: RenderOptions) -> None:
        out.write(_heading(report))
        for group in by_file(report, include_clean=False):
            out.write("\n" + _table(group))
