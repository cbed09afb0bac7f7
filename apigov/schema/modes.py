"""Schema-registry compatibility modes (the Confluent names) on top of :func:`~apigov.schema.compat.is_subset`.

``BACKWARD``: readers using the new schema read data written with an old one (old ⊆ new).
``FORWARD``: readers using an old schema read data written with the new one (new ⊆ old).
``FULL``: both. The ``_TRANSITIVE`` forms check against every earlier version, the others against
the latest only. ``NONE`` checks nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from apigov.core._types import JSONValue
from apigov.schema.compat import Verdict, is_subset
from apigov.schema.model import Resolver


class Mode(StrEnum):
    BACKWARD = "BACKWARD"
    BACKWARD_TRANSITIVE = "BACKWARD_TRANSITIVE"
    FORWARD = "FORWARD"
    FORWARD_TRANSITIVE = "FORWARD_TRANSITIVE"
    FULL = "FULL"
    FULL_TRANSITIVE = "FULL_TRANSITIVE"
    NONE = "NONE"

    @classmethod
    def parse(cls, text: str) -> Mode:
        """Case-insensitive, ``-`` or ``_``: ``backward-transitive`` is ``BACKWARD_TRANSITIVE``."""
        return cls(text.strip().upper().replace("-", "_"))

    @property
    def transitive(self) -> bool:
        return self.name.endswith("_TRANSITIVE")

    @property
    def backward(self) -> bool:
        return self.name.startswith(("BACKWARD", "FULL"))

    @property
    def forward(self) -> bool:
        return self.name.startswith(("FORWARD", "FULL"))


@dataclass(frozen=True, slots=True)
class Version:
    """One version of a schema and the resolver for its ``$ref``."""

    schema: JSONValue
    resolve: Resolver


@dataclass(frozen=True, slots=True)
class ModeCheck:
    """One comparison a mode asks for: the earlier version's index, the direction and the verdict."""

    against: int
    direction: str  # "backward" (old ⊆ new) or "forward" (new ⊆ old)
    verdict: Verdict


def check(mode: Mode, earlier: Sequence[Version], new: Version) -> tuple[ModeCheck, ...]:
    """Every comparison ``mode`` asks for between ``new`` and the ``earlier`` versions (oldest first)."""
    if mode is Mode.NONE or not earlier:
        return ()
    indexes = range(len(earlier)) if mode.transitive else (len(earlier) - 1,)
    checks: list[ModeCheck] = []
    for index in indexes:
        old = earlier[index]
        if mode.backward:
            verdict = is_subset(old.schema, new.schema, resolve_a=old.resolve, resolve_b=new.resolve)
            checks.append(ModeCheck(index, "backward", verdict))
        if mode.forward:
            verdict = is_subset(new.schema, old.schema, resolve_a=new.resolve, resolve_b=old.resolve)
            checks.append(ModeCheck(index, "forward", verdict))
    return tuple(checks)
