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

from typing import Final

from apigov.core.findings import Level

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


def level(change: str, direction: str) -> Level:
    """Requests may generalise, responses may specialise."""
    harmful = SPECIALIZED if direction == "request" else GENERALIZED
    return Level.BREAKING if change == harmful else Level.INFO


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
