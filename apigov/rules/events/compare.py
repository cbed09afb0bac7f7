"""Two versions of an event schema, judged in the directions a mode asks for.

:func:`schema_changes` compares two JSON Schemas (a whole document or a message's payload or
headers) with the engine, once per direction: *backward* (writer: the old schema, reader: the
new one; what the change narrowed) and *forward* (writer: the new schema, reader: the old one;
what it widened). Each reason of a direction the mode asks for is ``breaking`` with a
counter-example (the engine's, else one :mod:`apigov.rules.events.witness` finds and checks),
``warning`` without; each reason of the other direction is ``info``. A property added to an
open content model is ``info`` unless the strict open-model setting is on.

:func:`avro_changes` does the same with the Avro specification's schema resolution
(:func:`apigov.schema.avro.can_read`): backward, a reader on the new schema reads data written with
the old one; forward, the other way round.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Final, Unpack, cast

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.core.findings import Details, Facts, Finding, Level, Notes
from apigov.rules._families import ENGINE_KINDS, Family, disjoint_types, single_value
from apigov.rules._walk import node_at
from apigov.rules.context import DiffOptions, Side
from apigov.rules.events.ids import BY_FAMILY, CONTENT_KINDS, schema_rule_id
from apigov.rules.events.witness import Oracle, find
from apigov.rules.rule import Judged, Rule
from apigov.schema.compat import NO_EXAMPLE, UNCONFIRMED, Comparator, NoExample, Reason, Status
from apigov.schema.modes import Mode

BACKWARD: Final = "backward"
FORWARD: Final = "forward"
_OPEN_MODEL: Final = "property-added-to-open-model"
MAX_SEARCHES: Final = 64
"""Differences per pair of versions for which a counter-example is searched; the others stay warnings."""


@dataclass(slots=True)
class Pair:
    """An earlier version (``old``) and the version under review (``new``); ``mode`` ``None``
    means per message (AsyncAPI); ``against`` names ``old`` when it is not the version just
    before ``new`` (transitive modes)."""

    old: Side
    new: Side
    mode: Mode | None
    options: DiffOptions
    catalogue: Mapping[str, Rule]
    """Every event rule by id: a finding takes its level from here."""
    against: str | None = None
    searches: int = MAX_SEARCHES
    """Counter-example searches left for this pair of versions (each is bounded on its own)."""
    _sessions: dict[str, Comparator] = field(default_factory=dict)
    _oracles: dict[str, Oracle] = field(default_factory=dict)

    def session(self, direction: str) -> Comparator:
        found = self._sessions.get(direction)
        if found is None:
            if direction == BACKWARD:
                found = Comparator(self.old.resolve, self.new.resolve)
            else:
                found = Comparator(self.new.resolve, self.old.resolve)
            self._sessions[direction] = found
        return found

    def oracle(self, which: str) -> Oracle:
        found = self._oracles.get(which)
        if found is None:
            found = self._oracles[which] = Oracle(self.old if which == "old" else self.new)
        return found

    def finding(
        self,
        rule_id: str,
        message: str,
        *,
        on_new: bool,
        pointer: str,
        judged: Judged | None = None,
        operation: str | None = None,
        counter_example: JSONValue | NoExample = NO_EXAMPLE,
        base_pointer: str | None = None,
        **notes: Unpack[Notes],
    ) -> Finding:
        level = self.catalogue[rule_id].level_for(judged=judged)
        side = self.new if on_new else self.old
        details = cast(Facts, notes)  # every Notes is a Facts (the facts it lacks are optional)
        if base_pointer is not None:
            details["base_pointer"] = base_pointer
        details["side"] = "revision" if on_new else "base"
        if self.against is not None:
            details["against"] = self.against
            message += f" (against {self.against})"
        if self.mode is Mode.NONE and level is not Level.INFO:  # the mode, not the rule, decides
            details["mode_none_level"] = level
            level = Level.INFO
        if not isinstance(counter_example, NoExample):
            details["counter_example"] = counter_example
        return Finding(
            rule_id=rule_id,
            level=level,
            message=message,
            location=side.location(pointer),
            operation=operation,
            details=Details.of(**details),
        )


def directions(mode: Mode | None) -> frozenset[str]:
    """The directions ``mode`` asks for (none for ``NONE``)."""
    if mode is None or mode is Mode.NONE:
        return frozenset()
    found = set()
    if mode.backward:
        found.add(BACKWARD)
    if mode.forward:
        found.add(FORWARD)
    return frozenset(found)


# ---------------------------------------------------------------------- JSON Schema


@dataclass(frozen=True, slots=True)
class SchemaPlace:
    """Two schemas to compare: pointers on each side, the id prefix, a label for messages and
    the operation label findings are grouped under; ``seeds`` are documented instances (an
    AsyncAPI message's example payloads) for the counter-example search, per side."""

    old_pointer: str
    new_pointer: str
    prefix: str
    label: str
    operation: str | None = None
    old_seeds: tuple[JSONValue, ...] = ()
    new_seeds: tuple[JSONValue, ...] = ()
    details: Notes = field(default_factory=Notes)
    """Details every finding of this place carries (an AsyncAPI message's own mode)."""
    confirm: bool = True
    """Check the engine's counter-examples with a JSON Schema validator (not for OpenAPI schemas,
    whose ``nullable`` a validator does not know)."""


def schema_changes(pair: Pair, place: SchemaPlace, need: frozenset[str]) -> Iterator[Finding]:
    """Every difference between the two JSON Schemas at ``place``, judged for the ``need``ed directions."""
    old = node_at(pair.old.data, place.old_pointer)
    new = node_at(pair.new.data, place.new_pointer)
    kept: dict[tuple[str, str], Finding] = {}  # a symmetric id found both ways: the graver one
    for direction in (BACKWARD, FORWARD):
        session = pair.session(direction)
        verdict = session.is_subset(old, new) if direction == BACKWARD else session.is_subset(new, old)
        for reason in verdict.reasons:
            finding = _reason_finding(pair, place, reason, direction, direction in need)
            key = (finding.rule_id, reason.path)
            known = kept.get(key)
            if known is None or finding.level.rank > known.level.rank:
                kept[key] = finding
    yield from kept.values()


def _family(pair: Pair, place: SchemaPlace, reason: Reason) -> Family:
    # a kind no family names is "changed" when proven, "undecided" only when the engine could not decide
    fallback = "schema" if reason.status is Status.NOT_SUBSET else "undecided"
    key = CONTENT_KINDS.get(reason.kind) or ENGINE_KINDS.get(reason.kind, fallback)
    if key in ("type-narrowed", "enum-value"):
        a = _locate(pair.old, place.old_pointer, reason.path)
        b = _locate(pair.new, place.new_pointer, reason.path)
        if a is not None and b is not None and key == "type-narrowed" and disjoint_types(a[1], b[1]):
            key = "type-changed"
        elif a is not None and b is not None and key == "enum-value":
            (was_one, was), (is_one, now) = single_value(a[1]), single_value(b[1])
            key = "const" if was_one and is_one and was != now else key  # a replaced constant
    return BY_FAMILY[key]


def _reason_finding(pair: Pair, place: SchemaPlace, reason: Reason, direction: str, needed: bool) -> Finding:
    family = _family(pair, place, reason)
    narrow = direction == BACKWARD
    rule_id = schema_rule_id(place.prefix, family, narrow)
    text = family.narrow_text if narrow else family.widen_text
    old_at = _locate(pair.old, place.old_pointer, reason.path)
    new_at = _locate(pair.new, place.new_pointer, reason.path)
    details: Notes = {"direction": direction, "engine": reason.kind, **place.details}
    if reason.path:
        details["instance_path"] = reason.path
    counter: JSONValue | NoExample = NO_EXAMPLE
    lenient = reason.kind == _OPEN_MODEL and not pair.options.strict_open_model
    if lenient:
        judged = Judged.HARMLESS
        details["open_model"] = "lenient"
    elif not needed:  # a direction the mode does not ask about
        judged = Judged.HARMLESS
    elif (
        reason.status is Status.NOT_SUBSET
        and not isinstance(reason.counter_example, NoExample)
        and _confirmed(pair, place, reason.counter_example, direction)
    ):
        judged, counter = Judged.PROVEN, reason.counter_example
    else:
        counter = _witness(pair, place, reason, direction)
        if isinstance(counter, NoExample):
            judged = Judged.UNDECIDED
            details["undecided"] = True
            if UNCONFIRMED in reason.detail:  # a budget of the engine: say so
                details["undecided_why"] = reason.detail
        else:
            judged = Judged.PROVEN
            details["counter_example_source"] = "search"
    where = place.label
    if reason.path:
        shown = ".".join(jsonptr.split(reason.path))
        where += f" property '{shown}'"
    message = f"{where}: {text}{_values(family, old_at, new_at)}"
    if judged is Judged.UNDECIDED:
        message += f" (apigov cannot decide whether {'new' if narrow else 'old'} readers are affected)"
    if needed and judged is not Judged.HARMLESS:
        details["reader"] = "new" if narrow else "old"
    on_new = new_at is not None
    pointer = new_at[0] if new_at is not None else (old_at[0] if old_at is not None else place.old_pointer)
    base_pointer = old_at[0] if on_new and old_at is not None and pair.against is None else None
    return pair.finding(
        rule_id,
        message,
        on_new=on_new,
        pointer=pointer,
        judged=judged,
        operation=place.operation,
        counter_example=counter,
        base_pointer=base_pointer,
        **details,
    )


def _confirmed(pair: Pair, place: SchemaPlace, instance: JSONValue, direction: str) -> bool:
    """Whether a JSON Schema validator agrees that the writer accepts ``instance`` and the reader
    rejects it (``True`` also when the validator cannot tell: the engine has checked it)."""
    if not place.confirm:
        return True
    old = pair.oracle("old").valid(place.old_pointer, instance)
    new = pair.oracle("new").valid(place.new_pointer, instance)
    writer, reader = (old, new) if direction == BACKWARD else (new, old)
    return writer is not False and reader is not True


def _witness(pair: Pair, place: SchemaPlace, reason: Reason, direction: str) -> JSONValue | NoExample:
    if pair.searches <= 0 or UNCONFIRMED in reason.detail:  # a search would run out the same way
        return NO_EXAMPLE
    pair.searches -= 1
    if direction == BACKWARD:
        writer, w_ptr, reader, r_ptr, seeds = (
            pair.old,
            place.old_pointer,
            pair.new,
            place.new_pointer,
            place.old_seeds,
        )
        w_oracle, r_oracle = pair.oracle("old"), pair.oracle("new")
    else:
        writer, w_ptr, reader, r_ptr, seeds = (
            pair.new,
            place.new_pointer,
            pair.old,
            place.old_pointer,
            place.new_seeds,
        )
        w_oracle, r_oracle = pair.oracle("new"), pair.oracle("old")
    paths = [reason.path]
    parent = reason.path.rsplit("/", 1)[0] if reason.path else None
    if parent is not None and parent != reason.path:
        paths.append(parent)
    return find(
        writer, w_ptr, reader, r_ptr, paths, seeds=seeds, writer_oracle=w_oracle, reader_oracle=r_oracle
    )


def _locate(side: Side, pointer: str, path: str) -> tuple[str, JSONValue] | None:
    """The schema pointer and node that instance ``path`` leads to (properties, items, local
    ``$ref``, ``allOf``/``anyOf``/``oneOf`` branches); ``None`` where the schema has none."""
    here: tuple[str, JSONValue] | None = _follow(side, pointer, node_at(side.data, pointer))
    for token in jsonptr.split(path):
        if here is None:
            return None
        here = _step(side, here, token, 0)
    return here


def _follow(side: Side, pointer: str, node: JSONValue) -> tuple[str, JSONValue]:
    for _ in range(32):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#"):
            break
        target = jsonptr.from_fragment(ref[1:])
        found = node_at(side.data, target)
        if found is None:
            break
        pointer, node = target, found
    return pointer, node


def _step(side: Side, here: tuple[str, JSONValue], token: str, depth: int) -> tuple[str, JSONValue] | None:
    pointer, node = here
    if not isinstance(node, dict) or depth > 8:
        return None
    props = node.get("properties")
    if isinstance(props, dict) and token in props:
        at = jsonptr.join(pointer, "properties", token)
        return _follow(side, at, props[token])
    if token.isdigit() and isinstance(node.get("items"), (dict, bool)):
        return _follow(side, jsonptr.join(pointer, "items"), node["items"])
    for keyword in ("allOf", "anyOf", "oneOf"):
        branches = node.get(keyword)
        if isinstance(branches, list):
            for index, branch in enumerate(branches):
                inner = _follow(side, jsonptr.join(pointer, keyword, index), branch)
                found = _step(side, inner, token, depth + 1)
                if found is not None:
                    return found
    return None


def _values(family: Family, old: tuple[str, JSONValue] | None, new: tuple[str, JSONValue] | None) -> str:
    if not family.keywords or old is None or new is None or family.keywords == ("properties",):
        return ""
    parts = []
    for keyword in family.keywords:
        a = old[1].get(keyword) if isinstance(old[1], dict) else None
        b = new[1].get(keyword) if isinstance(new[1], dict) else None
        if a != b:
            parts.append(f"{keyword} {_short(a)} -> {_short(b)}")
    return f" ({'; '.join(parts)})" if parts else ""


def _short(value: JSONValue) -> str:
    if value is None:
        return "unset"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
