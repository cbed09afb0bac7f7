"""``--format markdown``: a pull-request comment (GitHub-flavoured Markdown).

A heading with a status emoji and the counts, then one table per file with findings (level,
line, rule id, message), or "No problems found". Spec text is untrusted: in table cells ``|``,
backticks, ``\\``, emphasis and link brackets are backslash-escaped, ``<``, ``>`` and ``&``
become entities (no HTML gets through), ``@`` is followed by a zero-width space (no one is
pinged), newlines become ``<br>`` and other control characters are shown as escapes.

A diff report gets a verdict heading (🔴 breaking / 🟢 compatible; 🔴 "compatible, gate failed"
and a line saying why when ``--fail-on`` fails on changes that break nothing), the base and revision, a
table of counts, then the breaking changes and the warnings as tables whose rows are grouped by
operation (message, counter-example and shared component in the change cell, rule id and
location in code), and the info changes folded in a ``<details>`` block. GitHub refuses a comment
over 65,536 characters: rows that would not fit are left out, least serious first, and a last line
says how many (``apigov diff -f text`` lists them all).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, TextIO

from apigov.core.findings import DocumentInfo, Finding, Level, Report
from apigov.report import _diff
from apigov.report._common import (
    FileGroup,
    by_file,
    counts,
    ignored_sentence,
    plural,
    printable,
    summary_sentence,
    worst_level,
)
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


def cell_code(text: str) -> str:
    """``text`` as inline code inside a table cell (``|`` escaped, as GFM tables need even in code)."""
    return code_span(text).replace("|", "\\|")


#: What would start a block (heading, list, quote, thematic break) at the start of a line.
_BLOCK_START: Final = re.compile(r"^(\s*)([#+\-=>]|\d+(?=[.)]))")


def escape_text(text: str) -> str:
    """Untrusted text made safe for running text (a paragraph or list item) on one line.

    :func:`escape_cell`, plus a backslash before whatever would start a block at its start
    (``# heading``, ``- item``, ``1. item``), where a table cell would not need one.
    """
    escaped = escape_cell(text.strip())
    match = _BLOCK_START.match(escaped)
    if match is None:
        return escaped
    if match[2].isdigit():  # escape the "." or ")" of an ordered-list marker
        end = match.end()
        return escaped[:end] + "\\" + escaped[end:]
    return escaped[: match.start(2)] + "\\" + escaped[match.start(2) :]


def _line(finding: Finding) -> str:
    location = finding.location
    if location.line is None:
        return "–"
    return f"{location.line}" if location.column is None else f"{location.line}:{location.column}"


def _row(finding: Finding) -> str:
    level = f"{_EMOJI[finding.level]} {finding.level.value}"
    return f"| {level} | {_line(finding)} | {cell_code(finding.rule_id)} | {escape_cell(finding.message)} |\n"


def _table(group: FileGroup) -> str:
    rows = "".join(_row(finding) for finding in group.findings)
    return f"### {code_span(group.file)}\n\n{_TABLE_HEAD}{rows}"


def _heading(report: Report) -> str:
    level = worst_level(report)
    title = f"apigov {report.command}"
    if level is None:
        return f"## {_CLEAN} {title}: No problems found in {plural(counts(report).files, 'file')}\n"
    return f"## {_EMOJI[level]} {title}: {summary_sentence(report)}\n"


#: GitHub refuses a pull-request (or issue) comment longer than this many characters.
COMMENT_LIMIT: Final = 65_536
#: Kept free for the line that says how many changes were left out.
_TRAILER_ROOM: Final = 400
_VERDICT: Final[Mapping[bool, str]] = MappingProxyType({True: "🔴", False: "🟢"})
_CHANGES_HEAD: Final = "| Operation | Change | Rule | Location |\n| --- | --- | --- | --- |\n"


def _side(document: DocumentInfo) -> str:
    """`` `orders-api@latest` (= `orders-api@1.4.0`; openapi-3.0: Orders 1.4.0)``."""
    described = " ".join(part for part in (document.title, document.version) if part)
    about = escape_cell(f"{document.kind}: {described}" if described else document.kind)
    exact = _diff.resolved(document)
    return f"{code_span(document.source)} ({f'= {code_span(exact)}; ' if exact else ''}{about})"


def _diff_heading(report: Report, fail_on: str | None) -> str:
    breaking = _diff.diff_counts(report).breaking > 0
    gate = _diff.gate_sentence(report, fail_on)
    verdict = "breaking" if breaking else "compatible" if gate is None else "compatible, gate failed"
    base, revision = _diff.sides(report)
    why = f"\n**{escape_text(gate[:1].upper() + gate[1:])}.**\n" if gate is not None else ""
    return (
        f"## {_VERDICT[breaking or gate is not None]} apigov diff: {verdict} ({_diff.diff_sentence(report)})\n\n"
        f"{_side(base)} → {_side(revision)}"
        + (f" (mode `{report.mode}`)" if report.mode is not None else "")
        + (f" (tier `{report.tier}`)" if report.tier is not None else "")
        + "\n"
        + why
    )


def _counts_table(report: Report) -> str:
    total = _diff.diff_counts(report)
    rows = (
        (f"{_VERDICT[True]} breaking", total.breaking),
        (f"{_EMOJI[Level.WARNING]} warning", total.warning),
        (f"{_EMOJI[Level.INFO]} info", total.info),
    )
    return "| Level | Changes |\n| --- | ---: |\n" + "".join(f"| {name} | {n} |\n" for name, n in rows)


def _where(finding: Finding) -> str:
    location = finding.location
    return location.file if location.line is None else f"{location.file}:{location.line}"


def _change_cell(finding: Finding) -> str:
    parts = [escape_cell(finding.message)]
    example = _diff.example_excerpt(finding)
    if example is not None:
        parts.append("e.g. " + cell_code(example))
    chain = finding.details.text(_diff.REF_CHAIN)
    if chain:
        parts.append("via " + cell_code(chain))
    if _diff.is_undecided(finding):
        parts.append(f"<em>not decided: reported as {_diff.undecided_as(finding)}, check it by hand</em>")
    return "<br>".join(parts)


def _operations_cell(operations: tuple[str, ...]) -> str:
    """``213 operations: `GET /a`, `GET /b`, … and 208 more``."""
    shown = operations[: _diff.GROUP_OPERATIONS_SHOWN]
    more = len(operations) - len(shown)
    listed = ", ".join(cell_code(operation) for operation in shown)
    return f"{len(operations)} operations: {listed}" + (f", … and {more} more" if more else "")


def _change_rows(findings: list[Finding]) -> list[str]:
    """One row per change: a change reported for several operations once (their list in the
    first cell), the others by operation."""
    rows = []
    groups = _diff.change_groups(findings)
    for change in groups:
        if change.shared:
            rule, where = cell_code(change.first.rule_id), cell_code(_where(change.first))
            cells = f"{_operations_cell(change.operations)} | {_change_cell(change.first)} | {rule} | {where}"
            rows.append(f"| {cells} |\n")
    single = [finding for change in groups if not change.shared for finding in change.findings]
    for group in _diff.by_operation(single):
        operation = group.heading if group.operation is None else cell_code(group.operation)
        for finding in group.findings:
            rule, where = cell_code(finding.rule_id), cell_code(_where(finding))
            rows.append(f"| {operation} | {_change_cell(finding)} | {rule} | {where} |\n")
    return rows


def comment_length(text: str) -> int:
    """``text``'s length as GitHub counts a comment's (UTF-16 code units: an emoji may be two)."""
    return len(text.encode("utf-16-le")) // 2


def render_diff(
    report: Report,
    out: TextIO,
    fail_on: str | None = None,
    limit: int = COMMENT_LIMIT,
    why: str | None = None,
) -> None:
    """The diff as one comment of at most ``limit`` characters: when the tables do not fit, the
    breaking changes come first, then warnings, then info, and a last line says how many rows
    were left out (the heading and the counts table always count everything) and ``why``
    (default: the comment's limit)."""
    parts = [_diff_heading(report, fail_on)]
    parts.append("\n" + _counts_table(report) if report.findings else "\nNo changes found.\n")
    if report.suppressed:
        parts.append(f"\n{ignored_sentence(len(report.suppressed))}\n")
    info = [f for f in report.findings if f.level is Level.INFO]
    sections = (
        ("\n### Breaking changes\n\n", [f for f in report.findings if _diff.is_breaking(f)], ""),
        ("\n### Warnings\n\n", [f for f in report.findings if f.level is Level.WARNING], ""),
        (
            f"\n<details>\n<summary>{_EMOJI[Level.INFO]} {plural(len(info), 'other change')} (info)"
            "</summary>\n\n",
            info,
            "\n</details>\n",
        ),
    )
    room = limit - _TRAILER_ROOM - sum(comment_length(part) for part in parts)
    omitted = 0
    for head, findings, tail in sections:
        if not findings:
            continue
        rows = _change_rows(findings)
        kept: list[str] = []
        frame = comment_length(head + _CHANGES_HEAD + tail)
        if omitted == 0 and frame < room:
            room -= frame
            for row in rows:
                size = comment_length(row)
                if size > room:
                    break
                kept.append(row)
                room -= size
        omitted += len(rows) - len(kept)
        if kept:
            parts.append(head + _CHANGES_HEAD + "".join(kept) + tail)
    if omitted:
        why = why or f"a pull-request comment holds at most {limit:,} characters"
        parts.append(
            f"\n**{plural(omitted, 'more change')} not shown**: {why}. "
            "`apigov diff --format text` (or `json`, `sarif`) lists every change.\n"
        )
    out.write("".join(parts))


class MarkdownFormatter:
    description = "Markdown for a pull-request comment: status heading and one table per file"

    def render(self, report: Report, out: TextIO, options: RenderOptions) -> None:
        if _diff.is_diff(report):
            render_diff(report, out, options.fail_on)
            return
        out.write(_heading(report))
        for group in by_file(report, include_clean=False):
            out.write("\n" + _table(group))
        if report.suppressed:
            out.write(f"\n{ignored_sentence(len(report.suppressed))}\n")
