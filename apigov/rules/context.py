"""What a diff check receives: the DiffTree, both bundled documents, the engine, a way to report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Unpack, cast

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.core.findings import Details, Facts, Finding, Location, Notes
from apigov.diff.normalise import Schema, schema_view
from apigov.diff.sameness import Sameness
from apigov.diff.tree import DiffTree, OperationSide, SchemaPair
from apigov.documents.bundle import Bundled
from apigov.documents.kinds import Kind
from apigov.documents.refs import RefSite
from apigov.rules._views import View
from apigov.rules._walk import node_at
from apigov.rules.levels import Judged, RuleLevels, Tier
from apigov.schema.compat import NO_EXAMPLE, Comparator, NoExample, Verdict
from apigov.schema.model import Resolver, local_resolver


class SideName(StrEnum):
    BASE = "base"
    REVISION = "revision"


@dataclass(slots=True)
class Side:
    """One of the two documents: its bundle, kind, and a resolver for its local ``$ref``."""

    bundled: Bundled
    kind: Kind
    source: str
    dangling_examples: tuple[RefSite, ...] = ()
    """``examples`` entries whose ``$ref`` leads nowhere (tolerated: documentation only)."""
    resolve: Resolver = field(init=False)
    _locations: dict[str, Location] = field(init=False, default_factory=dict)
    """Locations asked for so far: a shared component's change is located once, not once per
    operation that reaches it."""

    def __post_init__(self) -> None:
        self.resolve = local_resolver(self.bundled.document.data)

    @property
    def data(self) -> JSONValue:
        return self.bundled.document.data

    def location(self, pointer: str) -> Location:
        known = self._locations.get(pointer)
        if known is None:
            known = self._locations[pointer] = self._location(pointer)
        return known

    def _location(self, pointer: str) -> Location:
        document, original = self.bundled.locate(pointer)
        position = document.position(original)
        if position is None:
            return Location(file=document.source, pointer=original)
        return Location(file=document.source, pointer=original, line=position[0], column=position[1])


@dataclass(frozen=True, slots=True)
class DiffOptions:
    """``strict_open_model``: a property added under an open content model (no
    ``additionalProperties: false``) is judged as the schema engine proves it (old clients may
    have sent or received any value there), not as the usual "new optional property"."""

    strict_open_model: bool = False
    today: date = field(default_factory=date.today)


@dataclass(slots=True)
class CheckContext:
    tree: DiffTree
    base: Side
    revision: Side
    catalogue: Mapping[str, RuleLevels]
    """Every rule by id: a finding takes its level from here."""
    tier: Tier = Tier.WIRE
    """Whom the diff protects (``--tier``): the level a finding takes is the rule's under it."""
    options: DiffOptions = field(default_factory=DiffOptions)
    emitted: list[Finding] = field(default_factory=list)
    """Findings of the rules run so far (the semver policy reads them)."""
    notices: list[Finding] = field(default_factory=list)
    """What applying the ignore file had to say about the file itself."""
    memo: dict[tuple[object, ...], object] = field(default_factory=dict)
    """Per-diff memo for checks (e.g. where an instance path leads in a schema)."""
    _views: dict[tuple[SideName, str], View] = field(default_factory=dict)
    _verdicts: dict[tuple[str, str, bool, bool, str], Verdict] = field(default_factory=dict)
    _sessions: dict[tuple[str, bool], Comparator] = field(default_factory=dict)

    def side(self, name: SideName) -> Side:
        return self.base if name is SideName.BASE else self.revision

    def view(self, name: SideName, direction: str) -> View:
        """Schemas of one side as ``direction`` (``request`` / ``response``) sees them."""
        key = (name, direction)
        view = self._views.get(key)
        if view is None:
            drop = "readOnly" if direction == "request" else "writeOnly"
            view = self._views[key] = View(self.side(name).resolve, drop)
        return view

    def schema(self, name: SideName, pointer: str, legacy: bool, direction: str) -> JSONValue:
        """The schema at ``pointer`` of one side, as ``direction`` sees it."""
        view = self.view(name, direction)
        node = view.resolve(jsonptr.to_fragment(pointer))
        return view.schema(schema_view(node, Schema(pointer, legacy)))

    def verdict(self, pair: SchemaPair, direction: str, *, harmful: bool) -> Verdict:
        """The engine's verdict on ``pair`` seen from ``direction``.

        ``harmful`` asks the question whose failure breaks clients (requests: old ⊆ new,
        responses: new ⊆ old); otherwise the reverse (what the change newly allows or forbids).
        """
        key = (pair.base, pair.revision, pair.base_legacy, pair.revision_legacy, f"{direction}:{harmful}")
        cached = self._verdicts.get(key)
        if cached is not None:
            return cached
        old = self.schema(SideName.BASE, pair.base, pair.base_legacy, direction)
        new = self.schema(SideName.REVISION, pair.revision, pair.revision_legacy, direction)
        old_view, new_view = self.view(SideName.BASE, direction), self.view(SideName.REVISION, direction)
        old_first = (direction == "request") == harmful
        session = self._sessions.get((direction, old_first))
        if session is None:  # one engine session per question: shared components are judged once
            if old_first:
                session = Comparator(old_view.resolve, new_view.resolve)
            else:
                session = Comparator(new_view.resolve, old_view.resolve)
            self._sessions[(direction, old_first)] = session
        verdict = session.is_subset(old, new) if old_first else session.is_subset(new, old)
        self._verdicts[key] = verdict
        return verdict

    def same(self, base_pointer: str, revision_pointer: str) -> bool:
        """Whether the schemas at two places are written the same, everything they reference
        included: nothing inside them can have changed."""
        sameness = self.memo.get(("sameness",))
        if not isinstance(sameness, Sameness):
            sameness = self.memo[("sameness",)] = Sameness(self.base.data, self.revision.data)
        return sameness.same(Schema(base_pointer, False), Schema(revision_pointer, False))

    def node(self, name: SideName, pointer: str) -> JSONValue:
        """The node at ``pointer`` of one side's bundle (``None`` when absent)."""
        return node_at(self.side(name).data, pointer)

    def finding(
        self,
        rule_id: str,
        message: str,
        *,
        side: SideName,
        pointer: str,
        judged: Judged | None = None,
        operation: OperationSide | None = None,
        base_pointer: str | None = None,
        counter_example: JSONValue | NoExample = NO_EXAMPLE,
        **details: Unpack[Notes],
    ) -> Finding:
        """A finding of rule ``rule_id`` at ``pointer`` of ``side``; ``base_pointer`` also names
        the base's place. Its level is the catalogue's, unless the check ``judged`` this
        occurrence (:class:`~apigov.rules.rule.Judged`); under ``--tier sdk`` the rule's sdk level."""
        tier = Tier.WIRE if "same_client_name" in details else self.tier  # generated names kept
        level = self.catalogue[rule_id].level_for(tier, judged)
        facts = cast(Facts, details)  # every Notes is a Facts (the facts it lacks are optional)
        if operation is not None:
            facts.setdefault("method", operation.method)
            facts.setdefault("path", operation.path)
        details = facts
        details["side"] = "base" if side is SideName.BASE else "revision"
        if base_pointer is not None and side is SideName.REVISION:
            details["base_pointer"] = base_pointer
            details["base_location"] = self.base.location(base_pointer)
        if not isinstance(counter_example, NoExample):
            details["counter_example"] = counter_example
        return Finding(
            rule_id=rule_id,
            level=level,
            message=message,
            location=self.side(side).location(pointer),
            operation=None if operation is None else operation_label(operation),
            details=Details.of(**details),
        )


def operation_label(op: OperationSide) -> str:
    """``GET /pets/{petId}``; webhooks and callbacks say so."""
    if op.group:
        return f"CALLBACK {op.group} {op.method.upper()} {op.path}"
    if not op.path.startswith("/") and op.pointer.startswith("/webhooks"):
        return f"WEBHOOK {op.method.upper()} {op.path}"
    return f"{op.method.upper()} {op.path}"
