"""Consumer-aware diff: which registered consumers use what a breaking change changed.

:func:`annotate` takes a finished diff :class:`~apigov.core.findings.Report` (it never changes
how the diff is made) and, for each breaking finding, looks at the pacts of the consumer
versions that matter (every version deployed or released somewhere, and each consumer's latest)
for interactions that use the changed thing, matched by operation (method + path template) and
JSON path, never by message text:

* a finding about a **property** (its pointer ends in ``.../properties/NAME``, maybe nested)
  concerns the consumers whose request (``request-*`` rules) or expected response
  (``response-*`` rules) body holds that property chain at some path;
* any other finding of an operation (removed operation, new required parameter or property,
  security, media types...) concerns every consumer with an interaction on that operation.

An annotated finding keeps its id, level and location; it gains ``consumers`` in ``details``
(a JSON list: consumer, version, environments, interactions) and its message says
``breaks checkout-web@2.3.1 (production)``, or ``no known consumer uses it``.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from apigov.contract.model import PactState
from apigov.core._types import JSONObject
from apigov.core.findings import Finding, Level, Report

__all__ = ["CONSUMERS", "Usage", "annotate", "consumers_in_json", "uses_consumers"]

CONSUMERS: Final = "consumers"
_OPERATION: Final = re.compile(r"([A-Z]+) (/\S*)")


@dataclass(slots=True)
class Usage:
    consumer: str
    version: str
    environments: list[str] = field(default_factory=list)
    interactions: list[str] = field(default_factory=list)

    def label(self) -> str:
        where = f" ({', '.join(self.environments)})" if self.environments else ""
        return f"{self.consumer}@{self.version}{where}"

    def to_json(self) -> JSONObject:
        return {
            "consumer": self.consumer,
            "version": self.version,
            "environments": [*self.environments],
            "interactions": [*self.interactions],
        }


def _template_regex(path: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^{}/]+\})", path)
    return re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts) + "/?")


def _chain(pointer: str) -> list[str]:
    """The property names at the end of a schema pointer (``/A/properties/b/properties/c`` -> [b, c])."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.strip("#").split("/")]
    chain: list[str] = []
    i = len(parts) - 2
    while i >= 0 and parts[i] == "properties":
        chain.insert(0, parts[i + 1])
        i -= 2
        while i >= 0 and parts[i] == "items":  # arrays in between
            i -= 1
    return chain


def _has_chain(body: object, chain: list[str]) -> bool:
    """Whether ``body`` holds the property chain at some path (arrays looked through), bounded."""
    stack: list[object] = [body]
    seen = 0
    while stack and seen < 100_000:
        node = stack.pop()
        seen += 1
        if isinstance(node, dict):
            target: object = node
            ok = True
            for name in chain:
                while isinstance(target, list) and target:
                    target = target[0]
                if isinstance(target, dict) and name in target:
                    target = target[name]
                else:
                    ok = False
                    break
            if ok:
                return True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def _body(raw: object) -> object:
    if (
        isinstance(raw, dict)
        and "content" in raw
        and set(raw) <= {"content", "contentType", "encoded", "contentTypeHint"}
    ):
        return raw.get("content")
    return raw


def _interactions(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for item in document.get("interactions") or []:
        if isinstance(item, dict) and isinstance(item.get("request"), dict):
            yield item


def _uses(finding: Finding, interaction: dict[str, Any]) -> bool:
    chain = _chain(finding.location.pointer)
    if not chain:
        return True
    if finding.rule_id.startswith("response"):
        response = interaction.get("response")
        return isinstance(response, dict) and _has_chain(_body(response.get("body")), chain)
    if finding.rule_id.startswith(("request", "new-required-request")):
        if "required" in finding.rule_id and ("new" in finding.rule_id or "became" in finding.rule_id):
            return True  # a property every request must now send: every caller breaks
        return _has_chain(_body(interaction["request"].get("body")), chain)
    return True


def annotate(
    report: Report, state: PactState, content: Callable[[str], bytes], *, provider: str | None = None
) -> Report:
    """``report`` with each breaking finding annotated with the consumers that use what changed."""
    versions: dict[tuple[str, str], list[str]] = {}
    for d in state.deployments:
        if d.current:
            versions.setdefault((d.pacticipant, d.version), []).append(d.environment)
    latest: dict[str, tuple[int, str]] = {}
    for p in state.publications.values():
        if provider is not None and p.provider != provider:
            continue
        seq = (
            state.versions[(p.consumer, p.consumer_version)].seq
            if (p.consumer, p.consumer_version) in state.versions
            else p.seq
        )
        if p.consumer not in latest or seq > latest[p.consumer][0]:
            latest[p.consumer] = (seq, p.consumer_version)
    wanted = [
        p
        for p in state.publications.values()
        if (provider is None or p.provider == provider)
        and (
            (p.consumer, p.consumer_version) in versions
            or latest.get(p.consumer, (0, ""))[1] == p.consumer_version
        )
    ]
    documents = []
    for p in sorted(wanted, key=lambda p: (p.consumer, p.consumer_version)):
        try:
            documents.append((p, json.loads(content(p.digest))))
        except ValueError:
            continue
    annotated = []
    for finding in report.findings:
        if finding.level.rank < Level.BREAKING.rank or not finding.operation:
            annotated.append(finding)
            continue
        match = _OPERATION.fullmatch(finding.operation.strip())
        if match is None:
            annotated.append(finding)
            continue
        method, template = match.group(1), match.group(2)
        regex = _template_regex(template)
        usages: list[Usage] = []
        for pub, document in documents:
            used = [
                str(i.get("description", "?"))
                for i in _interactions(document)
                if str(i["request"].get("method", "")).upper() == method
                and regex.fullmatch(str(i["request"].get("path", "")))
                and _uses(finding, i)
            ]
            if used:
                envs = sorted(set(versions.get((pub.consumer, pub.consumer_version), [])))
                usages.append(Usage(pub.consumer, pub.consumer_version, envs, used[:10]))
        verdict = (
            ("breaks " + ", ".join(u.label() for u in usages)) if usages else "no known consumer uses it"
        )
        details = finding.details.updated(consumers=tuple(u.to_json() for u in usages))
        annotated.append(
            dataclasses.replace(finding, message=f"{finding.message} — {verdict}", details=details)
        )
    return dataclasses.replace(report, findings=tuple(annotated))


def uses_consumers(report: Report) -> Report:
    """The policy 'fail only on breaking changes a registered consumer uses': breaking findings
    no consumer uses become warnings (kept in the report, no longer failing the gate)."""
    kept = []
    for finding in report.findings:
        if finding.level.rank >= Level.BREAKING.rank and finding.details.consumers == ():
            kept.append(dataclasses.replace(finding, level=Level.WARNING))
        else:
            kept.append(finding)
    return dataclasses.replace(report, findings=tuple(kept))


def consumers_in_json(document: dict[str, Any]) -> dict[str, Any]:
    """A diff/1 JSON document with each change's ``details.consumers`` as a ``consumers`` list
    beside it (additive to diff/1)."""
    for change in document.get("changes", []):
        details = change.get("details")
        if isinstance(details, dict) and isinstance(details.get(CONSUMERS), str):
            change[CONSUMERS] = json.loads(details.pop(CONSUMERS))
    return document
