"""What decides a finding's level besides its rule: the tier a diff protects and what a check
judged of one occurrence; and what a finding needs of its rule (:class:`RuleLevels`).

Below :mod:`apigov.rules.context` and :mod:`apigov.rules.rule` (which re-exports ``Tier`` and
``Judged``): a check's context looks a rule's level up without importing the rule rows' module.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Final, Protocol

from apigov.core.findings import Level


class Tier(StrEnum):
    """Whom ``apigov diff`` protects (``--tier``, ``diff.tier``): clients of the wire format
    (``wire``, the default), or also code written against clients generated from the contract
    (``sdk``: an operationId, a component schema name or a path parameter name is API too)."""

    WIRE = "wire"
    SDK = "sdk"


class Judged(StrEnum):
    """Why one finding's level is not its rule's level (the catalogue's, under the tier).

    The catalogue alone holds a rule's level; a check never names a level. When what the check
    found out about one occurrence decides it, the check names the judgement instead."""

    PROVEN = "proven"
    """A counter-example shows the change breaks a client: ``breaking``."""
    UNDECIDED = "undecided"
    """The rule breaks clients only where that is shown, and the engine could not decide it
    here: ``warning`` (the finding says so in ``details.undecided``, and the policy's undecided
    level, ``diff.undecided``, may raise it)."""
    UNPROVEN = "unproven"
    """This occurrence is not shown to break clients (an optional property that disappears, a
    discriminator nothing dispatches on): ``warning``."""
    HARMLESS = "harmless"
    """This occurrence reaches no client (e.g. anonymous access added, or a direction the
    compatibility mode does not ask about): ``info``."""

    @property
    def level(self) -> Level:
        return _JUDGED_LEVELS[self]


_JUDGED_LEVELS: Final[Mapping[Judged, Level]] = MappingProxyType(
    {
        Judged.PROVEN: Level.BREAKING,
        Judged.UNDECIDED: Level.WARNING,
        Judged.UNPROVEN: Level.WARNING,
        Judged.HARMLESS: Level.INFO,
    }
)


class RuleLevels(Protocol):
    """What a finding needs of its rule (a :class:`~apigov.rules.rule.Rule` is one): its level,
    under a tier and a check's judgement."""

    @property
    def level(self) -> Level: ...

    def level_for(self, tier: Tier = Tier.WIRE, judged: Judged | None = None) -> Level: ...
