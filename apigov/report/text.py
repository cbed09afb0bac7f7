"""``--format text``: findings grouped by file, ``file:line:col`` first, colour only on a TTY.

A finding without a line shows its file alone (no invented ``:1:1``). Text from the spec is
passed through :func:`~apigov.report._common.printable`, so every finding stays on one line and
a hostile spec cannot send escape sequences to the terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final, TextIO

from apigov.core.findings import Finding, Level, Report
from apigov.report._common import FileGroup, by_file, counts, printable, summary_sentence
from apigov.report.base import RenderOptions

_COLORS: Final[Mapping[Level, str]] = MappingProxyType(
    {Level.ERROR: "\x1b[31m", Level.BREAKING: "\x1b[31m", Level.WARNING: "\x1b[33m", Level.INFO: "\x1b[36m"}
)
_GREEN: Final = "\x1b[32m"
_DIM: Final = "\x1b[2m"
_BOLD: Final = "\x1b[1m"
_RESET: Final = "\x1b[0m"

Paint = Callable[[str, str], str]


def _painter(color: bool) -> Paint:
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    return paint


def _header(group: FileGroup) -> str:
    header = group.file
    info = group.document
    if info is not None:
        described = " ".join(part for part in (info.title, info.version) if part)
        header += f"  ({info.kind}{': ' + described if described else ''})"
    return printable(header)


def _line(finding: Finding, paint: Paint) -> str:
    where = printable(str(finding.location))
    level = paint(f"{finding.level.value:<8}", _COLORS[finding.level])
    rule = paint(printable(finding.rule_id), _DIM)
    return f"  {where}  {level} {printable(finding.message)}  {rule}"


def _summary(report: Report, paint: Paint) -> str:
    total = counts(report)
    if total.problems == 0:
        mark = paint("✔", _GREEN)
    elif total.errors:
        mark = paint("✖", _COLORS[Level.ERROR])
    else:
        mark = paint("!", _COLORS[Level.WARNING])
    return f"{mark} {summary_sentence(report)}"


class TextFormatter:
    description = "human-readable, grouped by file (default)"

    def render(self, report: Report, out: TextIO, options: RenderOptions) -> None:
        paint = _painter(options.color)
        for group in by_file(report, include_clean=False):
            out.write(paint(_header(group), _BOLD) + "\n")
            for finding in group.findings:
                out.write(_line(finding, paint) + "\n")
            out.write("\n")
        out.write(_summary(report, paint) + "\n")
