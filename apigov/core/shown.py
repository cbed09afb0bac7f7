"""Spec values as findings' messages show them.

A message never shows Python's spelling of a value (``None``, ``True``): a value read where a
string is expected (a name, a URL, a scope; an invalid document may hold ``null`` or a number
there) reads as its JSON text, and a field that one side does not have is said to be added or
removed rather than to have changed "to None".
"""

from __future__ import annotations

import json
from collections.abc import Callable

from apigov.core._types import JSONValue

__all__ = ["as_text", "quoted", "value_change"]


def as_text(value: JSONValue) -> str:
    """A string as it is; anything else as its JSON text (``null``, ``true``, ``1.5``)."""
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError):  # pragma: no cover - only JSON values reach here
        return repr(value)


def quoted(value: JSONValue) -> str:
    """``'1.0.0'`` for a string (as messages quote them), JSON text for anything else."""
    return repr(value) if isinstance(value, str) else as_text(value)


def value_change(
    what: str,
    old: JSONValue,
    new: JSONValue,
    *,
    had: bool = True,
    has: bool = True,
    show: Callable[[JSONValue], str] = quoted,
) -> str:
    """``info.version changed from '1.0.0' to '2.0.0'``; ``info.version removed (was '1.0.0')``
    when the revision does not have the field (``has``), ``info.version added ('2.0.0')`` when
    the base did not (``had``)."""
    if not had and has:
        return f"{what} added ({show(new)})"
    if had and not has:
        return f"{what} removed (was {show(old)})"
    return f"{what} changed from {show(old)} to {show(new)}"
