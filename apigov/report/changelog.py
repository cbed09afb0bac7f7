"""A changelog for people who use an API, made from an ``apigov diff`` report.

Not a gate report: no verdict, no counts, no locations. A heading ("Changes from Pet Store 1.0.0
to Pet Store 1.1.0"), then four sections, each grouped by operation (document-level changes
under "General"), each change in the words of its message, the rule id only in small print:

- "⚠ Breaking changes": level ``breaking``;
- "Deprecations": rule ids with ``deprecated`` or ``sunset``;
- "New": ``info`` changes whose rule id has ``added`` (endpoints, optional parameters ...);
- "Changed": everything else.

Changes an ignore file matched are listed too (they did happen, and clients still meet them),
with "accepted" and the reason in the small print.

Entry point: :func:`render_changelog` with ``fmt`` one of :data:`CHANGELOG_FORMATS`. Markdown
text goes through the escaping of :mod:`apigov.report.markdown`; the HTML is one standalone
document (no script, no external resource, a Content-Security-Policy that forbids both) with
every piece of spec text passed through :func:`html.escape`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, TextIO

from apigov.core.findings import DocumentInfo, Finding, Level, Report
from apigov.report import _diff
from apigov.report._common import printable
from apigov.report.markdown import code_span, escape_cell, escape_text

CHANGELOG_FORMATS: Final = ("markdown", "html")

BREAKING: Final = "⚠ Breaking changes"
DEPRECATIONS: Final = "Deprecations"
NEW: Final = "New"
CHANGED: Final = "Changed"
SECTIONS: Final = (BREAKING, DEPRECATIONS, NEW, CHANGED)
#: The heading of changes that belong to no operation.
GENERAL: Final = "General"
#: A word that may take a capital (``the``, not ``info.version`` or ``x-rate-limit``).
_PLAIN_WORD: Final = re.compile(r"[a-z]+(?=\s)")


@dataclass(frozen=True, slots=True)
class Entry:
    """One change as the changelog shows it."""

    finding: Finding
    accepted: bool

    @property
    def sentence(self) -> str:
        """The message, its first letter capitalised when it starts with a plain lower-case word."""
        message = self.finding.message.strip()
        if _PLAIN_WORD.match(message):
            return message[:1].upper() + message[1:]
        return message

    @property
    def small_print(self) -> str:
        """The rule id, and for an accepted change ``accepted`` and the ignore file's reason."""
        text = self.finding.rule_id
        if self.accepted:
            reason = self.finding.details.ignore_reason
            text += f" · accepted: {reason}" if reason else " · accepted"
        return text


@dataclass(frozen=True, slots=True)
class Group:
    """The entries of one operation (``None``: document-level)."""

    operation: str | None
    entries: tuple[Entry, ...]


def section_of(finding: Finding) -> str:
    """Which section a change goes in (see the module docstring)."""
    rule_id = finding.rule_id
    if _diff.is_breaking(finding):
        return BREAKING
    if "deprecated" in rule_id or "sunset" in rule_id:
        return DEPRECATIONS
    if "added" in rule_id and finding.level is Level.INFO:
        return NEW
    return CHANGED


def sections(report: Report) -> list[tuple[str, list[Group]]]:
    """The non-empty sections in order, each with its changes grouped by operation."""
    accepted = {id(finding) for finding in report.suppressed}
    findings: dict[str, list[Finding]] = {title: [] for title in SECTIONS}
    for finding in (*report.findings, *report.suppressed):
        findings[section_of(finding)].append(finding)
    result = []
    for title, members in findings.items():
        if not members:
            continue
        groups = [
            Group(group.operation, tuple(Entry(f, id(f) in accepted) for f in group.findings))
            for group in _diff.by_operation(members)
        ]
        result.append((title, groups))
    return result


def _source(document: DocumentInfo) -> str:
    """``orders-api@latest (orders-api@1.4.0)`` for a registry reference that named no version."""
    exact = _diff.resolved(document)
    return f"{document.source} ({exact})" if exact else document.source


def title(report: Report) -> str:
    """``Changes from Pet Store 1.0.0 to Pet Store 1.1.0`` (unescaped)."""
    base, revision = _diff.sides(report)
    return f"Changes from {_diff.describe(base)} to {_diff.describe(revision)}"


def _markdown(report: Report, out: TextIO) -> None:
    base, revision = _diff.sides(report)
    out.write(f"# {escape_text(title(report))}\n\n")
    out.write(f"<sub>{escape_cell(_source(base))} → {escape_cell(_source(revision))}</sub>\n")
    found = sections(report)
    if not found:
        out.write("\nNo changes.\n")
    for heading, groups in found:
        out.write(f"\n## {heading}\n")
        for group in groups:
            name = GENERAL if group.operation is None else code_span(group.operation)
            out.write(f"\n### {name}\n\n")
            for entry in group.entries:
                out.write(f"- {escape_text(entry.sentence)} <sub>{escape_cell(entry.small_print)}</sub>\n")


_STYLE: Final = """\
body { font-family: system-ui, sans-serif; line-height: 1.5; color: #1f2328; max-width: 52rem;
       margin: 2rem auto; padding: 0 1rem; }
h2 { border-bottom: 1px solid #d1d9e0; padding-bottom: .2em; }
section.breaking h2 { color: #b42318; }
code { font-family: ui-monospace, monospace; background: #eff2f5; padding: 0 .25em; border-radius: 4px; }
small { color: #59636e; }
"""
_CSP: Final = "default-src 'none'; style-src 'unsafe-inline'"
_CLASSES: Final = {BREAKING: "breaking", DEPRECATIONS: "deprecations", NEW: "new", CHANGED: "changed"}


def escape_html(text: str) -> str:
    """Untrusted text made safe (and one line) for HTML text or a quoted attribute value."""
    return html.escape(printable(text), quote=True)


def _html(report: Report, out: TextIO) -> None:
    base, revision = _diff.sides(report)
    heading = escape_html(title(report))
    out.write(
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{heading}</title>\n<style>\n{_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{heading}</h1>\n"
        f"<p><small>{escape_html(_source(base))} → {escape_html(_source(revision))}</small></p>\n"
    )
    found = sections(report)
    if not found:
        out.write("<p>No changes.</p>\n")
    for section, groups in found:
        out.write(f'<section class="{_CLASSES[section]}">\n<h2>{html.escape(section)}</h2>\n')
        for group in groups:
            name = GENERAL if group.operation is None else f"<code>{escape_html(group.operation)}</code>"
            out.write(f"<h3>{name}</h3>\n<ul>\n")
            for entry in group.entries:
                out.write(
                    f"<li>{escape_html(entry.sentence)} <small>{escape_html(entry.small_print)}</small></li>\n"
                )
            out.write("</ul>\n")
        out.write("</section>\n")
    if report.tool_version:
        out.write(f"<footer><p><small>apigov {escape_html(report.tool_version)}</small></p></footer>\n")
    out.write("</body>\n</html>\n")


_RENDERERS: Final[Mapping[str, Callable[[Report, TextIO], None]]] = MappingProxyType(
    {"markdown": _markdown, "html": _html}
)


def render_changelog(report: Report, out: TextIO, fmt: str) -> None:
    """Write the changelog of a diff report as ``fmt`` (one of :data:`CHANGELOG_FORMATS`).

    ``ValueError`` for another format or a report that is not a diff of two documents.
    """
    if fmt not in CHANGELOG_FORMATS:
        raise ValueError(f"unknown changelog format {fmt!r}; choose one of {', '.join(CHANGELOG_FORMATS)}")
    if not _diff.is_diff(report):
        raise ValueError(f"a changelog is made from a diff report, not from {report.command!r}")
    _RENDERERS[fmt](report, out)
