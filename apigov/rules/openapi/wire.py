"""Parameters as they travel: text, serialised per ``style`` and ``explode``, read back by a schema.

A query, path, header or cookie parameter is text on the wire. ``?x=3`` is the integer 3 to a
server whose schema says ``integer`` and the string ``"3"`` to one whose schema says ``string``;
``?x=a`` is the one-element array ``["a"]`` to a schema that says ``array`` (style ``form``).
The schema engine compares JSON values, so its counter-example for a parameter may be no
counter-example at all once sent. :func:`on_the_wire` judges each counter-example of the
harmful question as text: serialised by the sender's parameter definition and read back by the
receiver's. One the receiver reads as a valid value is refuted; the difference is then decided
again on the serialised forms (every scalar as the set of its texts) by the engine: no
difference (the change widens on the wire), a counter-example that is text a sender really
writes (breaking, shown as sent), or undecided (a warning saying why), never a silent pass.

A parameter written with ``content`` (say ``application/json``) is JSON text: it keeps the JSON
comparison.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Final
from urllib.parse import quote, unquote

from apigov.core._types import JSONValue
from apigov.diff.tree import SchemaPair
from apigov.rules.context import CheckContext, SideName
from apigov.schema.compat import NO_EXAMPLE, Comparator, NoExample, Reason, Status, Verdict
from apigov.schema.instances import accepts, example
from apigov.schema.model import Resolver

WIDENED: Final = "wire-type-widened"
"""Engine-style reason kind of a type difference that vanishes on the wire (the serialised texts
of every value sent are read as valid values): reported as a widening, never as breaking."""
SENT_AS: Final = "sent as "
"""Prefix of a reason's detail that says how its counter-example travels."""
UNDECIDED: Final = "on the wire: "
"""Prefix of a reason's detail that says why a wire difference is undecided."""

_INT: Final = "^-?(0|[1-9][0-9]*)$"
_NUM: Final = "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?$"
_NUMERIC_BOUNDS: Final = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
_STRING_KEYWORDS: Final = ("minLength", "maxLength", "pattern", "format")
_COMPOSED: Final = ("allOf", "anyOf", "oneOf", "not", "if", "then", "else", "$dynamicRef")
_MAX_DEPTH: Final = 6


@dataclass(frozen=True, slots=True)
class Wire:
    """How one side defines a parameter's serialisation."""

    name: str
    location: str
    style: str
    explode: bool
    required: bool


@dataclass(frozen=True, slots=True)
class Sender:
    """One side of a parameter as the engine sees it: its definition, schema and resolver."""

    wire: Wire
    schema: JSONValue
    resolve: Resolver


class _Absent:
    """Nothing on the wire for the parameter (an empty exploded array, an object with no member)."""


_ABSENT: Final = _Absent()
Pairs = list[tuple[str, str]]


# --- serialising ----------------------------------------------------------------------------------


def _text(value: JSONValue) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return json.dumps(value)
    return None  # null (left out, or sent empty: clients differ) and nested structures


def _atoms(values: list[JSONValue]) -> list[str] | None:
    texts = [_text(v) for v in values]
    if any(t is None for t in texts):
        return None
    return [quote(t, safe="") for t in texts if t is not None]


_DELIMITERS: Final = {"spaceDelimited": " ", "pipeDelimited": "|"}


def serialise(value: JSONValue, wire: Wire) -> Pairs | None:
    """The (name, text) pairs ``value`` travels as; texts percent-encoded, so a delimiter inside
    a value is not a delimiter. ``None``: the value has no serialisation (nested structures)."""
    name, style, explode = wire.name, wire.style, wire.explode
    if isinstance(value, dict):
        keys = list(value)
        atoms = _atoms([value[k] for k in keys])
        if atoms is None:
            return None
        names = [quote(k, safe="") for k in keys]
        if style == "deepObject":
            return [(f"{name}[{k}]", a) for k, a in zip(names, atoms, strict=True)]
        if style == "form" and explode:
            return list(zip(names, atoms, strict=True))
        inner = "=" if explode else ","
        text = ",".join(f"{k}{inner}{a}" for k, a in zip(names, atoms, strict=True))
        return [(name, _prefixed(text, wire, explode))]
    if isinstance(value, list):
        atoms = _atoms(value)
        if atoms is None:
            return None
        if wire.location in ("query", "cookie") and explode:
            return [(name, a) for a in atoms]
        if not atoms and wire.location in ("query", "cookie"):
            return []
        return [(name, _prefixed(_DELIMITERS.get(style, ",").join(atoms), wire, explode))]
    atom = _atoms([value])
    return None if atom is None else [(name, _prefixed(atom[0], wire, False))]


def _prefixed(text: str, wire: Wire, explode: bool) -> str:
    """``label`` and ``matrix`` path styles: ``.a.b`` / ``;x=a;x=b`` (read back by :func:`_body`)."""
    if wire.style == "label":
        return "." + (text.replace(",", ".") if explode else text)
    if wire.style == "matrix":
        sep = f";{wire.name}=" if explode else ","
        return f";{wire.name}=" + text.replace(",", sep)
    return text


# --- reading back ---------------------------------------------------------------------------------


def _deref(node: JSONValue, resolve: Resolver) -> JSONValue:
    for _ in range(16):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(ref, str):
            return node
        try:
            node = resolve(ref)
        except (LookupError, ValueError):
            return None
    return None


def _types(node: JSONValue) -> set[str]:
    if not isinstance(node, dict):
        return set()
    raw = node.get("type")
    found = (
        {raw}
        if isinstance(raw, str)
        else {t for t in raw if isinstance(t, str)}
        if isinstance(raw, list)
        else set()
    )
    if node.get("nullable") is True:
        found.add("null")
    return found


def _shape(node: JSONValue) -> str:
    types = _types(node) - {"null"}
    if types == {"array"}:
        return "array"
    if types == {"object"}:
        return "object"
    return "scalar"


def _body(pairs: Pairs, wire: Wire) -> str | None:
    """The single text of a ``simple``/``label``/``matrix`` (or non-exploded) parameter."""
    mine = [t for k, t in pairs if k == wire.name]
    if len(mine) != 1:
        return None
    text = mine[0]
    if wire.style == "label":
        return text[1:].replace(".", ",") if text.startswith(".") else None
    if wire.style == "matrix":
        head = f";{wire.name}="
        return text[len(head) :].replace(head, ",") if text.startswith(head) else None
    return text


#: Longer texts are read as strings only (Python's int() limit is 4,300 digits).
_LONGEST_NUMBER: Final = 4000


def _reads(text: str) -> Iterator[JSONValue]:
    """Every value a text may stand for, the string itself first."""
    yield text
    if len(text) > _LONGEST_NUMBER:
        return  # no number: int() refuses more than 4,300 digits, and no schema bound needs them
    if re.fullmatch(_INT, text):
        yield int(text)
    elif re.fullmatch(_NUM, text):
        yield float(text)
    if text in ("true", "false"):
        yield text == "true"
    if text == "":
        yield None


def _pick(text: str, schema: JSONValue, resolve: Resolver) -> JSONValue:
    """The reading of ``text`` that ``schema`` accepts (the string when none does)."""
    for value in _reads(text):
        if accepts(schema, value, resolve):
            return value
    return text


def read(pairs: Pairs, wire: Wire, schema: JSONValue, resolve: Resolver) -> list[JSONValue] | _Absent | None:
    """The values a receiver with ``wire`` and ``schema`` may read ``pairs`` as (``None``: it
    cannot read them; :data:`_ABSENT`: nothing of its parameter is there)."""
    node = _deref(schema, resolve)
    shape = _shape(node)
    if shape == "object":
        return _read_object(pairs, wire, node, resolve)
    query = wire.location in ("query", "cookie")
    mine = [t for k, t in pairs if k == wire.name]
    if not mine:
        return _ABSENT
    if query and shape == "array" and wire.explode:
        atoms = mine
    else:
        body = (mine[0] if query else _body(pairs, wire)) if len(mine) == 1 else None
        if body is None:
            return None
        if shape == "scalar":
            return list(_reads(unquote(body)))
        atoms = body.split(_DELIMITERS.get(wire.style, ","))
    items = node.get("items", True) if isinstance(node, dict) else True
    items = _deref(items, resolve)
    return [[_pick(unquote(a), True if items is None else items, resolve) for a in atoms]]


def _read_object(
    pairs: Pairs, wire: Wire, node: JSONValue, resolve: Resolver
) -> list[JSONValue] | _Absent | None:
    members: list[tuple[str, str]]
    if wire.style == "deepObject":
        head = wire.name + "["
        members = [(k[len(head) : -1], t) for k, t in pairs if k.startswith(head) and k.endswith("]")]
    elif wire.style == "form" and wire.explode:
        members = list(pairs)
    else:
        body = _body(pairs, wire)
        if body is None:
            return _ABSENT if not any(k == wire.name for k, _ in pairs) else None
        parts = body.split(",")
        if wire.explode:
            split = [p.partition("=") for p in parts]
            members = [(k, v) for k, _, v in split]
        elif len(parts) % 2:
            return None
        else:
            members = list(zip(parts[::2], parts[1::2], strict=True))
    if not members:
        return _ABSENT
    props = node.get("properties") if isinstance(node, dict) else None
    props = props if isinstance(props, dict) else {}
    extra = node.get("additionalProperties", True) if isinstance(node, dict) else True
    value: dict[str, JSONValue] = {}
    for k, t in members:
        name = unquote(k)
        sub = _deref(props.get(name, extra), resolve)
        value[name] = _pick(unquote(t), True if sub is None else sub, resolve)
    return [value]


def received(value: JSONValue, sender: Sender, receiver: Sender) -> bool | None:
    """Whether ``receiver`` reads what ``sender`` writes for ``value`` as a valid value (``None``:
    the value has no serialisation, or the engine cannot tell)."""
    pairs = serialise(value, sender.wire)
    if pairs is None:
        return None
    values = read(pairs, receiver.wire, receiver.schema, receiver.resolve)
    if values is None:
        return False
    if isinstance(values, _Absent):
        return not receiver.wire.required
    answers = [accepts(receiver.schema, v, receiver.resolve) for v in values]
    return True if True in answers else None if None in answers else False


def shown(value: JSONValue, wire: Wire) -> str:
    """How ``value`` travels, for a message: ``?warehouseId=3``, ``warehouseId: 3``."""
    pairs = serialise(value, wire) or []
    if wire.location == "query":
        return "?" + "&".join(f"{k}={t}" for k, t in pairs)
    if wire.location == "header":
        return "; ".join(f"{k}: {unquote(t)}" for k, t in pairs)
    if wire.location == "cookie":
        return "Cookie: " + "; ".join(f"{k}={t}" for k, t in pairs)
    return "path segment " + "/".join(t for _, t in pairs)


# --- serialised forms as schemas ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Texts:
    """A schema over serialised texts; ``exact`` when it accepts exactly the texts of the values
    the JSON schema accepts (else it accepts more)."""

    schema: JSONValue
    exact: bool


def _texts(node: JSONValue, resolve: Resolver, depth: int = 0) -> _Texts | None:
    node = _deref(node, resolve)
    if node is True or node == {}:
        return _Texts(True, True)
    if not isinstance(node, dict) or depth > _MAX_DEPTH or any(k in node for k in _COMPOSED):
        return None
    types = _types(node)
    if not types:
        return None
    enum = node.get("enum")
    listed: list[JSONValue] | None = (
        enum if isinstance(enum, list) else [node["const"]] if "const" in node else None
    )
    if listed is not None:
        texts: list[JSONValue] = [*sorted({t for t in map(_text, listed) if t is not None})]
        return _Texts({"enum": texts}, True)
    parts: list[JSONValue] = []
    exact = True
    for kind in sorted(types):
        if kind == "string":
            parts.append({"type": "string", **{k: node[k] for k in _STRING_KEYWORDS if k in node}})
        elif kind in ("integer", "number"):
            parts.append({"type": "string", "pattern": _INT if kind == "integer" else _NUM})
            exact = (
                exact
                and not any(k in node for k in _NUMERIC_BOUNDS)
                and node.get("format") in (None, "int64", "double")
            )
        elif kind == "boolean":
            parts.append({"enum": ["false", "true"]})
        elif kind == "null":
            parts.append({"enum": [""]})
        elif kind == "array":
            inner = _texts(node.get("items", True), resolve, depth + 1)
            if inner is None:
                return None
            exact = exact and inner.exact
            array: dict[str, JSONValue] = {"type": "array", "items": inner.schema}
            array.update((k, node[k]) for k in ("minItems", "maxItems", "uniqueItems") if k in node)
            parts.append(array)
        elif kind == "object":
            obj = _object_texts(node, resolve, depth)
            if obj is None:
                return None
            parts.append(obj.schema)
            exact = exact and obj.exact
    return _Texts(parts[0] if len(parts) == 1 else {"anyOf": parts}, exact)


def _object_texts(node: dict[str, JSONValue], resolve: Resolver, depth: int) -> _Texts | None:
    props = node.get("properties", {})
    if not isinstance(props, dict):
        return None
    out: dict[str, JSONValue] = {}
    exact = True
    for name, sub in props.items():
        inner = _texts(sub, resolve, depth + 1)
        if inner is None:
            return None
        out[name] = inner.schema
        exact = exact and inner.exact
    schema: dict[str, JSONValue] = {"type": "object", "properties": out}
    if "required" in node:
        schema["required"] = node["required"]
    extra = node.get("additionalProperties", True)
    if extra is not True:
        inner = None if extra is False else _texts(extra, resolve, depth + 1)
        if extra is not False and inner is None:
            return None
        schema["additionalProperties"] = False if inner is None else inner.schema
        exact = exact and (inner is None or inner.exact)
    return _Texts(schema, exact)


def _as_received(texts: _Texts, node: JSONValue, resolve: Resolver) -> _Texts:
    """A receiver's array also reads one value alone as a one-element array."""
    node = _deref(node, resolve)
    schema = texts.schema
    if _shape(node) != "array" or not isinstance(schema, dict) or schema.get("type") != "array":
        return texts
    low = schema.get("minItems", 0)
    high = schema.get("maxItems", 1)
    if not (isinstance(low, int) and low <= 1 and (not isinstance(high, int) or high >= 1)):
        return texts
    return _Texts({"anyOf": [schema, schema.get("items", True)]}, texts.exact)


def _refuse(ref: str) -> JSONValue:
    raise LookupError(ref)


# --- the judgement --------------------------------------------------------------------------------


def on_the_wire(verdict: Verdict, sender: Sender, receiver: Sender) -> tuple[Verdict, tuple[Reason, ...]]:
    """The harmful ``verdict`` (``sender``'s values ⊆ ``receiver``'s) judged on the wire, and the
    reasons it lost that are widenings on the wire (:data:`WIDENED`, at their instance path)."""
    refuted = {
        id(r)
        for r in verdict.reasons
        if r.status is Status.NOT_SUBSET
        and not isinstance(r.counter_example, NoExample)
        and received(r.counter_example, sender, receiver)
    }
    if not refuted:
        return _with_wire(verdict, sender), ()
    seeds = [r.counter_example for r in verdict.reasons if id(r) in refuted]
    outcome = _decide(sender, receiver, seeds)
    kept: list[Reason] = []
    widened: list[Reason] = []
    for reason in verdict.reasons:
        if id(reason) not in refuted:
            kept.append(reason)
        elif isinstance(outcome, str):
            kept.append(
                replace(reason, status=Status.UNKNOWN, counter_example=NO_EXAMPLE, detail=UNDECIDED + outcome)
            )
        elif outcome is None:
            widened.append(Reason(WIDENED, reason.path, Status.NOT_SUBSET))
        else:
            kept.append(
                replace(reason, counter_example=outcome, detail=SENT_AS + shown(outcome, sender.wire))
            )
    status = (
        Status.NOT_SUBSET
        if any(r.status is Status.NOT_SUBSET for r in kept)
        else Status.UNKNOWN
        if kept
        else Status.SUBSET
    )
    return _with_wire(Verdict(status, tuple(kept)), sender), tuple(widened)


def _with_wire(verdict: Verdict, sender: Sender) -> Verdict:
    """Each proven type difference says how its counter-example travels."""
    reasons = tuple(
        replace(r, detail=SENT_AS + shown(r.counter_example, sender.wire))
        if r.status is Status.NOT_SUBSET
        and r.kind == "type-narrowed"
        and not isinstance(r.counter_example, NoExample)
        and serialise(r.counter_example, sender.wire) is not None
        else r
        for r in verdict.reasons
    )
    return replace(verdict, reasons=reasons)


def _decide(sender: Sender, receiver: Sender, seeds: list[JSONValue | NoExample]) -> JSONValue | str | None:
    """Whether every text ``sender`` writes is read as valid by ``receiver``: ``None`` when it is
    proven, a value sent that is not when one is found, else why it stays undecided."""
    mine = _texts(sender.schema, sender.resolve)
    theirs = _texts(receiver.schema, receiver.resolve)
    if mine is None or theirs is None:
        return "the serialised forms of these schemas are not modelled (compositions, no type)"
    theirs = _as_received(theirs, receiver.schema, receiver.resolve)
    answer = Comparator(_refuse, _refuse).is_subset(mine.schema, theirs.schema)
    if answer.status is Status.SUBSET:
        if theirs.exact:
            return None
        return "the receiver's numeric bounds apply to the values read from the text"
    for reason in answer.reasons:
        found = _sent_value(reason.counter_example, sender, receiver)
        if found is not None:
            return found
    node = _deref(sender.schema, sender.resolve)
    if _shape(node) == "array" and isinstance(node, dict):  # two values where one is read
        item = example(_deref(node.get("items", True), sender.resolve), sender.resolve)
        seeds = [*seeds, [item]] if not isinstance(item, NoExample) else seeds
    for seed in seeds:
        if isinstance(seed, list) and seed and _sends(seed + seed, sender, receiver):
            return seed + seed
    return "no text a sender writes was found that the receiver reads as invalid"


def _sent_value(texts: JSONValue | NoExample, sender: Sender, receiver: Sender) -> JSONValue | None:
    """The value ``sender`` sends as the texts of a counter-example, when it sends them (and the
    receiver rejects them): the counter-example on the wire."""
    if isinstance(texts, NoExample):
        return None
    node = _deref(sender.schema, sender.resolve)
    try:
        value = _value_of(texts, node, sender.resolve)
    except _NotSent:
        return None
    for candidate in (value, [*value, *value] if isinstance(value, list) and value else None):
        if candidate is not None and _sends(candidate, sender, receiver):
            return candidate
    return None


def _sends(value: JSONValue, sender: Sender, receiver: Sender) -> bool:
    """Whether ``sender`` may send ``value`` and ``receiver`` rejects it as sent."""
    return bool(accepts(sender.schema, value, sender.resolve)) and received(value, sender, receiver) is False


class _NotSent(Exception):
    """A text no sender writes for any value (``03`` for 3)."""


def _value_of(texts: JSONValue, node: JSONValue, resolve: Resolver) -> JSONValue:
    if isinstance(texts, str):
        value = _pick(texts, True if node is None else node, resolve)
        if _text(value) != texts:
            raise _NotSent(texts)
        return value
    if isinstance(texts, list):
        items = _deref(node.get("items", True), resolve) if isinstance(node, dict) else True
        return [_value_of(t, items, resolve) for t in texts]
    if isinstance(texts, dict):
        props = node.get("properties", {}) if isinstance(node, dict) else {}
        props = props if isinstance(props, dict) else {}
        return {k: _value_of(t, _deref(props.get(k, True), resolve), resolve) for k, t in texts.items()}
    raise _NotSent(str(texts))


def judge(
    ctx: CheckContext,
    pair: SchemaPair,
    direction: str,
    wires: tuple[Wire, Wire],
    verdicts: tuple[Verdict, Verdict],
) -> tuple[Verdict, Verdict]:
    """The (harmful, benign) verdicts of a parameter's schema pair judged on the wire: refuted
    counter-examples decided again (:func:`on_the_wire`); a widening on the wire replaces the
    benign "type changed" at its instance path."""
    harmful, benign = verdicts
    if not any(r.status is Status.NOT_SUBSET for r in harmful.reasons):
        return harmful, benign
    old = Sender(
        wires[0],
        ctx.schema(SideName.BASE, pair.base, pair.base_legacy, direction),
        ctx.view(SideName.BASE, direction).resolve,
    )
    new = Sender(
        wires[1],
        ctx.schema(SideName.REVISION, pair.revision, pair.revision_legacy, direction),
        ctx.view(SideName.REVISION, direction).resolve,
    )
    sender, receiver = (old, new) if direction == "request" else (new, old)
    harmful, widened = on_the_wire(harmful, sender, receiver)
    if widened:
        paths = {r.path for r in widened}
        kept = tuple(r for r in benign.reasons if not (r.path in paths and r.kind == "type-narrowed"))
        benign = Verdict(Status.NOT_SUBSET, kept + widened)
    return harmful, benign
