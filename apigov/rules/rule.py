"""What a diff rule is: plain data pointing at one check function."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from apigov.core.findings import Finding, Level

if TYPE_CHECKING:
    from apigov.rules.context import CheckContext


class Area(StrEnum):
    PATHS = "paths"
    PARAMETERS = "parameters"
    REQUEST_BODY = "request-body"
    RESPONSES = "responses"
    HEADERS = "headers"
    SCHEMAS = "schemas"
    SECURITY = "security"
    SERVERS = "servers"
    LIFECYCLE = "lifecycle"
    INFO = "info"
    # event families (JSON Schema, Avro, AsyncAPI)
    EVENT_SCHEMAS = "event-schemas"
    SCHEMA_DIALECTS = "schema-dialects"
    AVRO = "avro"
    CHANNELS = "channels"
    OPERATIONS = "operations"
    MESSAGES = "messages"
    EVENT_SERVERS = "event-servers"
    EVENT_INFO = "event-info"


class Tier(StrEnum):
    """Whom ``apigov diff`` protects (``--tier``, ``diff.tier``): clients of the wire format
    (``wire``, the default), or also code written against clients generated from the contract
    (``sdk``: an operationId, a component schema name or a path parameter name is API too)."""

    WIRE = "wire"
    SDK = "sdk"


class Direction(StrEnum):
    """Who sends what the rule is about: the client (``request``), the server (``response``),
    neither (``none``: paths, servers, info), or, for event schemas, whichever direction the
    compatibility mode asks about (``mode``)."""

    REQUEST = "request"
    RESPONSE = "response"
    NONE = "none"
    MODE = "mode"
    """An event rule: the compatibility mode (``--mode``) says which direction is asked for."""


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


Check = Callable[["CheckContext"], Iterator[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    """One diff rule, for every family (OpenAPI, JSON Schema, Avro, AsyncAPI).

    ``level`` is the default (users override it per id in apigov.yaml); a finding is made by id
    and takes its level from here (:meth:`level_in`). A rule whose level is ``breaking`` reports
    ``breaking`` only when the change is proven to break a client (for a schema, by a
    counter-example); an undecided one is reported as ``warning``. ``check`` may emit several
    related ids; every id it emits is declared in the catalogue. Event rules have no ``check``:
    the event pipeline (:mod:`apigov.rules.events.pipeline`) emits them, under the compatibility mode
    (``direction`` ``mode``). ``families`` are the document kinds the rule is reported for.
    ``oasdiff_id`` is oasdiff's id for the same meaning (equal to ``id`` when shared, ``None``
    when oasdiff has none); ``confluent_id`` the Confluent Schema Registry incompatibility type
    of an event rule. ``doc`` is the documentation in fixed sections (``apigov rules explain``,
    docs/diff-rules.md).
    """

    id: str
    level: Level
    area: Area
    direction: Direction
    summary: str
    doc: str
    check: Check | None = None
    families: tuple[str, ...] = ("openapi",)
    oasdiff_id: str | None = None
    confluent_id: str | None = None
    since: str = "0.1"
    deprecated_by: tuple[str, ...] = ()
    sdk_level: Level | None = None

    def level_in(self, tier: Tier) -> Level:
        """The default level under ``tier``."""
        return self.sdk_level if tier is Tier.SDK and self.sdk_level is not None else self.level

    def level_for(self, tier: Tier = Tier.WIRE, judged: Judged | None = None) -> Level:
        """The level of one finding of this rule: the catalogue's under ``tier``, unless the
        check judged the occurrence."""
        return self.level_in(tier) if judged is None else judged.level

    @property
    def is_event(self) -> bool:
        """Whether the event pipeline (not a check function) reports this rule."""
        return self.direction is Direction.MODE


def rule_doc(what: str, why: str, example: str, evolve: str, related: tuple[str, ...] = ()) -> str:
    """A rule's documentation in its fixed sections (What changed, Why it breaks clients,
    Example, How to evolve safely, Related ids), as ``docs/diff-rules.md`` shows it."""
    parts = [
        f"## What changed\n\n{what}",
        f"## Why it breaks clients\n\n{why}",
        f"## Example\n\n```yaml\n{example.strip()}\n```",
        f"## How to evolve safely\n\n{evolve}",
    ]
    if related:
        parts.append("## Related ids\n\n" + ", ".join(f"`{r}`" for r in related))
    return "\n\n".join(parts) + "\n"
