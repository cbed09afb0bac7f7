"""``--format sarif``: SARIF 2.1.0, as GitHub code scanning accepts it.

One run; ``tool.driver.rules`` has one entry per rule id that occurs (sorted), and every result
points at its rule by ``ruleId`` and ``ruleIndex``. Every result has a physical location with
``startLine >= 1`` (1 when the line is unknown), because GitHub rejects results without one.
Relative paths are relative to ``%SRCROOT%``; absolute paths become ``file://`` URIs. A diff
finding in the base read from git (``git:REV:path``) points at line 1 of ``path``, its message
ending ``(at git:REV:path:LINE)``: its own line is in a past revision of the file.

``partialFingerprints["apigovFindingHash/v1"]`` hashes rule id, file and JSON pointer (not the
message, not the line), plus an occurrence number for findings that share all three, so an alert
keeps its identity when lines move or wording improves.

Findings an ignore file matched are results too, with a ``suppressions`` entry (``external``,
``accepted``, the reason as ``justification``), so viewers show them as dismissed. In a diff
report a result's message starts with its operation (``GET /pets: ...``, unless the message
names it already), since a change is about an operation more than about a line, and a breaking
change's message ends with a line holding its counter-example cut around the value that breaks
(``e.g. {…, "id": 3}``; ``properties.details.counter_example`` has it whole).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import PurePath
from types import MappingProxyType
from typing import Final, TextIO
from urllib.parse import quote

from apigov.core._types import JSONObject, JSONValue
from apigov.core.findings import Finding, Level, Location, Report
from apigov.documents.sources import repository_path
from apigov.report import _diff
from apigov.report._common import dump_json
from apigov.report.base import RenderOptions

SARIF_SCHEMA: Final = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION: Final = "2.1.0"
FINGERPRINT_KEY: Final = "apigovFindingHash/v1"
SRCROOT: Final = "%SRCROOT%"

_LEVELS: Final[Mapping[Level, str]] = MappingProxyType(
    {Level.ERROR: "error", Level.BREAKING: "error", Level.WARNING: "warning", Level.INFO: "note"}
)
_URL: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+://")


def humanise(rule_id: str) -> str:
    """``response-property-removed`` -> ``Response property removed``."""
    return rule_id.replace("-", " ").replace("_", " ").capitalize()


def _camel(rule_id: str) -> str:
    """``response-property-removed`` -> ``ResponsePropertyRemoved`` (SARIF's ``name`` style)."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[-_\s]+", rule_id))


def _rule(rule_id: str, level: Level, summary: str | None) -> JSONObject:
    return {
        "id": rule_id,
        "name": _camel(rule_id),
        "shortDescription": {"text": summary or humanise(rule_id)},
        "help": {"text": f"Run 'apigov rules explain {rule_id}' for what the rule checks and how to fix it."},
        "defaultConfiguration": {"level": _LEVELS[level]},
    }


def artifact_location(file: str) -> JSONObject:
    """A SARIF ``artifactLocation``: URLs as they are, absolute paths as ``file://``, else relative
    (``git:REV:path`` as ``path``: results attach to the repository's file)."""
    file = repository_path(file)
    if _URL.match(file):
        return {"uri": file}
    path = PurePath(file)
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": quote(path.as_posix(), safe="/"), "uriBaseId": SRCROOT}


def _region(location: Location) -> JSONObject:
    if location.line is None or location.line < 1:
        return {"startLine": 1}
    region: JSONObject = {"startLine": location.line}
    if location.column is not None and location.column >= 1:
        region["startColumn"] = location.column
    return region


def _location(finding: Finding, *, past: bool = False) -> JSONObject:
    physical: JSONObject = {
        "artifactLocation": artifact_location(finding.location.file),
        "region": {"startLine": 1} if past else _region(finding.location),
    }
    location: JSONObject = {"physicalLocation": physical}
    if finding.operation:
        location["logicalLocations"] = [{"name": finding.operation, "fullyQualifiedName": finding.operation}]
    return location


def fingerprints(findings: Sequence[Finding]) -> Iterator[str]:
    """``<sha256 of rule id, file and pointer>:<occurrence>``, one per finding, in order."""
    seen: dict[str, int] = {}
    for finding in findings:
        key = "\0".join((finding.rule_id, finding.location.file, finding.location.pointer))
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
        seen[digest] = seen.get(digest, 0) + 1
        yield f"{digest}:{seen[digest]}"


def _properties(finding: Finding) -> JSONObject:
    properties: JSONObject = {"pointer": finding.location.pointer}
    if finding.details:
        properties["details"] = dict(finding.details.as_map())
    return properties


def _message(finding: Finding, report: Report, past: str | None) -> str:
    message = finding.message if finding.message.strip() else humanise(finding.rule_id)
    if past is not None:
        message += f" (at {past})"
    if _diff.is_diff(report) and finding.operation and not _diff.names_operation(message, finding.operation):
        message = f"{finding.operation}: {message}"
    example = _diff.example_excerpt(finding)
    if example is not None:
        message += f"\ne.g. {example}"
    return message


def _suppression(finding: Finding) -> JSONObject:
    suppression: JSONObject = {"kind": "external", "status": "accepted"}
    reason = finding.details.ignore_reason
    if reason:
        suppression["justification"] = reason
    return suppression


def _result(
    finding: Finding, report: Report, rule_index: int, fingerprint: str, *, suppressed: bool
) -> JSONObject:
    past = _diff.past_location(finding, report)
    result: JSONObject = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": _LEVELS[finding.level],
        "message": {"text": _message(finding, report, past)},
        "locations": [_location(finding, past=past is not None)],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }
    if suppressed:
        result["suppressions"] = [_suppression(finding)]
    result["properties"] = _properties(finding)
    return result


def _driver(report: Report, rule_ids: Sequence[str]) -> JSONObject:
    first_level: dict[str, Level] = {}
    for finding in (*report.findings, *report.suppressed):
        first_level.setdefault(finding.rule_id, finding.level)
    driver: JSONObject = {"name": "apigov"}
    if report.tool_version:
        driver["semanticVersion"] = report.tool_version
    driver["rules"] = [
        _rule(rule_id, first_level[rule_id], report.rule_summaries.get(rule_id)) for rule_id in rule_ids
    ]
    return driver


def report_to_sarif(report: Report) -> JSONObject:
    everything = (*report.findings, *report.suppressed)
    rule_ids = sorted({finding.rule_id for finding in everything})
    index = {rule_id: position for position, rule_id in enumerate(rule_ids)}
    results: list[JSONValue] = [
        _result(
            finding, report, index[finding.rule_id], fingerprint, suppressed=position >= len(report.findings)
        )
        for position, (finding, fingerprint) in enumerate(
            zip(everything, fingerprints(everything), strict=True)
        )
    ]
    run: JSONObject = {
        "tool": {"driver": _driver(report, rule_ids)},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


class SarifFormatter:
    description = "SARIF 2.1.0 for GitHub code scanning and other static-analysis viewers"

    def render(self, report: Report, out: TextIO, options: RenderOptions) -> None:
        dump_json(report_to_sarif(report), out)
