"""``--format json``: exactly one JSON document (``{"apigov": "<command>/1", ...}``).

The shape of ``apigov check`` output is ``contracts/schemas/check-report.schema.json``; change
both together. ``line`` and ``column`` are ``null`` when unknown.
"""

from __future__ import annotations

from typing import TextIO

from apigov.core._types import JSONObject, JSONValue
from apigov.core.findings import DocumentInfo, Finding, Report
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
        "details": dict(finding.details),
    }


def document_to_json(document: DocumentInfo) -> JSONObject:
    return {
        "source": document.source,
        "kind": document.kind,
        "title": document.title,
        "version": document.version,
    }


def report_to_json(report: Report) -> JSONObject:
    summary: dict[str, JSONValue] = dict(report.summary())
    return {
        "apigov": f"{report.command}/1",
        "version": report.tool_version,
        "documents": [document_to_json(d) for d in report.documents],
        "summary": summary,
        "findings": [finding_to_json(f) for f in report.findings],
    }


class JsonFormatter:
    description = "one JSON document (schema: contracts/schemas/check-report.schema.json)"

    def render(self, report: Report, out: TextIO, options: RenderOptions) -> None:
        dump_json(report_to_json(report), out)
