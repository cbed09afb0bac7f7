"""Schema changes, judged by the engine in the direction that matters.

For one schema that changed (a parameter's, a body's, a header's) :func:`schema_findings` asks
the engine two questions: the *harmful* one (requests: does the new schema accept every old
request? responses: does the old client accept every new response?) and the reverse. Every
reason of the harmful answer is a breaking finding with its counter-example (a warning when the
engine could not decide); every reason of the reverse answer is an info finding (something the
change newly allows or forbids without harm). A parallel walk of both schemas adds what the
engine does not see as a difference in accepted instances: properties added or removed, required
flags, deprecation, defaults, readOnly/writeOnly, discriminators. The engine's reasons inside a
property that was added or removed are folded into that one finding.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Final, cast

from apigov.core import jsonptr
from apigov.core._types import JSONValue
from apigov.core.findings import Finding, Level, Notes
from apigov.diff.tree import OperationSide, SchemaPair
from apigov.rules._families import (
    BY_KEY,
    ENGINE_KINDS,
    TOLERATED,
    Context,
    Family,
    disjoint_types,
    single_value,
)
from apigov.rules._walk import node_at, parse_date
from apigov.rules.context import CheckContext, SideName
from apigov.rules.openapi import discriminator, media, wire
from apigov.rules.openapi.ids import PLACE_IDS, REMOVED_BEFORE_SUNSET, SUNSET_DELETED, SUNSET_PARSE
from apigov.rules.openapi.wire import Wire
from apigov.rules.rule import Judged
from apigov.schema.compat import NO_EXAMPLE, UNCONFIRMED, NoExample, Reason, Status, Verdict

MAX_DEPTH: Final = 48
MAX_EVENTS: Final = 2000


@dataclass(frozen=True, slots=True)
class SchemaSite:
    """A changed schema in its place: the context (which ids), the pair, and a label for messages
    (``request body application/json``, ``query parameter 'limit'``)."""

    context: Context
    pair: SchemaPair
    operation: OperationSide | None
    label: str
    base_root: str = ""
    revision_root: str = ""
    wire: tuple[Wire, Wire] | None = None
    media: str | None = None
    """A body's media type: a counter-example must be a body of that type (rules/openapi/media.py)."""
    """A parameter's serialisation (base, revision): its schemas are judged as text on the wire."""


@dataclass(slots=True)
class _Located:
    """Where an instance path leads in one schema: the schema pointer, its node, refs followed."""

    pointer: str
    node: JSONValue
    chain: tuple[str, ...] = ()
    """The ``$ref`` followed to get here (shared by the places reached the same way)."""


def schema_findings(ctx: CheckContext, site: SchemaSite) -> Iterator[Finding]:
    direction = site.context.direction
    harmful = ctx.verdict(site.pair, direction, harmful=True)
    benign = ctx.verdict(site.pair, direction, harmful=False)
    if site.wire is not None:
        harmful, benign = wire.judge(ctx, site.pair, direction, site.wire, (harmful, benign))
    if site.media is not None:
        harmful = media.on_the_media(harmful, site.media)
    bodies = site.context.key in ("request-body", "response-body")
    events = list(_walk(ctx, site)) if bodies else []
    events += _root_extensible(ctx, site)
    if bodies:
        events += _engine_events(ctx, site, events, harmful, benign)
    taken: set[tuple[int, str]] = set()
    emitted: set[tuple[str, str]] = set()
    # The walk visits a shared component once; the engine's reasons at the other instance paths
    # through it belong to the same events: matched by the schema place they lead to.
    places: dict[str, set[str]] = {}
    for e in events:
        places.setdefault(_event_place(e), set()).add(e.kind)
    # One finding per (id, schema place): a shared component reached through many instance
    # paths of this schema is one change, reported once with how many places it reaches.
    found: dict[tuple[str, str], Finding] = {}
    reached: Counter[tuple[str, str]] = Counter()

    harmful_under, benign_under = _by_prefix(harmful.reasons), _by_prefix(benign.reasons)
    for event in events:
        inside = _folding(event.kind, event.path, harmful_under)
        for r in inside:
            taken.add((id(r), r.path))
        for r in _folding(event.kind, event.path, benign_under):
            taken.add((id(r), r.path))
        finding = _event_finding(ctx, site, event, inside)
        if finding is not None:
            key = (finding.rule_id, _event_place(event))
            reached[key] += 1
            found.setdefault(key, finding)

    for verdict, is_harmful in ((harmful, True), (benign, False)):
        old_first = (direction == "request") == is_harmful
        for reason in verdict.reasons:
            if (id(reason), reason.path) in taken:
                continue
            if reason.kind == "property-added-to-open-model" and not ctx.options.strict_open_model:
                continue  # an open model's unknown property is no contract (see DiffOptions)
            place = _schema_place(ctx, site, reason.path) if places else ""
            if places and _inside_event(place, places, reason):
                continue
            if not bodies and reason.kind == "property-became-required":
                family = BY_KEY["schema"]
            else:
                family = _family(ctx, site, reason)
            suffix = family.narrow if old_first else family.widen
            if family.key == "closed":  # said of the object, found at a made-up property name
                reason = replace(reason, path=reason.path.rsplit("/", 1)[0])
            prefix = site.context.property_prefix if reason.path else site.context.root_prefix
            rule_id = PLACE_IDS[(prefix, suffix)]
            if (rule_id, reason.path) in emitted:
                continue
            emitted.add((rule_id, reason.path))
            key = (rule_id, place or _schema_place(ctx, site, reason.path))
            reached[key] += 1
            if key not in found:
                found[key] = _reason_finding(ctx, site, rule_id, family, reason, is_harmful, old_first)
    ctx.memo.pop(_LOCATED, None)  # instance paths of this site's schemas: no other site asks
    for key, finding in found.items():
        if reached[key] > 1:
            finding = replace(finding, details=finding.details.updated(instance_paths=reached[key]))
        yield finding


_LOCATED: Final = ("located",)
"""``ctx.memo`` key of :func:`_locate`'s answers for the site being judged."""


def _schema_place(ctx: CheckContext, site: SchemaSite, path: str) -> str:
    """The schema node an instance path leads to (the revision's, else the base's)."""
    new = _locate(ctx, SideName.REVISION, site.pair.revision, path)
    if new is not None:
        return "revision:" + new.pointer
    old = _locate(ctx, SideName.BASE, site.pair.base, path)
    return "base:" + old.pointer if old is not None else "path:" + path


def _root_extensible(ctx: CheckContext, site: SchemaSite) -> list[_Event]:
    """``x-extensible-enum`` of the schema itself (a property's is compared by the walk)."""
    old = _locate(ctx, SideName.BASE, site.pair.base, "")
    new = _locate(ctx, SideName.REVISION, site.pair.revision, "")
    if old is None or new is None or not isinstance(old.node, dict) or not isinstance(new.node, dict):
        return []
    return list(_extensible(old.node.get(EXTENSIBLE), new.node.get(EXTENSIBLE), old.pointer, new.pointer, ""))


def _engine_events(
    ctx: CheckContext, site: SchemaSite, events: list[_Event], harmful: Verdict, benign: Verdict
) -> list[_Event]:
    """Properties added or removed where the walk does not go (inside ``anyOf``/``oneOf``), as
    the engine found them: the schema that has the property is the second of its comparison."""
    walked = {e.path for e in events if e.kind in ("added", "removed")}
    extra: list[_Event] = []
    request = site.context.direction == "request"
    for verdict, is_harmful in ((harmful, True), (benign, False)):
        in_new = request == is_harmful  # old ⊆ new: the property is the new schema's
        for reason in verdict.reasons:
            path = reason.path
            if reason.kind != "property-added-to-open-model" or not path:
                continue
            if _within(path, walked):
                continue
            walked.add(path)
            side, root = (
                (SideName.REVISION, site.pair.revision) if in_new else (SideName.BASE, site.pair.base)
            )
            here = _locate(ctx, side, root, path)
            parent = _locate(ctx, side, root, path.rpartition("/")[0])
            if here is None or parent is None:
                continue
            required = parent.node.get("required") if isinstance(parent.node, dict) else None
            name = jsonptr.unescape(path.rpartition("/")[2])
            is_required = isinstance(required, list) and name in required
            if in_new:
                extra.append(_Event("added", path, None, here.pointer, is_required))
            else:
                extra.append(_Event("removed", path, here.pointer, None, is_required))
    return extra


def _event_place(event: _Event) -> str:
    return "revision:" + event.revision if event.revision is not None else "base:" + str(event.base)


_FLAGS: Final = frozenset({"required", "optional"})
_NOT_FOLDING: Final = _FLAGS | {"annotation"}


def _by_prefix(reasons: tuple[Reason, ...]) -> dict[str, list[Reason]]:
    """The reasons at or under each instance path (in their order), so that an event finds its
    own without testing every reason against every event of a large schema."""
    index: dict[str, list[Reason]] = {}
    for reason in reasons:
        path = reason.path
        index.setdefault(path, []).append(reason)
        at = path.find("/")
        while at != -1:
            index.setdefault(path[:at], []).append(reason)
            at = path.find("/", at + 1)
    return index


def _folding(kind: str, path: str, under: dict[str, list[Reason]]) -> list[Reason]:
    """The engine's reasons (``under``: :func:`_by_prefix`) that are part of the walk's event
    (``kind`` at instance ``path``), in their order: anything inside a property added or
    removed; for a required flag only the engine's own "became required" at that property (a
    change inside it stays a change of its own)."""
    if kind in _FLAGS:
        return [r for r in under.get(path, ()) if r.path == path and r.kind == "property-became-required"]
    if kind == "annotation":  # deprecated, default, discriminator: says nothing of the values
        return []
    return under.get(path, [])


def _inside_event(place: str, places: dict[str, set[str]], reason: Reason) -> bool:
    """:func:`_folding` by schema place: for reasons at other instance paths through the same
    shared component."""
    kinds = places.get(place, set())
    if kinds - _NOT_FOLDING or (kinds & _FLAGS and reason.kind == "property-became-required"):
        return True
    head = place
    while "/" in head:
        head = head.rsplit("/", 1)[0]
        if places.get(head, set()) - _NOT_FOLDING:
            return True
    return False


def _within(path: str, prefixes: set[str]) -> bool:
    """Whether ``path`` is one of ``prefixes`` or under one (followed by ``/``)."""
    if path in prefixes:
        return True
    at = path.find("/")
    while at != -1:
        if path[:at] in prefixes:
            return True
        at = path.find("/", at + 1)
    return False


def _family(ctx: CheckContext, site: SchemaSite, reason: Reason) -> Family:
    # a kind no family names is "changed" when proven, "undecided" only when the engine could not decide
    if reason.kind == wire.WIDENED:
        return BY_KEY["type-narrowed"]
    fallback = "schema" if reason.status is Status.NOT_SUBSET else "undecided"
    key = ENGINE_KINDS.get(reason.kind, fallback)
    if key == "enum-value":  # one value replaced by another: a changed constant, not a grown enum
        old = _locate(ctx, SideName.BASE, site.pair.base, reason.path)
        new = _locate(ctx, SideName.REVISION, site.pair.revision, reason.path)
        if old is not None and new is not None:
            (was_one, was), (is_one, now) = single_value(old.node), single_value(new.node)
            if was_one and is_one and was != now:
                key = "const"
    if key == "type-narrowed":
        old = _locate(ctx, SideName.BASE, site.pair.base, reason.path)
        new = _locate(ctx, SideName.REVISION, site.pair.revision, reason.path)
        if old is not None and new is not None and disjoint_types(old.node, new.node):
            key = "type-changed"
    return BY_KEY[key]


def _reason_finding(
    ctx: CheckContext,
    site: SchemaSite,
    rule_id: str,
    family: Family,
    reason: Reason,
    harmful: bool,
    old_first: bool,
) -> Finding:
    old = _locate(ctx, SideName.BASE, site.pair.base, reason.path)
    new = _locate(ctx, SideName.REVISION, site.pair.revision, reason.path)
    text = family.narrow_text if old_first else family.widen_text
    values = _values(family, old, new)
    where = _where(site, reason.path)
    details: Notes = {}
    counter: JSONValue | NoExample = NO_EXAMPLE
    judged: Judged | None = None  # a change in the direction that harms nobody: the rule's info
    if harmful and reason.status is Status.NOT_SUBSET and not isinstance(reason.counter_example, NoExample):
        # a tolerated change (a response enum value added) stays at its rule's warning
        judged = None if rule_id in TOLERATED else Judged.PROVEN
        counter = reason.counter_example
    elif harmful:
        judged = Judged.UNDECIDED
        details["undecided"] = True
        if UNCONFIRMED in reason.detail or reason.detail.startswith((wire.UNDECIDED, media.NOT_EXPRESSIBLE)):
            details["undecided_why"] = reason.detail
    else:
        judged = Judged.HARMLESS
    if reason.kind == wire.WIDENED:
        text += " on the wire"
    message = f"{where}: {text}{values}"
    if harmful and reason.detail.startswith(wire.SENT_AS):
        details["wire"] = reason.detail.removeprefix(wire.SENT_AS)
        message += f"; {reason.detail}"
    if judged is Judged.UNDECIDED or (harmful and judged is None and rule_id in TOLERATED):
        message += " (apigov cannot decide whether old clients are affected)"
    if reason.detail and family.key in ("undecided", "schema"):
        details["engine"] = f"{reason.kind}: {reason.detail}"
    chain = (new or old).chain if (new or old) is not None else ()  # type: ignore[union-attr]
    if chain:
        details["ref_chain"] = tuple(chain)
    if reason.path:
        details["instance_path"] = reason.path
    pointer, side = (
        (new.pointer, SideName.REVISION) if new is not None else (site.pair.revision, SideName.REVISION)
    )
    return ctx.finding(
        rule_id,
        message,
        side=side,
        pointer=pointer,
        judged=judged,
        operation=site.operation,
        base_pointer=old.pointer if old is not None else site.pair.base,
        counter_example=counter,
        **details,
    )


def _where(site: SchemaSite, path: str) -> str:
    if not path:
        return site.label
    shown = ".".join(jsonptr.split(path)).replace(".0", "[]")
    return f"{site.label} property '{shown}'"


def _values(family: Family, old: _Located | None, new: _Located | None) -> str:
    if not family.keywords or old is None or new is None:
        return ""
    parts = []
    for keyword in family.keywords:
        a = old.node.get(keyword) if isinstance(old.node, dict) else None
        b = new.node.get(keyword) if isinstance(new.node, dict) else None
        if a != b:
            parts.append(f"{keyword} {_short(a)} -> {_short(b)}")
    return f" ({'; '.join(parts)})" if parts else ""


def _short(value: JSONValue) -> str:
    if value is None:
        return "unset"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


# --- where an instance path leads in a schema ---------------------------------------------------


def _locate(ctx: CheckContext, side: SideName, pointer: str, path: str) -> _Located | None:
    """Follow the instance ``path`` through ``properties``/``items`` (and ``$ref``, ``allOf``).

    Memoised per site by (side, schema, path) (see :func:`schema_findings`), and built from
    the parent path's answer, so the many instance paths through one shared component cost one
    step each."""
    key = (side, pointer, path)
    memo = cast("dict[tuple[SideName, str, str], _Located | None]", ctx.memo.setdefault(_LOCATED, {}))
    if key in memo:
        return memo[key]
    data = ctx.side(side).data
    here: _Located | None
    if not path:
        node = node_at(data, pointer)
        here = None if node is None else _follow(data, _Located(pointer, node))
    else:
        parent, _, token = path.rpartition("/")
        above = _locate(ctx, side, pointer, parent)
        here = None if above is None else _step_from(ctx, side, above, token)
    memo[key] = here
    return here


def _step_from(ctx: CheckContext, side: SideName, above: _Located, token: str) -> _Located | None:
    """:func:`_step`, memoised per schema node: instance paths of many sites (and many paths of
    one site) run through the same shared component."""
    key = ("step", side, above.pointer, token)
    memo = ctx.memo
    if key in memo:
        step = cast("_Located | None", memo[key])
    else:
        step = memo[key] = _step(
            ctx.side(side).data, _Located(above.pointer, above.node), jsonptr.unescape(token), 0
        )
    if step is None or not above.chain:
        return step
    return _Located(step.pointer, step.node, above.chain + step.chain if step.chain else above.chain)


def _follow(data: JSONValue, here: _Located) -> _Located:
    hops = 0
    while isinstance(here.node, dict) and isinstance(here.node.get("$ref"), str) and hops < 32:
        ref = here.node["$ref"]
        assert isinstance(ref, str)
        if not ref.startswith("#"):
            break
        target = jsonptr.from_fragment(ref[1:])
        try:
            node = jsonptr.resolve_tokens(data, _tokens(target))
        except (KeyError, IndexError, ValueError, LookupError):
            break
        here = _Located(target, node, (*here.chain, ref))
        hops += 1
    return here


@lru_cache(maxsize=4096)
def _tokens(pointer: str) -> tuple[str, ...]:
    return tuple(jsonptr.split(pointer))


def _step(data: JSONValue, here: _Located, token: str, depth: int) -> _Located | None:
    node = here.node
    if not isinstance(node, dict) or depth > 8:
        return None
    props = node.get("properties")
    if isinstance(props, dict) and token in props:
        return _follow(
            data, _Located(jsonptr.join(here.pointer, "properties", token), props[token], here.chain)
        )
    if token.isdigit() and "items" in node:
        return _follow(data, _Located(jsonptr.join(here.pointer, "items"), node["items"], here.chain))
    for keyword in ("allOf", "oneOf", "anyOf"):
        branches = node.get(keyword)
        if isinstance(branches, list):
            for i, branch in enumerate(branches):
                inner = _follow(data, _Located(jsonptr.join(here.pointer, keyword, i), branch, here.chain))
                found = _step(data, inner, token, depth + 1)
                if found is not None:
                    return found
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):  # a map's value, under any key
        return _follow(data, _Located(jsonptr.join(here.pointer, "additionalProperties"), extra, here.chain))
    return None


# --- the parallel walk: properties, required, annotations -----------------------------------------


@dataclass(frozen=True, slots=True)
class _Event:
    kind: str  # added, removed, required, optional, read-only, write-only, annotation
    path: str
    base: str | None
    revision: str | None
    required: bool = False  # of a property; of a discriminator change: whether it dispatches
    field: str = ""
    old: JSONValue = None
    new: JSONValue = None


@dataclass(slots=True)
class _Shape:
    properties: dict[str, tuple[JSONValue, str]]
    required: set[str]
    pointer: str
    node: dict[str, JSONValue]


def _shape(data: JSONValue, here: _Located, depth: int = 0) -> _Shape | None:
    here = _follow(data, here)
    node = here.node
    if not isinstance(node, dict):
        return None
    shape = _Shape({}, set(), here.pointer, node)
    props = node.get("properties")
    if isinstance(props, dict):
        for name, value in props.items():
            shape.properties[name] = (value, jsonptr.join(here.pointer, "properties", name))
    required = node.get("required")
    if isinstance(required, list):
        shape.required |= {r for r in required if isinstance(r, str)}
    conjuncts = node.get("allOf")
    if isinstance(conjuncts, list) and depth < 8:
        for i, conjunct in enumerate(conjuncts):
            inner = _shape(data, _Located(jsonptr.join(here.pointer, "allOf", i), conjunct), depth + 1)
            if inner is not None:
                for name, member in inner.properties.items():
                    shape.properties.setdefault(name, member)
                shape.required |= inner.required
    return shape


@dataclass(frozen=True, slots=True)
class _Pair:
    """One step of the walk, the same for every site that reaches it (memoised per diff): the
    events of a pair of object schemas, with paths relative to it, and the pairs below it that
    are not written the same (those that are cannot hold a change)."""

    key: tuple[str, str]
    events: tuple[_Event, ...]
    children: tuple[tuple[str, _Located, _Located], ...]
    size: int


def _walk(ctx: CheckContext, site: SchemaSite) -> Iterator[_Event]:
    drop = "readOnly" if site.context.direction == "request" else "writeOnly"
    old_data, new_data = ctx.base.data, ctx.revision.data
    seen: set[tuple[str, str]] = set()
    count = 0
    stack = [
        (
            _Located(site.pair.base, node_at(old_data, site.pair.base)),
            _Located(site.pair.revision, node_at(new_data, site.pair.revision)),
            "",
            0,
        )
    ]
    old_root, new_root = stack[0][0], stack[0][1]  # the body's own default (a property's is in its pair)
    roots = (old_root.node, old_root.pointer), (new_root.node, new_root.pointer)
    yield from (e for e in _annotations(old_data, roots[0], new_data, roots[1], "") if e.field == "default")
    while stack:
        old_here, new_here, path, depth = stack.pop()
        if depth > MAX_DEPTH or count > MAX_EVENTS:
            continue
        pair = _pair(ctx, old_here, new_here, drop)
        if pair is None or pair.key in seen:
            continue
        seen.add(pair.key)
        count += pair.size
        for e in pair.events:
            yield _Event(e.kind, path + e.path, e.base, e.revision, e.required, e.field, e.old, e.new)
        for sub, a, b in pair.children:
            stack.append((a, b, path + sub, depth + 1))


def _pair(ctx: CheckContext, old_here: _Located, new_here: _Located, drop: str) -> _Pair | None:
    key = ("walk", drop, old_here.pointer, new_here.pointer)
    if key in ctx.memo:
        return cast("_Pair | None", ctx.memo[key])
    old_data, new_data = ctx.base.data, ctx.revision.data
    old = _shape(old_data, old_here)
    new = _shape(new_data, new_here)
    if old is None or new is None:
        ctx.memo[key] = None
        return None
    events = list(_discriminator(old, new, ""))
    children: list[tuple[str, _Located, _Located]] = []
    names = sorted(set(old.properties) | set(new.properties))
    for name in names:
        sub = "/" + jsonptr.escape(name)
        a = old.properties.get(name)
        b = new.properties.get(name)
        a_gone = a is not None and _flag(old_data, a[0], drop)
        b_gone = b is not None and _flag(new_data, b[0], drop)
        if a is None or a_gone:
            if b is not None and not b_gone:
                events.append(_Event("added", sub, None, b[1], name in new.required))
            continue
        if b is None:
            events.append(_Event("removed", sub, a[1], None, name in old.required))
            continue
        if b_gone:
            events.append(_Event(drop, sub, a[1], b[1], name in old.required))
            continue
        if (name in old.required) != (name in new.required):
            events.append(_Event("required" if name in new.required else "optional", sub, a[1], b[1]))
        if not ctx.same(a[1], b[1]):
            events.extend(_annotations(old_data, a, new_data, b, sub))
            children.append((sub, _Located(a[1], a[0]), _Located(b[1], b[0])))
    old_items, new_items = old.node.get("items"), new.node.get("items")
    if isinstance(old_items, dict) and isinstance(new_items, dict):
        a_items, b_items = jsonptr.join(old.pointer, "items"), jsonptr.join(new.pointer, "items")
        if not ctx.same(a_items, b_items):
            children.append(("/0", _Located(a_items, old_items), _Located(b_items, new_items)))
    pair = _Pair((old.pointer, new.pointer), tuple(events), tuple(children), len(names))
    ctx.memo[key] = pair
    return pair


def _flag(data: JSONValue, schema: JSONValue, flag: str) -> bool:
    node = _follow(data, _Located("", schema)).node
    return (isinstance(schema, dict) and schema.get(flag) is True) or (
        isinstance(node, dict) and node.get(flag) is True
    )


SUNSET: Final = "x-sunset"
_ANNOTATIONS: Final = ("deprecated", "default", SUNSET)


def _annotations(
    old_data: JSONValue, a: tuple[JSONValue, str], new_data: JSONValue, b: tuple[JSONValue, str], path: str
) -> Iterator[_Event]:
    old = _follow(old_data, _Located(a[1], a[0]))
    new = _follow(new_data, _Located(b[1], b[0]))
    for keyword in _ANNOTATIONS:
        x = _own(a[0], old.node, keyword)
        y = _own(b[0], new.node, keyword)
        if x != y:
            flag = keyword == SUNSET and _own(b[0], new.node, "deprecated") is True  # still deprecated
            yield _Event("annotation", path, a[1], b[1], flag, field=keyword, old=x, new=y)
    yield from _extensible(
        _own(a[0], old.node, EXTENSIBLE), _own(b[0], new.node, EXTENSIBLE), a[1], b[1], path
    )


EXTENSIBLE: Final = "x-extensible-enum"
"""Values an API may grow (Zalando's guideline): not validated, but promised; clients must accept
values beyond the list, servers must keep accepting those listed."""


def _extensible(old: JSONValue, new: JSONValue, base: str, revision: str, path: str) -> Iterator[_Event]:
    if old == new or (not isinstance(old, list) and not isinstance(new, list)):
        return
    before = old if isinstance(old, list) else []
    after = new if isinstance(new, list) else []
    removed = [v for v in before if v not in after]
    added = [v for v in after if v not in before]
    if removed:
        yield _Event("annotation", path, base, revision, field=EXTENSIBLE + "-removed", old=removed)
    if added:
        yield _Event("annotation", path, base, revision, field=EXTENSIBLE + "-added", new=added)


def _own(written: JSONValue, target: JSONValue, keyword: str) -> JSONValue:
    """A property's annotation: written beside its ``$ref`` (3.1) or on the schema it names."""
    if isinstance(written, dict) and keyword in written:
        return written[keyword]
    if isinstance(target, dict):
        return target.get(keyword)
    return None


def _discriminator(old: _Shape, new: _Shape, path: str) -> Iterator[_Event]:
    base, revision = jsonptr.join(old.pointer, "discriminator"), jsonptr.join(new.pointer, "discriminator")
    for c in discriminator.changes(old.node, new.node):
        yield _Event("annotation", path, base, revision, c.dispatches, c.field, c.old, c.new)


# --- events to findings ---------------------------------------------------------------------------


def _event_finding(
    ctx: CheckContext, site: SchemaSite, event: _Event, proofs: list[Reason]
) -> Finding | None:
    """The finding for a walk event; the engine's reasons inside it decide whether it is proven."""
    request = site.context.direction == "request"
    if not ctx.options.strict_open_model:  # an open model's unknown property is not a contract
        proofs = [r for r in proofs if r.kind != "property-added-to-open-model"]
    proof = next(
        (r for r in proofs if r.status is Status.NOT_SUBSET and not isinstance(r.counter_example, NoExample)),
        None,
    )
    undecided = any(r.status is Status.UNKNOWN for r in proofs)
    rule_id, judged, text = _event_rule(event, request, site.context)
    if event.kind == "removed" and event.base is not None:
        written = ctx.node(SideName.BASE, event.base)
        sunset = parse_date(_own(written, _follow(ctx.base.data, _Located(event.base, written)).node, SUNSET))
        if sunset is not None and sunset > ctx.options.today:
            rule_id = PLACE_IDS[(site.context.property_prefix, REMOVED_BEFORE_SUNSET)]
            judged, text = None, f"property removed before its sunset date {sunset.isoformat()}"
    if rule_id is None:
        return None
    details: Notes = {}
    counter: JSONValue | NoExample = NO_EXAMPLE
    if proof is not None and not isinstance(proof.counter_example, NoExample):
        judged, counter = Judged.PROVEN, proof.counter_example
    elif (
        ctx.catalogue[rule_id].level_for(judged=judged) is Level.BREAKING
        and not event.field.startswith((EXTENSIBLE, "discriminator", SUNSET))
        and not rule_id.endswith(REMOVED_BEFORE_SUNSET)
    ):
        # (a promise of x-extensible-enum, a discriminator's dispatch, a sunset date: broken by the
        # keyword or the removal itself, no instance to show)
        judged = Judged.UNDECIDED if undecided else Judged.UNPROVEN
        if undecided:
            details["undecided"] = True
        else:
            details["unproven"] = True
    if event.path:  # where the counter-example differs (reports cut it around this place)
        details["instance_path"] = event.path
    pointer = event.revision if event.revision is not None else event.base
    side = SideName.REVISION if event.revision is not None else SideName.BASE
    assert pointer is not None
    return ctx.finding(
        rule_id,
        f"{_where(site, event.path)}: {text}",
        side=side,
        pointer=pointer,
        judged=judged,
        operation=site.operation,
        base_pointer=event.base,
        counter_example=counter,
        **details,
    )


def _event_rule(event: _Event, request: bool, context: Context) -> tuple[str | None, Judged | None, str]:
    prefix = context.property_prefix if event.path else context.root_prefix
    kind = event.kind
    if kind == "added":
        if request:
            if event.required:
                return "new-required-request-property", None, "new required property"
            return "new-optional-request-property", None, "new optional property"
        if event.required:
            return "response-required-property-added", None, "new required property"
        return "response-optional-property-added", None, "new optional property"
    if kind == "removed":
        if request:
            return "request-property-removed", None, "property removed"
        if event.required:
            return "response-required-property-removed", None, "required property removed"
        return "response-optional-property-removed", None, "optional property removed"
    if kind == "required":
        if request:
            return "request-property-became-required", None, "became required"
        return "response-property-became-required", None, "became required"
    if kind == "optional":
        if request:
            return "request-property-became-optional", None, "became optional"
        return "response-property-became-optional", None, "became optional"
    if kind == "readOnly":
        return "request-property-became-read-only", None, "became read-only (clients may no longer send it)"
    if kind == "writeOnly":
        judged = None if event.required else Judged.UNPROVEN  # optional: clients cope without it
        return "response-property-became-write-only", judged, "became write-only (no longer in responses)"
    return _annotation_rule(event, prefix, request)


def _annotation_rule(event: _Event, prefix: str, request: bool) -> tuple[str | None, Judged | None, str]:
    old, new = _short(event.old), _short(event.new)
    if event.field == "deprecated":
        if event.new is True:
            return PLACE_IDS[(prefix, "deprecated")], None, "deprecated"
        if event.old is True:
            return PLACE_IDS[(prefix, "reactivated")], None, "no longer deprecated"
        return None, None, ""
    if event.field == "default":
        if not request:
            return None, None, ""
        if event.old is None:
            return PLACE_IDS[(prefix, "default-value-added")], None, f"default value {new} added"
        if event.new is None:
            return PLACE_IDS[(prefix, "default-value-removed")], None, f"default value {old} removed"
        return (
            PLACE_IDS[(prefix, "default-value-changed")],
            None,
            f"default value changed from {old} to {new}",
        )
    if event.field == SUNSET:
        if event.new is not None and parse_date(event.new) is None:
            return PLACE_IDS[(prefix, SUNSET_PARSE)], None, f"x-sunset {new} is not an RFC 3339 date"
        if event.new is None and event.required:
            return PLACE_IDS[(prefix, SUNSET_DELETED)], None, "x-sunset removed from a deprecated property"
        return None, None, ""
    if event.field == EXTENSIBLE + "-removed":
        return (
            PLACE_IDS[(prefix, "x-extensible-enum-value-removed")],
            None,
            f"x-extensible-enum value {old} removed",
        )
    if event.field == EXTENSIBLE + "-added":
        return (
            PLACE_IDS[(prefix, "x-extensible-enum-value-added")],
            None,
            f"x-extensible-enum value {new} added",
        )
    root = prefix.replace("-property", "-body") if prefix.endswith("-property") else prefix
    if event.field.startswith("discriminator"):
        change = discriminator.Change(event.field, event.old, event.new, event.required)
        return discriminator.rule(change, root, old, new)
    return None, None, ""
