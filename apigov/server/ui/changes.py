"""The diff page: two versions of a subject compared by ``apigov diff``'s own pipeline
(:func:`apigov.rules.run.diff_sources` over registry references, exactly ``apigov registry
diff``), each breaking change annotated with the consumers the pacts say use it
(:func:`apigov.contract.consumers.annotate`), laid out as the ``diff/1`` JSON document's
changes (rule id, level, location, counter-example, ``via`` chain) grouped by operation.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from apigov.config.project import Config
from apigov.contract.model import PactState
from apigov.core.findings import Details, Report
from apigov.registry.base import RegistryBackend, SemVer

__all__ = ["Change", "DiffView", "compare"]


@dataclass(frozen=True, slots=True)
class Change:
    id: str
    level: str
    message: str
    operation: str
    location: str
    side: str
    counter_example: str
    via: str
    consumers: tuple[dict[str, Any], ...] | None
    """``None``: the pacts were not asked (not breaking, or no pacts); ``()``: nobody uses it."""
    details: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class DiffView:
    subject: str
    base: SemVer
    revision: SemVer
    mode: str | None
    counts: dict[str, int]
    groups: tuple[tuple[str, tuple[Change, ...]], ...]
    """(operation or ``Document``, its changes most serious first), document-level first."""
    provider: str | None
    """The pacticipant whose pacts were asked about consumers."""
    ignored: int

    @property
    def breaking(self) -> bool:
        return self.counts.get("breaking", 0) > 0


_SKIPPED = frozenset({"consumers", "path", "method", "side", "counter_example", "ref_chain"})


def _change(item: dict[str, Any], facts: Details) -> Change:
    example = item.get("counter_example")
    consumers = facts.consumers
    raw = item.get("details")
    details: dict[str, Any] = raw if isinstance(raw, dict) else {}
    return Change(
        id=str(item["id"]),
        level=str(item["level"]),
        message=str(item["message"]),
        operation=str(item.get("operation") or ""),
        location=str(item.get("location") or ""),
        side=str(item.get("side") or ""),
        counter_example="" if example is None else json.dumps(example, indent=2, ensure_ascii=False)[:4000],
        via=facts.text("ref_chain") or "",
        consumers=consumers,
        details=tuple((str(k), str(v)[:500]) for k, v in sorted(details.items()) if k not in _SKIPPED),
    )


def compare(
    backend: RegistryBackend,
    config: Config,
    subject: str,
    base: SemVer,
    revision: SemVer,
    pacts: PactState | None,
    pact_content: Callable[[str], bytes],
    provider: str | None,
) -> DiffView:
    """``base`` and ``revision`` of ``subject`` compared (see the module docstring)."""
    from apigov import __version__
    from apigov.contract.consumers import annotate
    from apigov.registry.refs import ref_opener
    from apigov.report import _diff
    from apigov.report.json import change_to_json
    from apigov.rules.run import DiffRequest, diff_sources

    contained = dataclasses.replace(config, allow_remote_refs=False, allow_ref_outside=False)
    request = DiffRequest(
        base=f"{subject}@{base}",
        revision=f"{subject}@{revision}",
        opener=ref_opener(lambda: backend, files=False),
    )
    report: Report = diff_sources(request, contained, version=__version__)
    plain = report
    if pacts is not None and provider is not None:
        report = annotate(report, pacts, pact_content, provider=provider)
    messages = {
        id(annotated): finding.message
        for annotated, finding in zip(report.findings, plain.findings, strict=True)
    }
    grouped: dict[str, list[Change]] = {}
    for finding in _diff.by_severity(report.findings):
        item = change_to_json(finding, report)
        item["message"] = messages[id(finding)]  # the consumers are shown on their own
        grouped.setdefault(finding.operation or _diff.DOCUMENT_HEADING, []).append(
            _change(item, finding.details)
        )
    rank = {"breaking": 0, "error": 0, "warning": 1, "info": 2}
    order = sorted(
        grouped,
        key=lambda name: (min(rank.get(c.level, 3) for c in grouped[name]), name != _diff.DOCUMENT_HEADING),
    )
    counts = _diff.diff_counts(report)
    return DiffView(
        subject=subject,
        base=base,
        revision=revision,
        mode=report.mode,
        counts={"breaking": counts.breaking, "warning": counts.warning, "info": counts.info},
        groups=tuple((name, tuple(grouped[name])) for name in order),
        provider=provider if pacts is not None else None,
        ignored=counts.ignored,
    )
