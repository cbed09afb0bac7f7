"""``apigov diff --mode`` for OpenAPI and Swagger: the meaning a registry subject's mode has.

A registry judges an OpenAPI subject under its mode (:mod:`apigov.registry.policy`) by running
``apigov diff`` in the directions the mode names; :func:`diff_with_mode` gives ``apigov diff
--mode`` the same meaning, so the command predicts what a publish would say:

- ``BACKWARD`` (also without ``--mode``): clients of the base keep working with the revision:
  the changes from base to revision, at their levels.
- ``FORWARD``: the sides swapped: a rollback from the revision to the base breaks no client of
  the revision. Every change from the revision back to the base, with ``details.direction``
  ``forward`` and a message saying ``(forward: revision back to base)``.
- ``FULL``: both: the backward changes, plus the forward changes that are breaking or warnings.
- ``NONE``: no gate: the backward changes, each listed as ``info`` (``details.mode_none_level``
  keeps the level it had), as for event schemas.
- The ``_TRANSITIVE`` forms: with two documents, one comparison, the same as their plain form
  (OpenAPI documents are compared two at a time).

``info.version`` findings (``api-version-*``, ``api-major-version-not-bumped``) are left out of
the forward comparison: the version of a rollback goes down by design. Event schemas judge
their mode themselves (:mod:`apigov.rules.event_pipeline`); their reports pass through unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Final

from apigov.config.project import Config
from apigov.core.errors import InputError
from apigov.core.findings import DiffSide, Finding, Level, Report
from apigov.rules.openapi.notices import EXPIRED_ID, UNUSED_ID
from apigov.rules.run import DiffRequest, diff_sources
from apigov.schema.modes import Mode

__all__ = ["FORWARD_NOTE", "diff_with_mode"]

FORWARD_NOTE: Final = " (forward: revision back to base)"
"""Appended to the message of a change found in the forward comparison."""
_VERSION_IDS: Final = frozenset(
    {"api-version-changed", "api-version-decreased", "api-version-not-bumped", "api-major-version-not-bumped"}
)
_NOTICES: Final = frozenset({EXPIRED_ID, UNUSED_ID})
_FLIP: Final[dict[DiffSide, DiffSide]] = {"base": "revision", "revision": "base"}


def diff_with_mode(request: DiffRequest, config: Config, *, version: str = "") -> Report:
    """``apigov diff`` under ``request.mode`` for every kind (see the module docstring)."""
    report = diff_sources(request, config, version=version)
    if request.mode is None or report.mode is not None:  # no mode, or event schemas (judged already)
        return report
    try:
        mode = Mode.parse(request.mode)
    except ValueError:
        raise InputError(
            f"unknown compatibility mode {request.mode!r}",
            hint="BACKWARD, FORWARD, FULL, their _TRANSITIVE forms, or NONE",
        ) from None
    if mode is Mode.NONE:
        return replace(report, findings=tuple(_no_gate(report.findings)), mode=mode.value)
    if not mode.forward:
        return replace(report, mode=mode.value)
    swapped = replace(request, base=request.revision, revision=request.base, mode=None)
    forward = diff_sources(swapped, config, version=version)
    ahead = [_forward(f) for f in forward.findings if f.rule_id not in _VERSION_IDS | _NOTICES]
    behind = [_forward(f) for f in forward.suppressed if f.rule_id not in _VERSION_IDS]
    if not mode.backward:  # FORWARD
        notices = [f for f in forward.findings if f.rule_id in _NOTICES]
        return replace(
            report,
            findings=tuple(sorted([*ahead, *notices], key=_order)),
            suppressed=tuple(behind),
            mode=mode.value,
        )
    # FULL: the backward report, plus what breaks (or may break) a rollback
    kept = [f for f in report.findings if f.rule_id not in _NOTICES]
    notices = _merged_notices(report.findings, forward.findings)
    ahead = [f for f in ahead if f.level.rank >= Level.WARNING.rank]
    behind = [f for f in behind if f.level.rank >= Level.WARNING.rank]
    return replace(
        report,
        findings=tuple(sorted([*kept, *ahead, *notices], key=_order)),
        suppressed=(*report.suppressed, *behind),
        mode=mode.value,
    )


def _no_gate(findings: Iterable[Finding]) -> Iterable[Finding]:
    for finding in findings:
        if finding.level is Level.INFO or finding.rule_id in _NOTICES:
            yield finding
            continue
        details = finding.details.updated(mode_none_level=finding.level)
        yield replace(finding, level=Level.INFO, details=details)


def _forward(finding: Finding) -> Finding:
    """A change of the swapped comparison, told as one: ``direction: forward``, sides flipped back
    (``base_location`` / ``base_pointer`` of the swapped comparison name the revision)."""
    details = finding.details.updated(direction="forward")
    if details.side is not None:
        details = details.updated(side=_FLIP[details.side])
    if details.base_location is not None:
        details = details.without("base_location").updated(revision_location=details.base_location)
    if details.base_pointer is not None:
        details = details.without("base_pointer").updated(revision_pointer=details.base_pointer)
    return replace(finding, message=finding.message + FORWARD_NOTE, details=details)


def _merged_notices(backward: Iterable[Finding], forward: Iterable[Finding]) -> list[Finding]:
    """Ignore-file notices of both comparisons: an entry is unused only when neither comparison
    used it, and an expired entry is reported once."""
    backward, forward = list(backward), list(forward)
    unused = [{f.location.pointer for f in side if f.rule_id == UNUSED_ID} for side in (backward, forward)]
    merged: dict[tuple[str, str], Finding] = {}
    for finding in (*backward, *forward):
        if finding.rule_id == UNUSED_ID and not all(finding.location.pointer in u for u in unused):
            continue
        if finding.rule_id in _NOTICES:
            merged.setdefault((finding.rule_id, finding.location.pointer), finding)
    return list(merged.values())


def _order(finding: Finding) -> tuple[int, str, int, str]:
    """By operation (document-level changes after), most serious first, as ``apigov diff`` sorts."""
    return (
        0 if finding.operation else 1,
        finding.operation or "",
        -finding.level.rank,
        finding.location.pointer,
    )
