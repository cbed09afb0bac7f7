"""``--format json``: exactly one JSON document (``{"apigov": "<command>/1", ...}``).

The shape of ``apigov check`` output is ``contracts/schemas/check-report.schema.json``, that of
``apigov diff`` ``contracts/schemas/diff-report.schema.json``; change each with its schema.
``line`` and ``column`` are ``null`` when unknown.

Reports judged under a compatibility mode (event schemas; OpenAPI with ``--mode``) add ``mode``;
a diff run by the CLI adds ``gate`` (``fail_on`` and whether it ``failed``). A diff change lifts
``path``, ``method`` and ``side`` out of the details, and the counter-example as a parsed JSON
value (absent when there is none; left in ``details`` as text in the unlikely case that it is not
strict JSON). Ignored changes add ``reason`` and ``expires`` (``null`` when the ignore entry gave
none).
"""

from __future__ import annotations

from typing import TextIO

from apigov.core._types import JSONObject, JSONValue
from apigov.core.findings import DocumentInfo, Finding, Report
from apigov.report import _diff
from apigov.report._common import dump_json
from apigov.report.base import RenderOptions


def finding_to_json(finding: Finding) -> JSONObject:
    location = finding.location
    return {
        "id": finding.rule_id,
        "level": finding.level.value,
        "message": finding.message,
        "file": location.file,
        "pointer": location.pointer,
        "location": "#" + location.pointer,
        "line": location.line,
        "column": location.column,
        "operation": finding.operation,
        "details": dict(finding.details.as_map()),
    }


def document_to_json(document: DocumentInfo) -> JSONObject:
    """``resolved`` only for a registry reference (``orders-api@1.4.0`` for ``orders-api@latest``)."""
    data: JSONObject = {
        "source": document.source,
        "kind": document.kind,
        "title": document.title,
        "version": document.version,
    }
    if document.resolved is not None:
        data["resolved"] = document.resolved
    return data


def change_to_json(finding: Finding, report: Report) -> JSONObject:
    """One change of a diff report, as ``changes`` lists it."""
    details = finding.details.as_map()
    location = finding.location
    change: JSONObject = {
        "id": finding.rule_id,
        "level": finding.level.value,
        "message": finding.message,
        "operation": finding.operation,
        "path": details.pop(_diff.PATH, None),
        "method": details.pop(_diff.METHOD, None),
        "location": "#" + location.pointer,
        "file": location.file,
        "line": location.line,
        "column": location.column,
        "side": _diff.side_of(finding, report),
    }
    details.pop(_diff.SIDE, None)
    example = details.get(_diff.COUNTER_EXAMPLE)
    if example is not None:
        try:
            change["counter_example"] = _diff.parse_counter_example(example)
            del details[_diff.COUNTER_EXAMPLE]
        except ValueError:
            pass  # not JSON: it stays a string in details
    change["details"] = dict(details)
    return change


def ignored_to_json(finding: Finding, report: Report) -> JSONObject:
    """One ignored change: a change plus the ignore entry's ``reason`` and ``expires``."""
    change = change_to_json(finding, report)
    details = change.pop("details")
    assert isinstance(details, dict)
    change["reason"] = details.pop(_diff.IGNORE_REASON, None)
    change["expires"] = details.pop(_diff.IGNORE_EXPIRES, None)
    change["details"] = details
    return change


def diff_report_to_json(report: Report, fail_on: str | None = None) -> JSONObject:
    """The ``diff/1`` document (DESIGN.md, "CLI contract"); ``gate`` when ``fail_on`` is known."""
    base, revision = _diff.sides(report)
    total = _diff.diff_counts(report)
    breaking = total.breaking > 0
    document: JSONObject = {
        "apigov": f"{_diff.DIFF_COMMAND}/1",
        "version": report.tool_version,
        "base": document_to_json(base),
        "revision": document_to_json(revision),
        "breaking": breaking,
        "compatible": not breaking,
        "summary": {"breaking": total.breaking, "warning": total.warning, "info": total.info},
        "changes": [change_to_json(f, report) for f in report.findings],
        "ignored": [ignored_to_json(f, report) for f in report.suppressed],
    }
    if report.mode is not None:  # event schemas: the compatibility mode judged
        document["mode"] = report.mode
    if report.tier is not None:  # the compatibility tier chosen (--tier, diff.tier)
        document["tier"] = report.tier
    if fail_on is not None:
        document["gate"] = {"fail_on": fail_on, "failed": report.fails(fail_on)}
    return document


def report_to_json(report: Report, fail_on: str | None = None) -> JSONObject:
    if _diff.is_diff(report):
        return diff_report_to_json(report, fail_on)
    summary: dict[str, JSONValue] = dict(report.summary())
    return {
        "apigov": f"{report.command}/1",
        "version": report.tool_version,
        "documents": [document_to_json(d) for d in report.documents],
        "summary": summary,
        "findings": [finding_to_json(f) for f in report.findings],
    }


class JsonFormatter:
    description = "one JSON document (schemas: contracts/schemas/<command>-report.schema.json)"

    def render(self, report: Report, out: TextIO, options: RenderOptions) -> None:
        dump_json(report_to_json(report, options.fail_on), out)
