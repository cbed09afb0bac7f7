"""Discriminator changes: what a client dispatches on.

A ``discriminator`` beside ``oneOf``/``anyOf`` (or with a ``mapping``) tells readers which variant
a payload is by one property's value. Changing that property's name, or where a value leads,
breaks dispatch in both directions: old payloads lack the property the new contract dispatches
on (requests), and new payloads carry a value old clients resolve to no variant or another one
(responses). JSON Schema validation ignores the keyword, so there is no counter-example
instance to show; the change is breaking by what the keyword promises, like ``x-extensible-enum``.
A discriminator that dispatches nothing (no ``oneOf``/``anyOf``, no ``mapping``) stays a warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from apigov.core._types import JSONValue
from apigov.rules.openapi.ids import PLACE_IDS
from apigov.rules.rule import Judged

ADDED: Final = "discriminator"
PROPERTY: Final = "discriminator-property-name"
MAPPING: Final = "discriminator-mapping"


@dataclass(frozen=True, slots=True)
class Change:
    field: str
    old: JSONValue
    new: JSONValue
    dispatches: bool


def dispatches(node: dict[str, JSONValue]) -> bool:
    """Whether a schema's discriminator selects among variants."""
    found = node.get("discriminator")
    mapping = found.get("mapping") if isinstance(found, dict) else None
    return "oneOf" in node or "anyOf" in node or bool(mapping)


def _name(ref: JSONValue) -> JSONValue:
    """The schema a mapping value names (``#/components/schemas/Cat`` and ``Cat`` are one)."""
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else ref


def changes(old: dict[str, JSONValue], new: dict[str, JSONValue]) -> Iterator[Change]:
    x, y = old.get("discriminator"), new.get("discriminator")
    if x == y:
        return
    used = dispatches(old) or dispatches(new)
    if x is None or y is None:
        yield Change(ADDED, x, y, used)
        return
    if not isinstance(x, dict) or not isinstance(y, dict):
        return
    if x.get("propertyName") != y.get("propertyName"):
        yield Change(PROPERTY, x.get("propertyName"), y.get("propertyName"), used)
    xm, ym = x.get("mapping"), y.get("mapping")
    xm = xm if isinstance(xm, dict) else {}
    ym = ym if isinstance(ym, dict) else {}
    for key in sorted(set(xm) | set(ym)):
        if _name(xm.get(key)) != _name(ym.get(key)):
            # a value mapped to the schema of its own name resolves there implicitly too
            same = _name(xm.get(key, key)) == _name(ym.get(key, key))
            yield Change(
                MAPPING,
                {key: xm[key]} if key in xm else None,
                {key: ym[key]} if key in ym else None,
                used and not same,
            )


def rule(change: Change, root: str, old: str, new: str) -> tuple[str, Judged | None, str]:
    """(id, judgement, text) of a change; ``old``/``new`` are its values as shown. A change of
    a discriminator nothing dispatches on (no ``oneOf``/``anyOf``, no ``mapping``) is not shown
    to break anyone: a warning."""
    broken = None if change.dispatches else Judged.UNPROVEN
    if change.field == ADDED:
        if change.old is None:
            return PLACE_IDS[(root, "discriminator-added")], None, "discriminator added"
        return PLACE_IDS[(root, "discriminator-removed")], None, "discriminator removed"
    if change.field == PROPERTY:
        return (
            PLACE_IDS[(root, "discriminator-property-name-changed")],
            broken,
            f"discriminator property changed from {old} to {new}",
        )
    if change.old is None:
        return PLACE_IDS[(root, "discriminator-mapping-added")], None, f"discriminator mapping {new} added"
    if change.new is None:
        return (
            PLACE_IDS[(root, "discriminator-mapping-deleted")],
            broken,
            f"discriminator mapping {old} deleted",
        )
    return (
        PLACE_IDS[(root, "discriminator-mapping-changed")],
        broken,
        f"discriminator mapping changed from {old} to {new}",
    )
