"""One finding type for every command, and the report that carries findings to a formatter."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Final


class Level(StrEnum):
    """How serious a finding is.

    Lint findings use ``error``; diff findings use ``breaking``. Both rank the same, so one
    ``--fail-on`` threshold works for every command.
    """

    ERROR = "error"
    BREAKING = "breaking"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK: Final[Mapping[Level, int]] = MappingProxyType(
    {Level.ERROR: 3, Level.BREAKING: 3, Level.WARNING: 2, Level.INFO: 1}
)

#: ``--fail-on`` values and the lowest rank that fails the gate (``none`` never fails).
FAIL_ON: Final[Mapping[str, int | None]] = MappingProxyType(
    {"error": 3, "breaking": 3, "warning": 2, "info": 1, "none": None}
)


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding is: a file, a JSON pointer into it, and a 1-based line and column if known."""

    file: str
    pointer: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        text = self.file
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a rule or a validator has to say about a contract."""

    rule_id: str
    level: Level
    message: str
    location: Location
    operation: str | None = None
    details: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.location.file, self.location.line or 0, self.location.pointer, self.rule_id)


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What a report says about one document it looked at."""

    source: str
    kind: str
    title: str | None = None
    version: str | None = None
    #: a registry reference: the exact version it was read as (``orders-api@1.4.0`` for
    #: ``orders-api@latest``); ``None`` for a file
    resolved: str | None = None


@dataclass(frozen=True, slots=True)
class Report:
    """The result of a command: findings plus what was looked at.

    ``command`` names the producing command (``check``, ``diff`` ...); formatters use it to pick
    headings and the JSON envelope (``{"apigov": "check/1", ...}``).
    """

    command: str
    findings: tuple[Finding, ...]
    documents: tuple[DocumentInfo, ...] = ()
    tool_version: str = ""
    #: the one-line summary of every rule that ran, by id (formatters that describe rules use it)
    rule_summaries: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: findings an ignore-file entry matched (``details`` carry ``ignore_reason`` and maybe
    #: ``ignore_expires``); formatters mention them, but they count in neither ``summary()`` nor ``fails()``
    suppressed: tuple[Finding, ...] = ()
    #: ``diff`` of event schemas: the compatibility mode judged (``BACKWARD`` ...), else ``None``
    mode: str | None = None
    #: ``diff``: the compatibility tier (``wire``/``sdk``) when one was chosen (``--tier`` or
    #: ``diff.tier``), else ``None`` (the wire tier, unnamed)
    tier: str | None = None

    def summary(self) -> dict[str, int]:
        """The number of findings (not suppressed ones) at each level."""
        counts = {level.value: 0 for level in Level}
        for finding in self.findings:
            counts[finding.level.value] += 1
        return counts

    def fails(self, fail_on: str) -> bool:
        """True when any finding (not a suppressed one) is at or above the ``--fail-on`` threshold."""
        threshold = FAIL_ON[fail_on]
        if threshold is None:
            return False
        return any(f.level.rank >= threshold for f in self.findings)
