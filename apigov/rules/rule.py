"""What a diff rule is: plain data pointing at one check function."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from apigov.core.findings import Finding, Level
from apigov.rules.levels import Judged as Judged
from apigov.rules.levels import Tier as Tier

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


class Direction(StrEnum):
    """Who sends what the rule is about: the client (``request``), the server (``response``),
    neither (``none``: paths, servers, info), or, for event schemas, whichever direction the
    compatibility mode asks about (``mode``)."""

    REQUEST = "request"
    RESPONSE = "response"
    NONE = "none"
    MODE = "mode"
    """An event rule: the compatibility mode (``--mode``) says which direction is asked for."""


Check = Callable[["CheckContext"], Iterator[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    """One diff rule, for every family (OpenAPI, JSON Schema, Avro, AsyncAPI).

    ``level`` is the default (users override it per id in apigov.yaml); a finding is made by id
    and takes its level from here (:meth:`level_in`). A rule whose level is ``breaking`` reports
    ``breaking`` only when the change is proven to break a client (for a schema, by a
    counter-example); an undecided one is reported as ``warning``. ``check`` may emit several
    related ids; every id it emits is declared in the catalogue. Event rules have no ``check``:
    the event pipeline (:mod:`apigov.rules.event_pipeline`) emits them, under the compatibility mode
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
