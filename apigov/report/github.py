"""``--format github``: GitHub Actions workflow commands, so findings show as annotations.

One ``::error``/``::warning``/``::notice`` command per finding, then a plain summary line.
Values are escaped as the Actions runner expects (``%`` ``\\r`` ``\\n`` everywhere, and ``:``
``,`` in properties), so a message can never end the command and start another one. Other
control characters are shown as escapes. ``line`` and ``col`` are left out when unknown, and
for a diff finding in the base read from git (``git:REV:path``: a removed operation), whose line
is in a past revision: the annotation names the file only and the message ends ``(at
git:REV:path:LINE)``, rather than pointing at whatever that line holds now.

GitHub makes annotations of only the first 10 commands of each kind in a step: when there are
more, the summary line says so (and that ``--format sarif`` keeps every finding).

In a diff report a message starts with its operation (``GET /pets: ...``; not when the message
names it already: ``POST /orders added``) and ends with a second line holding the
counter-example, cut around the value that breaks (``e.g. {…, "id": 3}``); a change reported for
several operations is one annotation ending ``(in 213 operations: GET /a, … and 208 more)``; the
summary line
counts breaking changes (and says why the ``--fail-on`` gate failed when none is). Findings an
ignore file matched get no annotation, only a count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final, TextIO

from apigov.core.findings import Finding, Level, Report
from apigov.documents.sources import repository_path
from apigov.report import _diff
from apigov.report._common import ignored_sentence, printable, summary_sentence
from apigov.report.base import RenderOptions

#: GitHub turns at most this many commands of each kind (error, warning, notice) of a step into annotations.
ANNOTATIONS_PER_KIND: Final = 10
_COMMANDS: Final[Mapping[Level, str]] = MappingProxyType(
    {Level.ERROR: "error", Level.BREAKING: "error", Level.WARNING: "warning", Level.INFO: "notice"}
)


def escape_data(text: str) -> str:
    """Escape a command's message (after ``::``)."""
    text = printable(text, keep="\r\n")
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a command property value (``file=``, ``title=`` ...)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(
    finding: Finding, *, diff: bool = False, past: str | None = None, operations: tuple[str, ...] = ()
) -> str:
    """One workflow command; ``past`` (``git:REV:path:LINE``): the finding is in a past revision,
    so the annotation names the file only and the message says where; ``operations``: the
    change was reported for all of them (one annotation for the group)."""
    location = finding.location
    properties = {"file": repository_path(location.file)}  # git:REV:path annotates path
    if location.line is not None and past is None:
        properties["line"] = str(location.line)
        if location.column is not None:
            properties["col"] = str(location.column)
    properties["title"] = finding.rule_id
    joined = ",".join(f"{name}={escape_property(value)}" for name, value in properties.items())
    message = _diff.headline(finding) if diff else finding.message
    if operations:
        message = f"{finding.message} (in {_diff.operations_text(operations)})"
    if past is not None:
        message += f" (at {past})"
    example = _diff.example_excerpt(finding)
    if example is not None:
        message += f"\ne.g. {printable(example)}"
    return f"::{_COMMANDS[finding.level]} {joined}::{escape_data(message)}"


class GithubFormatter:
    description = "GitHub Actions annotations (workflow commands) and a summary line"

    def render(self, report: Report, out: TextIO, options: RenderOptions) -> None:
        diff = _diff.is_diff(report)
        if diff:  # a change reported for several operations: one annotation
            groups = _diff.change_groups(report.findings)
            entries = [(g.first, g.operations if g.shared else ()) for g in groups]
        else:
            entries = [(finding, ()) for finding in report.findings]
        kinds = Counter(_COMMANDS[finding.level] for finding, _ in entries)
        for finding, operations in entries:
            past = _diff.past_location(finding, report)
            out.write(command(finding, diff=diff, past=past, operations=operations) + "\n")
        sentence = _diff.diff_sentence(report) if diff else summary_sentence(report)
        if report.suppressed:
            sentence += f"; {ignored_sentence(len(report.suppressed))}"
        gate = _diff.gate_sentence(report, options.fail_on) if diff else None
        if gate is not None:
            sentence += f"; {gate}"
        if any(count > ANNOTATIONS_PER_KIND for count in kinds.values()):
            sentence += (
                f"; GitHub shows only the first {ANNOTATIONS_PER_KIND} annotations of each level per step"
                " (all are in this log; --format sarif uploads every one to code scanning)"
            )
        out.write(f"apigov {report.command}: {sentence}\n")
