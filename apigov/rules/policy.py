"""What the user configured, applied once to the findings of every diff engine (OpenAPI and events).

:class:`Policy` holds the compatibility tier (``diff.tier``, ``--tier``), the undecided policy (``diff.undecided``, ``--undecided``), the
configuration (``diff.rules``, ``diff.overrides``), the ignore file and the report's order; :func:`apigov.rules.run.diff_sources` builds one per diff and hands it to the
engine chosen by kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Final

from apigov.config.project import Config
from apigov.core.findings import Finding, Level
from apigov.rules.catalogue import BY_ID
from apigov.rules.events.catalogue import EVENT_BY_ID
from apigov.rules.ignore import IgnoreFile, apply_ignores
from apigov.rules.rule import Tier

__all__ = ["KNOWN_IDS", "Policy"]

KNOWN_IDS: Final = frozenset(BY_ID) | frozenset(EVENT_BY_ID)
"""Every id ``apigov diff`` may report (ignore files and ``diff.rules`` may name any of them)."""


@dataclass(slots=True)
class Policy:
    """What the user configured, applied to the findings of any engine in one way: the levels
    of ``diff.rules`` and ``diff.overrides`` (matched on the compared files and the API path a
    change is on), the ignore file, and the report's order."""

    config: Config
    ignores: IgnoreFile | None
    today: date
    files: tuple[str, ...] = ()
    """The compared documents as ``diff.overrides`` ``files`` globs see them."""
    undecided: Level = Level.WARNING
    """The level of a change the engine could not decide in a direction that matters (OpenAPI
    and events alike): ``warning`` (a person decides; ``apigov diff``'s default) or ``breaking``
    (a registry accepts only what it can show to be safe). Either way the finding says it is
    undecided (``details.undecided``) and why."""
    tier: Tier = Tier.WIRE
    """Whom the diff protects: ``wire`` (every rule at its level) or ``sdk`` (rules with an
    ``sdk_level``, changes that break code using a generated client, at that level). The checks
    make their findings at the tier's level (:attr:`CheckContext.tier
    <apigov.rules.context.CheckContext.tier>`); the policy only carries it."""

    def configured(self, findings: Iterable[Finding], *, keep_info: bool = False) -> Iterator[Finding]:
        """``findings`` at their configured levels (``off`` ones left out). A finding whose level
        its context decided keeps it: a change on a draft or alpha operation, and with
        ``keep_info`` (event schemas) an ``info`` change (one in a direction the mode does not
        ask for, or one no reader can tell)."""
        for finding in findings:
            if finding.rule_id not in KNOWN_IDS:
                raise AssertionError(f"rule {finding.rule_id!r} is not in the catalogue")
            if (
                self.undecided is not Level.WARNING
                and finding.level is Level.WARNING
                and finding.details.undecided
            ):
                finding = replace(finding, level=self.undecided)
            setting = self.config.diff_rule_setting(
                finding.rule_id, files=self.files, api_path=finding.details.path
            )
            if setting == "off":
                continue
            if setting is None or finding.details.level_without_stability is not None:
                yield finding
                continue
            if not (keep_info and finding.level is Level.INFO):
                finding = replace(finding, level=Level(setting))
            yield finding

    def ignored(self, findings: Sequence[Finding]) -> tuple[list[Finding], list[Finding], list[Finding]]:
        """``(kept, suppressed, notices)`` under the ignore file (everything kept without one)."""
        if self.ignores is None:
            return list(findings), [], []
        return apply_ignores(findings, self.ignores, today=self.today)

    @staticmethod
    def ordered(findings: Iterable[Finding], *, by_file: bool = False) -> list[Finding]:
        """By operation (document-level changes after), most serious first, then by pointer
        (``by_file``: by file, then pointer, as event schema versions are ordered)."""
        return sorted(findings, key=_order_by_file if by_file else _order)


def _order(finding: Finding) -> tuple[int, str, int, str]:
    return (
        0 if finding.operation else 1,
        finding.operation or "",
        -finding.level.rank,
        finding.location.pointer,
    )


def _order_by_file(finding: Finding) -> tuple[int, str, int, str, str]:
    return (
        0 if finding.operation else 1,
        finding.operation or "",
        -finding.level.rank,
        finding.location.file,
        finding.location.pointer,
    )
