"""``--format text``: findings grouped by file, ``file:line:col`` first, colour only on a TTY.

A finding without a line shows its file alone (no invented ``:1:1``). Text from the spec is
passed through :func:`~apigov.report._common.printable`, so every finding stays on one line and
a hostile spec cannot send escape sequences to the terminal.

A diff report reads differently: a ``base → revision`` header, then changes grouped by
operation (document-level changes under ``Document``; a change reported for several operations
once, under ``Shared changes``, with the operations it reaches), each as level, message, rule
id and ``file:line``, with the counter-example (``e.g. ...``, cut around the value that breaks:
:mod:`apigov.report._example`) and the shared component it came through (``via ...``) on
indented lines below; then the ignored count and a verdict, which
says why the ``--fail-on`` gate failed when no change is breaking.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final, TextIO

from apigov.core.findings import DocumentInfo, Finding, Level, Report
from apigov.report import _diff
from apigov.report._common import FileGroup, by_file, counts, ignored_sentence, printable, summary_sentence
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


def _side(document: DocumentInfo) -> str:
    """``orders-api@latest (= orders-api@1.4.0; openapi-3.0: Orders 1.4.0)``."""
    described = " ".join(part for part in (document.title, document.version) if part)
    exact = _diff.resolved(document)
    about = (f"= {exact}; " if exact else "") + document.kind + (f": {described}" if described else "")
    return f"{document.source} ({about})"


def _diff_header(report: Report) -> str:
    base, revision = _diff.sides(report)
    mode = f"  (mode {report.mode})" if report.mode is not None else ""
    mode += f"  (tier {report.tier})" if report.tier is not None else ""
    return printable(f"{_side(base)} → {_side(revision)}{mode}")


def _where(finding: Finding) -> str:
    location = finding.location
    return location.file if location.line is None else f"{location.file}:{location.line}"


def _change(finding: Finding, paint: Paint, operations: tuple[str, ...] = ()) -> list[str]:
    level = paint(f"{finding.level.value:<8}", _COLORS[finding.level])
    rule = paint(printable(finding.rule_id), _DIM)
    lines = [f"  {level}  {printable(finding.message)}  {rule}  {printable(_where(finding))}"]
    indent = " " * 12
    example = _diff.example_excerpt(finding)
    if example is not None:
        lines.append(f"{indent}e.g. {printable(example)}")
    chain = finding.details.text(_diff.REF_CHAIN)
    if chain:
        lines.append(paint(f"{indent}via {printable(chain)}", _DIM))
    if _diff.is_undecided(finding):
        lines.append(
            paint(f"{indent}not decided: reported as {_diff.undecided_as(finding)}, check it by hand", _DIM)
        )
    if operations:
        lines.append(f"{indent}in {printable(_diff.operations_text(operations))}")
    return lines


def _diff_summary(report: Report, paint: Paint, fail_on: str | None) -> str:
    total = _diff.diff_counts(report)
    gate = _diff.gate_sentence(report, fail_on)
    if total.breaking or gate is not None:
        mark = paint("✖", _COLORS[Level.BREAKING])
    elif total.warning:
        mark = paint("!", _COLORS[Level.WARNING])
    else:
        mark = paint("✔", _GREEN)
    return f"{mark} {_diff.diff_sentence(report)}" + (f"; {gate}" if gate else "")


def render_diff(report: Report, out: TextIO, paint: Paint, fail_on: str | None = None) -> None:
    out.write(paint(_diff_header(report), _BOLD) + "\n\n")
    groups = _diff.change_groups(report.findings)
    shared = [group for group in groups if group.shared]
    if shared:
        out.write(paint(_diff.SHARED_HEADING, _BOLD) + "\n")
        for change in sorted(shared, key=lambda g: -g.first.level.rank):
            out.write("".join(line + "\n" for line in _change(change.first, paint, change.operations)))
        out.write("\n")
    single = [finding for group in groups if not group.shared for finding in group.findings]
    for group in _diff.by_operation(single):
        out.write(paint(printable(group.heading), _BOLD) + "\n")
        for finding in group.findings:
            out.write("".join(line + "\n" for line in _change(finding, paint)))
        out.write("\n")
    if report.suppressed:
        out.write(ignored_sentence(len(report.suppressed)) + "\n")
    out.write(_diff_summary(report, paint, fail_on) + "\n")


class TextFormatter:
    description = "human-readable, grouped by file (default)"

    def render(self, report: Report, out: TextIO, options: RenderOptions) -> None:
        paint = _painter(options.color)
        if _diff.is_diff(report):
            render_diff(report, out, paint, options.fail_on)
            return
        for group in by_file(report, include_clean=False):
            out.write(paint(_header(group), _BOLD) + "\n")
            for finding in group.findings:
                out.write(_line(finding, paint) + "\n")
            out.write("\n")
        if report.suppressed:
            out.write(ignored_sentence(len(report.suppressed)) + "\n")
        out.write(_summary(report, paint) + "\n")
