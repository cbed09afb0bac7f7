"""``--format json``: exactly one JSON document (``{"apigov": "<command>/1", ...}``)."""

from __future__ import annotations

import json
from typing import Any, TextIO

from apigov.core.findings import Finding, Report
from apigov.report.base import RenderOptions


def finding_to_json(finding: Finding) -> dict[str, Any]:
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


def report_to_json(report: Report) -> dict[str, Any]:
    return {
        "apigov": f"{report.command}/1",
        "version": report.tool_version,
        "documents": [
            {"source": d.source, "kind": d.kind, "title": d.title, "version": d.version} for d in report.documents
        ],
        "summary": report.summary(),
        "findings": [finding_to_json(f) for f in report.findings],
    }


class JsonFormatter:
    description = "one JSON document (schema: contracts/schemas/check-report.schema.json)"

    def render(self, report: Report, out: TextIO, options: RenderOptions) -> None:
        json.dump(report_to_json(report), out, indent=2, ensure_ascii=False)
        out.write("\n")
