"""Media-type names in direction: a more general or more specific name is a change of contract.

``application/problem+json`` is one kind of ``application/json``, and ``application/json`` one
kind of ``application/*``. What clients send may only widen, so a request media type that becomes
more specific (``application/json`` -> ``application/merge-patch+json``) breaks the clients that
send the old one; what they receive may only narrow, so a response media type that becomes more
general (``application/problem+json`` -> ``application/json``) breaks the clients that dispatch
on the specific one. The other direction of each is info; other respellings (parameters, case,
two unrelated vendor types matched by their ``+json`` suffix) keep ``*-media-type-name-changed``.
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import lru_cache
from typing import Final

from apigov.core._types import JSONValue
from apigov.core.findings import Level
from apigov.schema.compat import NO_EXAMPLE, NoExample, Status, Verdict

GENERALIZED: Final = "generalized"
SPECIALIZED: Final = "specialized"


def _parts(name: str) -> tuple[str, str]:
    essence = name.split(";", 1)[0].strip().lower()
    kind, _, sub = essence.partition("/")
    return kind, sub


def _covers(wide: str, narrow: str) -> bool:
    """Whether every message of media type ``narrow`` is one of ``wide`` (and they differ)."""
    (wk, ws), (nk, ns) = _parts(wide), _parts(narrow)
    if (wk, ws) == (nk, ns):
        return False
    if wk == "*":
        return True
    if wk != nk:
        return False
    return ws == "*" or (ns.rpartition("+")[2] == ws and "+" in ns)


def specificity(old: str, new: str) -> str | None:
    """``generalized`` / ``specialized`` when one name covers the other, else ``None``."""
    if _covers(new, old):
        return GENERALIZED
    if _covers(old, new):
        return SPECIALIZED
    return None


#: (root prefix, change, level, summary, why, example): the catalogue's rows (checks: messages)
ROWS: Final = (
    (
        "request-body",
        SPECIALIZED,
        Level.BREAKING,
        "A request media type became more specific (`application/json` -> `application/merge-patch+json`).",
        "Old clients send the old, more general type: a server that dispatches on the name refuses it (415).",
        "base: application/json\nrevision: application/merge-patch+json",
        "Keep accepting the general type beside the specific one.",
    ),
    (
        "request-body",
        GENERALIZED,
        Level.INFO,
        "A request media type became more general (`application/merge-patch+json` -> `application/json`).",
        "Nothing breaks: what old clients send is one kind of the new type.",
        "base: application/merge-patch+json\nrevision: application/json",
        "Nothing to do.",
    ),
    (
        "response-body",
        GENERALIZED,
        Level.BREAKING,
        "A response media type became more general (`application/problem+json` -> `application/json`).",
        "Clients dispatch on the specific type they were promised (a problem document, a vendor type); "
        "the general one no longer tells them what they got.",
        "base: application/problem+json\nrevision: application/json",
        "Keep the specific type.",
    ),
    (
        "response-body",
        SPECIALIZED,
        Level.INFO,
        "A response media type became more specific (`application/json` -> `application/problem+json`).",
        "Nothing breaks: the new type is one kind of the old one.",
        "base: application/json\nrevision: application/problem+json",
        "Nothing to do.",
    ),
)


# --- what a body of a media type can be -----------------------------------------------------------

NOT_EXPRESSIBLE: Final = "not expressible: "
"""Prefix of the detail of a reason whose counter-example no body of the media type can be."""


@lru_cache(maxsize=256)
def _family(name: str) -> str:
    """``json``, ``text``, ``xml``, ``form``, ``binary`` or ``other`` (judged like JSON)."""
    kind, sub = _parts(name)
    suffix = sub.rpartition("+")[2]
    if suffix == "json" or sub.endswith("json") or sub in ("yaml", "x-yaml") or kind == "*":
        return "json"
    if suffix == "xml" or sub == "xml":
        return "xml"
    if sub in ("x-www-form-urlencoded", "form-data"):
        return "form"
    if kind == "text":
        return "text"
    if kind in ("image", "audio", "video", "font") or sub in ("octet-stream", "pdf", "zip"):
        return "binary"
    return "other"


def expressible(value: JSONValue, name: str) -> str | None:
    """Why ``value`` cannot be a body of media type ``name`` (``None``: it can). A text body is a
    string, number or boolean written out; a binary body a string of bytes; an XML document or a
    form has one root with named members: an object."""
    family = _family(name)
    if family == "text" and (value is None or isinstance(value, dict | list)):
        return f"a {name} body is text, not {_kind(value)}"
    if family == "binary" and not isinstance(value, str):
        return f"a {name} body is bytes, not {_kind(value)}"
    if family in ("xml", "form") and not isinstance(value, dict):
        return f"a {name} body has one root with named members, not {_kind(value)}"
    return None


def _kind(value: JSONValue) -> str:
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return f"the JSON value {json.dumps(value)}"


def on_the_media(verdict: Verdict, name: str) -> Verdict:
    """The harmful ``verdict`` with each counter-example no body of ``name`` can be undecided."""
    if _family(name) in ("json", "other"):
        return verdict
    reasons = []
    for r in verdict.reasons:
        why = None if isinstance(r.counter_example, NoExample) else expressible(r.counter_example, name)
        if r.status is Status.NOT_SUBSET and why is not None:
            r = replace(r, status=Status.UNKNOWN, counter_example=NO_EXAMPLE, detail=NOT_EXPRESSIBLE + why)
        reasons.append(r)
    if not any(r.status is Status.NOT_SUBSET for r in reasons) and verdict.status is Status.NOT_SUBSET:
        return Verdict(Status.UNKNOWN, tuple(reasons))
    return replace(verdict, reasons=tuple(reasons))
