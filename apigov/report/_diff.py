"""What the formatters share for ``apigov diff`` reports.

A diff report (``Report.command == "diff"``) has exactly two documents, the base then the
revision, and findings at ``breaking``, ``warning`` or ``info``. A finding's ``details`` are typed
facts (:class:`~apigov.core.findings.Details`); the names here (:data:`METHOD` ...) are the keys
the reports show them under. This module gives the two sides, changes grouped by
operation, the counts and verdict sentences, and the counter-example as parsed JSON; each
formatter only lays them out. Nothing here escapes text: the formatter that writes it does.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Final, NoReturn

from apigov.core._types import JSONValue
from apigov.core.findings import FAIL_ON, DocumentInfo, Finding, Level, Report
from apigov.documents.sources import is_git_ref
from apigov.report._common import plural
from apigov.report._example import excerpt

DIFF_COMMAND: Final = "diff"
#: The heading of changes that belong to no operation (servers, info.version, security schemes).
DOCUMENT_HEADING: Final = "Document"
#: The heading of changes reported for several operations (one shared component's change).
SHARED_HEADING: Final = "Shared changes (one entry each, reached from several operations)"
#: Counter-examples longer than this are cut around the value that differs (``…`` for what is left
#: out) in human-readable formats (see :mod:`apigov.report._example`).
EXAMPLE_WIDTH: Final = 120

#: A character that may continue an operation's path or method (``GET /a`` is not in ``GET /a/b``).
_PATH_CHAR: Final = re.compile(r"[\w/{}.~%-]")

# Detail keys with a meaning of their own.
METHOD: Final = "method"
PATH: Final = "path"
SIDE: Final = "side"
COUNTER_EXAMPLE: Final = "counter_example"
REF_CHAIN: Final = "ref_chain"
IGNORE_REASON: Final = "ignore_reason"
IGNORE_EXPIRES: Final = "ignore_expires"


def is_diff(report: Report) -> bool:
    return report.command == DIFF_COMMAND


def sides(report: Report) -> tuple[DocumentInfo, DocumentInfo]:
    """The base and the revision document; a diff report without exactly two is a bug."""
    if len(report.documents) != 2:
        raise ValueError(f"a diff report needs two documents (base, revision), not {len(report.documents)}")
    base, revision = report.documents
    return base, revision


def describe(document: DocumentInfo) -> str:
    """``Pet Store 1.2.0``: title and version, or the source when the document has no title."""
    name = document.title or document.source
    return f"{name} {document.version}" if document.version else name


def resolved(document: DocumentInfo) -> str | None:
    """``orders-api@1.4.0`` for a document read as ``orders-api@latest``: the exact version a
    registry reference named, when the reference did not say it (``None`` otherwise)."""
    exact = document.resolved
    return exact if exact is not None and exact != document.source else None


def side_of(finding: Finding, report: Report) -> str:
    """``base`` or ``revision``: which document the finding's location is in.

    The ``side`` detail says it; without one, a location in the base's file (when the revision
    has another file) is on the base side.
    """
    side = finding.details.side
    if side is not None:
        return side
    base, revision = sides(report)
    file = finding.location.file
    return "base" if file == base.source and file != revision.source else "revision"


def past_location(finding: Finding, report: Report) -> str | None:
    """``git:REV:path:LINE`` when a diff finding's line is in a past revision of a file (the base
    side, read from git): its line numbers say nothing about the file as it is in the checkout,
    where code-scanning annotations land. ``None`` for every other finding."""
    location = finding.location
    if not is_diff(report) or not is_git_ref(location.file) or side_of(finding, report) != "base":
        return None
    return str(location) if location.line is not None else location.file


def is_breaking(finding: Finding) -> bool:
    """``breaking`` (or ``error``, which ranks the same)."""
    return finding.level.rank >= Level.BREAKING.rank


def is_undecided(finding: Finding) -> bool:
    return finding.details.undecided


def undecided_as(finding: Finding) -> str:
    """``a warning`` or ``breaking``: how an undecided change is reported (``--undecided``)."""
    return "a warning" if finding.level is Level.WARNING else finding.level.value


def names_operation(message: str, operation: str) -> bool:
    """Whether ``message`` names ``operation`` itself (``POST /orders added``; not ``GET /a``
    inside ``GET /a/b``)."""
    start = message.find(operation)
    while start != -1:
        end = start + len(operation)
        before = message[start - 1] if start else " "
        after = message[end] if end < len(message) else " "
        if not _PATH_CHAR.match(before) and not _PATH_CHAR.match(after):
            return True
        start = message.find(operation, start + 1)
    return False


def headline(finding: Finding) -> str:
    """``GET /pets: the message``: the message alone for a document-level change, and for one
    whose message names its operation already (``POST /orders added``)."""
    operation = finding.operation
    if not operation or names_operation(finding.message, operation):
        return finding.message
    return f"{operation}: {finding.message}"


@dataclass(frozen=True, slots=True)
class OperationGroup:
    """The changes of one operation (``None``: document-level changes), most serious first."""

    operation: str | None
    findings: tuple[Finding, ...]

    @property
    def heading(self) -> str:
        return DOCUMENT_HEADING if self.operation is None else self.operation


def by_severity(findings: tuple[Finding, ...] | list[Finding]) -> tuple[Finding, ...]:
    """Most serious first; findings of one level keep their report order."""
    return tuple(sorted(findings, key=lambda finding: -finding.level.rank))


def by_operation(findings: tuple[Finding, ...] | list[Finding]) -> list[OperationGroup]:
    """Document-level changes first, then each operation in the order it first occurs."""
    grouped: dict[str | None, list[Finding]] = {None: []}
    for finding in findings:
        grouped.setdefault(finding.operation, []).append(finding)
    return [
        OperationGroup(operation, by_severity(members)) for operation, members in grouped.items() if members
    ]


#: Operations named in a group's list before ``… and N more``.
GROUP_OPERATIONS_SHOWN: Final = 5


@dataclass(frozen=True, slots=True)
class ChangeGroup:
    """One change reported for several operations: the same rule id and level at the same
    changed schema node (its location) with the same message (a shared component's change,
    reached from every operation that uses it). ``findings`` keep their report order."""

    findings: tuple[Finding, ...]

    @property
    def first(self) -> Finding:
        return self.findings[0]

    @property
    def operations(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.operation for f in self.findings if f.operation is not None))

    @property
    def shared(self) -> bool:
        """Reported for more than one operation."""
        return len(self.operations) > 1


def _group_key(finding: Finding) -> tuple[str, str, str, str, str]:
    location = finding.location
    return (finding.rule_id, finding.level.value, location.file, location.pointer, finding.message)


def change_groups(findings: tuple[Finding, ...] | list[Finding]) -> list[ChangeGroup]:
    """The findings grouped as :class:`ChangeGroup`, in the order each group first occurs; a
    finding is a group of its own unless its change was reported for several operations
    (document-level findings, without an operation, are never grouped)."""
    grouped: dict[object, list[Finding]] = {}
    for index, finding in enumerate(findings):
        key: object = _group_key(finding) if finding.operation is not None else index
        grouped.setdefault(key, []).append(finding)
    groups: list[ChangeGroup] = []
    for members in grouped.values():
        group = ChangeGroup(tuple(members))
        if len(members) > 1 and not group.shared:
            groups.extend(ChangeGroup((member,)) for member in members)
        else:
            groups.append(group)
    return groups


def operations_text(operations: tuple[str, ...], shown: int = GROUP_OPERATIONS_SHOWN) -> str:
    """``213 operations: GET /a, GET /b, … and 208 more``."""
    listed = ", ".join(operations[:shown])
    more = f", … and {len(operations) - shown} more" if len(operations) > shown else ""
    return f"{len(operations)} operations: {listed}{more}"


@dataclass(frozen=True, slots=True)
class DiffCounts:
    """Changes at each level (``error`` counts as breaking), and how many an ignore file matched."""

    breaking: int
    warning: int
    info: int
    ignored: int

    @property
    def total(self) -> int:
        return self.breaking + self.warning + self.info


def diff_counts(report: Report) -> DiffCounts:
    summary = report.summary()
    return DiffCounts(
        breaking=summary[Level.BREAKING] + summary[Level.ERROR],
        warning=summary[Level.WARNING],
        info=summary[Level.INFO],
        ignored=len(report.suppressed),
    )


def diff_sentence(report: Report) -> str:
    """``2 breaking changes, 1 warning, 7 info``, ``no breaking changes, 0 warnings, 3 info``,
    or ``no breaking changes`` when nothing changed; with `` (in 8 groups)`` when a change was
    reported for several operations (counts stay per operation, as ``--fail-on`` counts)."""
    total = diff_counts(report)
    rest = f"{plural(total.warning, 'warning')}, {total.info} info"
    groups = len(change_groups(report.findings))
    grouped = f" (in {plural(groups, 'group')})" if groups < len(report.findings) else ""
    if total.breaking:
        return f"{plural(total.breaking, 'breaking change')}, {rest}{grouped}"
    return f"no breaking changes, {rest}{grouped}" if total.total else "no breaking changes"


def gate_sentence(report: Report, fail_on: str | None) -> str | None:
    """``gate failed: 3 warnings at or above --fail-on warning``, when the ``--fail-on`` gate
    fails although no change is breaking (the verdict alone would read "no breaking changes").

    ``None`` when no threshold is known, the gate passes, or a breaking change already says why.
    """
    if fail_on is None or not report.fails(fail_on):
        return None
    total = diff_counts(report)
    threshold = FAIL_ON[fail_on]
    if total.breaking or threshold is None:
        return None
    parts = []
    if total.warning and Level.WARNING.rank >= threshold:
        parts.append(plural(total.warning, "warning"))
    if total.info and Level.INFO.rank >= threshold:
        parts.append(f"{total.info} info")
    return f"gate failed: {' and '.join(parts)} at or above --fail-on {fail_on}"


def _no_constants(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def parse_counter_example(text: str) -> JSONValue:
    """The counter-example detail as a JSON value; ``ValueError`` when it is not strict JSON.

    ``NaN`` and ``Infinity`` are refused (no JSON output may contain them), and so is nesting too
    deep for the parser.
    """
    try:
        value: JSONValue = json.loads(text, parse_constant=_no_constants)
    except RecursionError as exc:
        raise ValueError("counter-example nested too deeply") from exc
    return value


def example_excerpt(finding: Finding, width: int = EXAMPLE_WIDTH) -> str | None:
    """The finding's counter-example in about ``width`` characters, cut around the value at its
    ``instance_path`` (see :mod:`apigov.report._example`); ``None`` when it has none."""
    example = finding.details.text(COUNTER_EXAMPLE)
    if example is None:
        return None
    return excerpt(example, finding.details.instance_path, width)
