"""``--format junit``: JUnit XML for CI test-report viewers (GitLab, Jenkins, Azure, test reporters).

``<testsuites>`` holds one ``<testsuite>`` per file: every checked document (one passing
``<testcase>`` when it has no finding) and any other file a finding points at. Each finding is a
``<testcase>`` (``classname`` = file, ``name`` = ``rule-id at file:line``); findings at or above the command's
``--fail-on`` (when it passes one, as ``apigov diff`` does; else error, breaking and warning)
carry a ``<failure>``, so the failures are what failed the gate; the others pass and keep their
text in ``<system-out>``. apigov reports no ``<error>`` (that is for tests that crashed), so ``errors``
is always 0.

The tree is built with :mod:`xml.etree.ElementTree`, which escapes markup. Spec text cannot make
the XML invalid or leave its element: ``<``, ``&`` and ``>`` (so ``]]>``) are escaped by the
serialiser; control characters (which XML 1.0 forbids or discourages), line separators and lone
surrogates are shown as escapes (``\\x00``) as in the text format, in attributes and bodies alike
(a newline from the spec too: a failure body is its message on one line, then one fact a line,
and a message cannot forge a fact); whatever XML 1.0 still cannot represent (U+FFFE, U+FFFF) is
dropped.

Findings an ignore file matched are ``<testcase>`` elements with ``<skipped>`` (the reason as
its message), counted in ``skipped``. In a diff report failure messages start with the
operation (``GET /pets: ...``), and the base document has a suite only when a change points
into it (a clean diff is one passing ``no changes`` case in the revision's suite).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from typing import Final, TextIO

from apigov.core.findings import FAIL_ON, Finding, Level, Report
from apigov.report import _diff
from apigov.report._common import FileGroup, by_file, printable
from apigov.report.base import RenderOptions

_NOT_XML: Final = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CLEAN_CASE: Final = "no problems"
_UNCHANGED_CASE: Final = "no changes"


def xml_text(text: str, keep: str = "\t\n") -> str:
    """``text`` with control characters but ``keep`` made visible and nothing XML 1.0 cannot represent."""
    return _NOT_XML.sub("", printable(text, keep=keep))


def _element(tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    """An element whose attributes are one line each and whose text may span lines."""
    element = ET.Element(tag, {name: xml_text(value, keep="") for name, value in attributes.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def _threshold(fail_on: str | None) -> int | None:
    """The lowest rank that fails: ``--fail-on``'s when the command gave it, else ``warning``."""
    return Level.WARNING.rank if fail_on is None else FAIL_ON[fail_on]


def _fails(finding: Finding, threshold: int | None) -> bool:
    return threshold is not None and finding.level.rank >= threshold


def _where(finding: Finding) -> str:
    location = finding.location
    return location.file if location.line is None else f"{location.file}:{location.line}"


def details_text(finding: Finding) -> str:
    """The finding in full: its message, then one ``name: value`` line for each fact.

    Every piece of it is one line (newlines from the spec are shown as ``\\n``), so a hostile
    message cannot forge facts below it.
    """
    facts = {
        "level": finding.level.value,
        "location": str(finding.location),
        "pointer": "#" + finding.location.pointer,
    }
    if finding.operation:
        facts["operation"] = finding.operation
    facts.update(finding.details.as_map())
    lines = [f"{printable(name)}: {printable(value)}" for name, value in facts.items()]
    return "\n".join([printable(finding.message), "", *lines]) + "\n"


def _testcase(finding: Finding, *, diff: bool, skipped: bool, threshold: int | None) -> ET.Element:
    case = _element(
        "testcase", classname=finding.location.file, name=f"{finding.rule_id} at {_where(finding)}"
    )
    message = _diff.headline(finding) if diff else finding.message
    if skipped:
        reason = finding.details.ignore_reason
        case.append(_element("skipped", message=f"ignored: {reason}" if reason else "ignored"))
        case.append(_element("system-out", details_text(finding)))
    elif _fails(finding, threshold):
        failure = _element("failure", details_text(finding), type=finding.rule_id, message=message)
        case.append(failure)
    else:
        case.append(_element("system-out", details_text(finding)))
    return case


def _properties(group: FileGroup) -> ET.Element | None:
    document = group.document
    if document is None:
        return None
    properties = _element("properties")
    known = {
        "kind": document.kind,
        "title": document.title,
        "version": document.version,
        "resolved": document.resolved,
    }
    for name, value in known.items():
        if value is not None:
            properties.append(_element("property", name=name, value=value))
    return properties


def _testsuite(group: FileGroup, suppressed: set[int], *, diff: bool, threshold: int | None) -> ET.Element:
    skipped = sum(1 for finding in group.findings if id(finding) in suppressed)
    failures = sum(
        1 for finding in group.findings if _fails(finding, threshold) and id(finding) not in suppressed
    )
    tests = max(len(group.findings), 1)
    suite = _element(
        "testsuite",
        name=group.file,
        tests=str(tests),
        failures=str(failures),
        errors="0",
        skipped=str(skipped),
    )
    properties = _properties(group)
    if properties is not None:
        suite.append(properties)
    suite.extend(
        _testcase(finding, diff=diff, skipped=id(finding) in suppressed, threshold=threshold)
        for finding in group.findings
    )
    if not group.findings:
        name = _UNCHANGED_CASE if diff else _CLEAN_CASE
        suite.append(_element("testcase", classname=group.file, name=name))
    return suite


def report_to_junit(report: Report, fail_on: str | None = None) -> ET.Element:
    """The ``<testsuites>`` tree; findings at or above ``fail_on`` (default ``warning``) fail."""
    suppressed = {id(finding) for finding in report.suppressed}
    everything = replace(report, findings=report.findings + report.suppressed)
    diff = _diff.is_diff(report)
    groups = by_file(everything, include_clean=True)
    if diff:  # an unchanged base is no test of its own; the revision is what passes
        groups = [g for g in groups if g.findings or g.file == _diff.sides(report)[1].source]
    threshold = _threshold(fail_on)
    suites = [_testsuite(group, suppressed, diff=diff, threshold=threshold) for group in groups]
    root = _element(
        "testsuites",
        name=f"apigov {report.command}",
        tests=str(sum(int(suite.get("tests", "0")) for suite in suites)),
        failures=str(sum(int(suite.get("failures", "0")) for suite in suites)),
        errors="0",
    )
    if suppressed:
        root.set("skipped", str(len(suppressed)))
    root.extend(suites)
    return root


class JunitFormatter:
    description = "JUnit XML: one test suite per file, one test case per finding"

    def render(self, report: Report, out: TextIO, options: RenderOptions) -> None:
        root = report_to_junit(report, options.fail_on)
        ET.indent(root)
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(ET.tostring(root, encoding="unicode") + "\n")
